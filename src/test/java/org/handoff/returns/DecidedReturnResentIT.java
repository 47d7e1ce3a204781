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
 * A decided return's manifest re-sent unchanged changes nothing and holds nothing, whatever the batch size: the rows
 * of one RMA and SKU are compared, added up over the whole file, with the stored line (each batch's part was compared
 * alone, and the unchanged manifest was held BAD_ROW "cannot change any more"). A changed one is still held.
 */
class DecidedReturnResentIT {

    private static final String HEADER = "rma,channel,order_external_id,sku,quantity,reason\n";
    private static final String MANIFEST = HEADER
            + "RMA-9,woocommerce,1043,MUG-WHITE,1,arrived chipped\n"
            + "RMA-9,woocommerce,1043,MUG-WHITE,1,wrong colour\n";

    private static long quarantined(TestHub hub, String sku) {
        return hub.api().get("/api/inventory/" + sku).json().get("quarantined").asLong();
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anUnchangedManifestAfterTheDecisionHoldsNothingWhateverTheBatchSize(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).property("handoff.inbox.batch-rows", "1").start()) {
            awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv", MANIFEST), ".done");
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(2);
            assertThat(hub.api().post("/api/returns/RMA-9/decision", Map.of("decision", "RESTOCK", "actor", "ops"))
                    .status()).isEqualTo(200);

            // the returns system sends the very same return again the next day (new file name, new time)
            JsonNode again = awaitReport(drop(hub, "returns", "returns_20261123T040000Z.csv", MANIFEST
                    + "RMA-10,woocommerce,1044,MUG-WHITE,1,unwanted\n"), ".done");
            assertThat(again.get("rowsHeld").asLong()).as(again.toString()).isZero();
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(1); // RMA-10's unit

            // one more unit of the decided return is a change: its rows are held, nothing moves
            JsonNode changed = awaitReport(drop(hub, "returns", "returns_20261124T040000Z.csv", MANIFEST
                    + "RMA-9,woocommerce,1043,MUG-WHITE,1,dented\n"), ".done");
            assertThat(changed.get("rowsHeld").asLong()).as(changed.toString()).isEqualTo(3);
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(1);
            JsonNode rma = hub.api().get("/api/returns/RMA-9").json();
            assertThat(rma.get("lines").get(0).get("quantity").asLong()).isEqualTo(2);
        }
    }
}
