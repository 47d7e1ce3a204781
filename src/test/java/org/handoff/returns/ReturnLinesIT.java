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
 * A manifest may list a return's units one row each, with a reason per unit. Before, the second row of the same
 * RMA and SKU was taken for the first re-sent (same quantity: skipped) or replaced it (another quantity), and was
 * still counted applied: a returned unit silently never reached quarantine.
 */
class ReturnLinesIT {

    private static final String HEADER = "rma,channel,order_external_id,sku,quantity,reason\n";

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void rowsOfOneReturnsSkuAddUp(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).start()) {
            JsonNode report = awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv", HEADER
                    + "RMA-7,woocommerce,1043,MUG-WHITE,1,arrived chipped\n"
                    + "RMA-7,woocommerce,1043,MUG-WHITE,1,wrong colour\n"
                    + "RMA-7,woocommerce,1043,TSHIRT-RED-M,2,too small\n"), ".done");
            assertThat(report.get("rowsApplied").asLong()).isEqualTo(3);
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(2);
            assertThat(quarantined(hub, "TSHIRT-RED-M")).isEqualTo(2);
            JsonNode rma = hub.api().get("/api/returns/RMA-7").json();
            assertThat(rma.toString()).contains("arrived chipped; wrong colour");

            // the returns system sends the same return again the next day, with one more unit of the T-shirt
            awaitReport(drop(hub, "returns", "returns_20261123T040000Z.csv", HEADER
                    + "RMA-7,woocommerce,1043,MUG-WHITE,1,arrived chipped\n"
                    + "RMA-7,woocommerce,1043,MUG-WHITE,1,wrong colour\n"
                    + "RMA-7,woocommerce,1043,TSHIRT-RED-M,3,too small\n"), ".done");
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(2);
            assertThat(quarantined(hub, "TSHIRT-RED-M")).isEqualTo(3);

            long mugBefore = hub.api().get("/api/inventory/MUG-WHITE").json().get("onHand").asLong();
            assertThat(hub.api().post("/api/returns/RMA-7/decision", Map.of("decision", "RESTOCK", "actor", "ops"))
                    .status()).isEqualTo(200);
            assertThat(quarantined(hub, "MUG-WHITE")).isZero();
            assertThat(hub.api().get("/api/inventory/MUG-WHITE").json().get("onHand").asLong()).isEqualTo(mugBefore + 2);

            // decided: the same manifest once more changes nothing and holds nothing
            JsonNode again = awaitReport(drop(hub, "returns", "returns_20261124T040000Z.csv", HEADER
                    + "RMA-7,woocommerce,1043,MUG-WHITE,1,arrived chipped\n"
                    + "RMA-7,woocommerce,1043,MUG-WHITE,1,wrong colour\n"
                    + "RMA-7,woocommerce,1043,TSHIRT-RED-M,3,too small\n"), ".done");
            assertThat(again.get("rowsHeld").asLong()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aRowNamingAnotherChannelIsHeldNotAdded(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).start()) {
            // a return belongs to one channel: a row of the same RMA and SKU that names another is contradictory,
            // held as a row of another SKU naming it is (before, its unit was added to the first channel's line)
            JsonNode report = awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv", HEADER
                    + "RMA-8,shopify,1043,MUG-WHITE,1,arrived chipped\n"
                    + "RMA-8,woocommerce,1043,MUG-WHITE,1,wrong colour\n"
                    + "RMA-8,woocommerce,1043,TSHIRT-RED-M,1,too small\n"), ".done");
            assertThat(report.get("rowsHeld").asLong()).as(report.toString()).isEqualTo(2);
            assertThat(report.get("heldRows").get(0).get("detail").asText()).contains("belongs to channel shopify");
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(1);
            JsonNode rma = hub.api().get("/api/returns/RMA-8").json();
            assertThat(rma.get("lines")).hasSize(1);
            assertThat(rma.get("lines").get(0).get("quantity").asLong()).isEqualTo(1);
            assertThat(rma.get("lines").get(0).get("reason").asText()).isEqualTo("arrived chipped");
        }
    }

    private static long quarantined(TestHub hub, String sku) {
        return hub.api().get("/api/inventory/" + sku).json().get("quarantined").asLong();
    }
}
