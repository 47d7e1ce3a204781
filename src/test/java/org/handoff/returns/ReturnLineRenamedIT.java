package org.handoff.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;
import static org.handoff.files.DropFolders.onHand;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A return's line stored under a SKU's old code, before its alias window opened (mappings/sku-aliases.csv:
 * TSHIRT-RED-M-OLD -> TSHIRT-RED-M from 2026-10-01), and the manifest re-sent inside the window, where the old code
 * resolves to the new one. It is the same line: it moves to the new code, its quarantined units with it. Before, the
 * re-sent manifest added a second line under the new code: the units were quarantined twice, and a RESTOCK put both
 * on the shelf.
 */
class ReturnLineRenamedIT {

    private static final String HEADER = "rma,channel,order_external_id,sku,quantity,reason\n";

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aLineRestatedInsideItsSkusAliasWindowIsTheSameLine(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "returns", "returns_20260930T235959Z.csv",
                    HEADER + "RMA-5,shopify,1,TSHIRT-RED-M-OLD,2,too small\n"), ".done");
            assertThat(quarantined(hub, "TSHIRT-RED-M-OLD")).isEqualTo(2);

            // the next day's manifest lists the return again, beside a new one
            JsonNode again = awaitReport(drop(hub, "returns", "returns_20261001T000000Z.csv",
                    HEADER + "RMA-5,shopify,1,TSHIRT-RED-M-OLD,2,too small\nRMA-6,shopify,2,MUG-WHITE,1,chipped\n"), ".done");
            assertThat(again.get("rowsHeld").asLong()).isZero();
            assertThat(quarantined(hub, "TSHIRT-RED-M-OLD")).isZero();
            assertThat(quarantined(hub, "TSHIRT-RED-M")).isEqualTo(2);
            JsonNode rma = hub.api().get("/api/returns/RMA-5").json();
            assertThat(rma.get("lines")).hasSize(1);
            assertThat(rma.get("lines").get(0).get("sku").asText()).isEqualTo("TSHIRT-RED-M");

            assertThat(hub.api().post("/api/returns/RMA-5/decision", Map.of("decision", "RESTOCK", "actor", "ops"))
                    .status()).isEqualTo(200);
            assertThat(onHand(hub, "TSHIRT-RED-M")).isEqualTo(2);
            assertThat(onHand(hub, "TSHIRT-RED-M-OLD")).isZero();
            assertThat(quarantined(hub, "TSHIRT-RED-M")).isZero();
        }
    }

    private static long quarantined(TestHub hub, String sku) {
        return hub.api().get("/api/inventory/" + sku).json().get("quarantined").asLong();
    }
}
