package org.handoff.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;
import static org.handoff.files.DropFolders.onHand;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values the tables cannot store (longer than their column, or a NUL character) in catalog, purchase-order and
 * inventory files: the row is held BAD_ROW alone and the file's other rows apply; a warehouse in the file name
 * longer than the column rejects that file BAD_FILE_NAME. Each was a PROCESSING_ERROR of the whole file, failed
 * part-way with the batches before it applied.
 */
class RowWidthsIT {

    private static List<String> heldDetails(TestHub hub) {
        List<String> out = new java.util.ArrayList<>();
        hub.api().get("/api/holds?status=open&reason=BAD_ROW").json().get("holds")
                .forEach(h -> out.add(h.get("detail").asText()));
        return out;
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void catalogAndPurchaseOrderRowsTooWideToStoreAreHeldAlone(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            JsonNode catalog = awaitReport(drop(hub, "catalog", "catalog_20261124T080000Z.csv",
                    "sku,barcode,description,active\n"
                    + "WIDE-1,111,fits,true\n"
                    + "WIDE-2,222," + "d".repeat(1001) + ",true\n"
                    + "WIDE-3," + "9".repeat(101) + ",x,true\n"
                    + "WIDE-4,444,a NUL \u0000 inside,true\n"
                    + "W" + "I".repeat(100) + ",555,too long a sku,true\n"), ".done");
            assertThat(catalog.get("rowsApplied").asLong()).as(catalog.toString()).isEqualTo(1);
            assertThat(catalog.get("heldByReason").get("BAD_ROW").asLong()).isEqualTo(4);
            assertThat(hub.jdbc().query("select sku from catalog where sku like 'W%' order by sku",
                    rs -> rs.getString(1))).containsExactly("WIDE-1");

            JsonNode po = awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261124T080000Z.csv",
                    "po_number,supplier_code,sku,quantity,expected_at\n"
                    + "PO-W1,SUP-1,MUG-WHITE,7,2026-12-01\n"
                    + "PO-" + "9".repeat(98) + ",SUP-1,MUG-WHITE,5,2026-12-01\n"
                    + "PO-W3," + "S".repeat(101) + ",MUG-WHITE,5,2026-12-01\n"), ".done");
            assertThat(po.get("rowsApplied").asLong()).as(po.toString()).isEqualTo(1);
            assertThat(po.get("heldByReason").get("BAD_ROW").asLong()).isEqualTo(2);
            assertThat(hub.api().get("/api/inventory/MUG-WHITE").json().get("inbound").asLong()).isEqualTo(7);

            assertThat(heldDetails(hub)).contains(
                    "row 3: description is 1001 characters long; at most 1000 are stored",
                    "row 4: barcode is 101 characters long; at most 100 are stored",
                    "row 5: description contains a NUL character (U+0000), which cannot be stored",
                    "row 6: sku is 101 characters long; at most 100 are stored",
                    "row 3: po_number is 101 characters long; at most 100 are stored",
                    "row 4: supplier_code is 101 characters long; at most 100 are stored");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void inventoryRowsTooWideToStoreAreHeldAloneAndATooLongWarehouseRejectsItsFile(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            JsonNode snapshot = awaitReport(drop(hub, "inventory", "inventory_WH1_20261124T080000Z.csv",
                    "sku,location,on_hand\n"
                    + "MUG-WHITE,C-01,5\n"
                    + "S" + "K".repeat(100) + ",C-01,3\n"
                    + "HOODIE-GREY-L,C-\u0000-2,2\n"
                    + "HOODIE-GREY-L,C-02,4\n"), ".done");
            assertThat(snapshot.get("rowsApplied").asLong()).as(snapshot.toString()).isEqualTo(2);
            assertThat(snapshot.get("heldByReason").get("BAD_ROW").asLong()).isEqualTo(2);
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(5);
            assertThat(onHand(hub, "HOODIE-GREY-L")).isEqualTo(4);
            assertThat(heldDetails(hub)).contains("row 3: sku is 101 characters long; at most 100 are stored",
                    "row 4: location contains a NUL character (U+0000), which cannot be stored");

            JsonNode rejected = awaitReport(drop(hub, "inventory", "inventory_" + "W".repeat(51)
                    + "_20261124T090000Z.csv", "sku,location,on_hand\nMUG-WHITE,C-01,9\n"), ".failed");
            assertThat(rejected.toString()).contains("BAD_FILE_NAME", "warehouse is 51 characters long");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(5);
        }
    }
}
