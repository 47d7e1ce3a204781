package org.handoff.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values longer than their columns (V13): a manifest row is held BAD_ROW alone, its neighbours apply (the whole file
 * failed PROCESSING_ERROR); a decision's actor or note is a 400 with a JSON error (it was a 500).
 */
class ReturnsWidthsIT {

    private static final String HEADER = "rma,channel,order_external_id,sku,quantity,reason\n";
    private static final String LONG = "X".repeat(250);

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anOverLongValueHoldsItsRowAloneAndNotTheFile(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).start()) {
            JsonNode report = awaitReport(drop(hub, "returns", "returns_20261123T040000Z.csv", HEADER
                    + "R" + LONG + ",woocommerce,1043,MUG-WHITE,1,x\n"
                    + "RMA-W2,woocommerce,1043,MUG-WHITE,1,x\n"
                    + "RMA-W3,woocommerce," + LONG + ",MUG-WHITE,1,x\n"
                    + "RMA-W4,woocommerce,1043,MUG-WHITE" + LONG + ",1,x\n"
                    + "RMA-W5,woocommerce,1043,MUG-WHITE,1," + "y".repeat(1001) + "\n"), ".done");
            assertThat(report.get("rowsApplied").asLong()).as(report.toString()).isEqualTo(1);
            assertThat(report.get("rowsHeld").asLong()).isEqualTo(4);
            assertThat(report.get("heldByReason").get("BAD_ROW").asLong()).isEqualTo(4);
            assertThat(report.toString()).contains("rma is 251 characters long; at most 100 are stored");
            assertThat(hub.api().get("/api/returns/RMA-W2").status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void reasonsOfOneLineJoinedPastTheColumnAreCutNotAFailedFile(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).start()) {
            JsonNode report = awaitReport(drop(hub, "returns", "returns_20261123T040000Z.csv", HEADER
                    + "RMA-R,woocommerce,1043,MUG-WHITE,1," + "a".repeat(600) + "\n"
                    + "RMA-R,woocommerce,1043,MUG-WHITE,1," + "b".repeat(600) + "\n"
                    + "RMA-R,woocommerce,1043,MUG-WHITE,1," + "c".repeat(600) + "\n"), ".done");
            assertThat(report.get("rowsApplied").asLong()).as(report.toString()).isEqualTo(3);
            JsonNode line = hub.api().get("/api/returns/RMA-R").json().get("lines").get(0);
            assertThat(line.get("quantity").asLong()).isEqualTo(3);
            assertThat(line.get("reason").asText()).hasSizeLessThanOrEqualTo(1000).startsWith("aaa").endsWith("; \u2026");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aDecisionWithAnOverLongActorOrNoteIs400AndDecidesNothing(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).start()) {
            awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv", HEADER
                    + "RMA-W,woocommerce,1043,MUG-WHITE,1,x\n"), ".done");
            TestHub.Response actor = hub.api().post("/api/returns/RMA-W/decision", Map.of("decision", "SCRAP",
                    "actor", LONG));
            assertThat(actor.status()).as(actor.body()).isEqualTo(400);
            assertThat(actor.json().toString()).contains("actor");
            TestHub.Response note = hub.api().post("/api/returns/RMA-W/decision", Map.of("decision", "SCRAP",
                    "actor", "ops", "note", "n".repeat(4001)));
            assertThat(note.status()).as(note.body()).isEqualTo(400);
            assertThat(hub.api().get("/api/returns/RMA-W").json().get("state").asText()).isEqualTo("QUARANTINED");
            assertThat(hub.api().post("/api/returns/RMA-W/decision", Map.of("decision", "SCRAP", "actor", "ops"))
                    .status()).isEqualTo(200);
        }
    }
}
