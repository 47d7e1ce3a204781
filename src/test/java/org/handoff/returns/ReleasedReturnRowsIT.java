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
 * Rows of one manifest for the same RMA and SKU add up; a bad row of it, corrected and released, adds its units to
 * that line (it replaced the line, and units vanished from quarantine). A line a later manifest restated since is not
 * added to: the same manifest sent twice with the same bad row counts that unit once.
 */
class ReleasedReturnRowsIT {

    private static final String HEADER = "rma,channel,order_external_id,sku,quantity,reason\n";
    private static final String MANIFEST = HEADER
            + "RMA-8,woocommerce,1043,MUG-WHITE,1,arrived chipped\n"
            + "RMA-8,woocommerce,1043,MUG-WHITE,one,dented\n"
            + "RMA-8,woocommerce,1043,MUG-WHITE,1,wrong colour\n";

    private static long quarantined(TestHub hub, String sku) {
        return hub.api().get("/api/inventory/" + sku).json().get("quarantined").asLong();
    }

    private static JsonNode openBadRows(TestHub hub) {
        return hub.api().get("/api/holds?status=open&reason=BAD_ROW").json().get("holds");
    }

    private static TestHub.Response release(TestHub hub, long holdId) {
        return hub.api().post("/api/holds/" + holdId + "/release", Map.of("actor", "ops", "note", "one unit",
                "payload", "RMA-8,woocommerce,1043,MUG-WHITE,1,dented"));
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aReleasedRowOfAManifestAddsToItsLineInsteadOfReplacingIt(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).start()) {
            JsonNode report = awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv", MANIFEST), ".done");
            assertThat(report.get("rowsHeld").asLong()).isEqualTo(1);
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(2);
            JsonNode holds = openBadRows(hub);
            assertThat(holds).hasSize(1);

            TestHub.Response released = release(hub, holds.get(0).get("holdId").asLong());
            assertThat(released.json().get("status").asText()).as(released.body()).isEqualTo("released");

            // three units came back in that manifest: all three are in quarantine, and the return says 3
            JsonNode rma = hub.api().get("/api/returns/RMA-8").json();
            assertThat(rma.get("lines").get(0).get("quantity").asLong()).as(rma.toString()).isEqualTo(3);
            assertThat(rma.get("lines").get(0).get("reason").asText()).contains("arrived chipped", "wrong colour", "dented");
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void theSameBadRowSentTwiceCountsItsUnitOnce(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).start()) {
            awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv", MANIFEST), ".done");
            long first = openBadRows(hub).get(0).get("holdId").asLong();
            // the returns system sends the same return again the next day, with another: its bad row is held again
            JsonNode again = awaitReport(drop(hub, "returns", "returns_20261123T040000Z.csv", MANIFEST
                    + "RMA-11,woocommerce,1045,MUG-WHITE,1,unwanted\n"), ".done");
            assertThat(again.get("rowsHeld").asLong()).isEqualTo(1);
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(3);
            long second = -1;
            for (JsonNode h : openBadRows(hub)) {
                second = h.get("holdId").asLong() != first ? h.get("holdId").asLong() : second;
            }

            assertThat(release(hub, second).json().get("status").asText()).isEqualTo("released");
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(4);
            // the first manifest's copy of that row: the later manifest stated the line since, the unit is in already
            TestHub.Response stale = release(hub, first);
            assertThat(stale.json().get("status").asText()).as(stale.body()).isNotEqualTo("released");
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(4);
            assertThat(hub.api().get("/api/holds/" + first).json().toString()).contains("restated by a later manifest");
        }
    }
}
