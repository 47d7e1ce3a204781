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

    /**
     * The same, once the return is decided: the re-sent line is that return's line, unchanged, and holds nothing (it
     * was held BAD_ROW "cannot change any more", as a second line beside the decided one). The decided line stays
     * under the code its units moved under; one unit more is still a change, and held.
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aDecidedReturnsLineRestatedInsideItsSkusAliasWindowIsTheSameLine(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "returns", "returns_20260930T235959Z.csv",
                    HEADER + "RMA-7,shopify,1,TSHIRT-RED-M-OLD,2,too small\n"), ".done");
            assertThat(hub.api().post("/api/returns/RMA-7/decision", Map.of("decision", "RESTOCK", "actor", "ops"))
                    .status()).isEqualTo(200);
            assertThat(onHand(hub, "TSHIRT-RED-M-OLD")).isEqualTo(2);

            // the returns system sends the return again inside the window, under the old code and under the new one
            for (String code : new String[] {"TSHIRT-RED-M-OLD", "TSHIRT-RED-M"}) {
                JsonNode again = awaitReport(drop(hub, "returns", "returns_2026100" + (code.endsWith("OLD") ? 1 : 2)
                        + "T000000Z.csv", HEADER + "RMA-7,shopify,1," + code + ",2,too small\n"), ".done");
                assertThat(again.get("rowsHeld").asLong()).as(code + ": " + again).isZero();
            }
            JsonNode rma = hub.api().get("/api/returns/RMA-7").json();
            assertThat(rma.get("lines")).hasSize(1);
            assertThat(rma.get("lines").get(0).get("sku").asText()).isEqualTo("TSHIRT-RED-M-OLD");
            assertThat(rma.get("lines").get(0).get("quantity").asLong()).isEqualTo(2);
            assertThat(onHand(hub, "TSHIRT-RED-M-OLD")).isEqualTo(2);
            assertThat(quarantined(hub, "TSHIRT-RED-M-OLD")).isZero();

            JsonNode changed = awaitReport(drop(hub, "returns", "returns_20261003T000000Z.csv",
                    HEADER + "RMA-7,shopify,1,TSHIRT-RED-M-OLD,3,too small\n"), ".done");
            assertThat(changed.get("rowsHeld").asLong()).isEqualTo(1);
            assertThat(hub.api().get("/api/holds?status=open").json().toString()).contains("already RESTOCKED");
        }
    }

    private static long quarantined(TestHub hub, String sku) {
        return hub.api().get("/api/inventory/" + sku).json().get("quarantined").asLong();
    }
}
