package org.handoff.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;
import static org.handoff.files.DropFolders.onHand;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Catalog, purchase orders and returns through the real drop folders, using the files of samples/inbox/. */
class ErpAndReturnsSyncIT {

    static String sample(String kind, String name) throws Exception {
        return Files.readString(Path.of("samples/inbox", kind, name));
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void theCatalogSampleUpsertsTheMasterCatalog(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            JsonNode report = awaitReport(drop(hub, "catalog", "catalog_20261122T020000Z.csv",
                    sample("catalog", "catalog_20261122T020000Z.csv")), ".done");
            assertThat(report.get("rowsHeld").asLong()).isEqualTo(1); // active=maybe
            long rows = report.get("rowsApplied").asLong();
            assertThat(hub.jdbc().queryOne("select count(*) from catalog", rs -> rs.getLong(1)).orElseThrow())
                    .isEqualTo(rows);
            awaitReport(drop(hub, "catalog", "catalog_20261123T020000Z.csv",
                    "sku,barcode,description,active\nMUG-WHITE,4006381333931,White mug 330 ml,false\n"), ".done");
            assertThat(hub.jdbc().queryOne("select active from catalog where sku = ?", rs -> rs.getBoolean(1),
                    "MUG-WHITE").orElseThrow()).isFalse();
            // a SKU only in the catalog answers with zero stock
            assertThat(hub.api().get("/api/inventory/HOODIE-GREY-L").json().get("onHand").asLong()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void purchaseOrdersRecordInboundThatIsNeverSold(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            JsonNode report = awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261122T020000Z.csv",
                    sample("purchase-orders", "purchase-orders_20261122T020000Z.csv")), ".done");
            assertThat(report.get("heldByReason").get("BAD_ROW").asLong()).isEqualTo(1);
            JsonNode tee = hub.api().get("/api/inventory/TSHIRT-RED-M").json();
            // PO-1001 40 + PO-1002 (old code inside its window) 10
            assertThat(tee.get("inbound").asLong()).isEqualTo(50);
            assertThat(tee.get("ats").get("shopify").asLong()).isZero();
            // a later file changes a line: inbound moves by the difference
            awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261123T020000Z.csv",
                    "po_number,supplier_code,sku,quantity,expected_at\nPO-1001,ACME,TSHIRT-RED-M,25,2026-12-03\n"), ".done");
            assertThat(hub.api().get("/api/inventory/TSHIRT-RED-M").json().get("inbound").asLong()).isEqualTo(35);

            // the same PO and SKU twice in one file (split deliveries): the second is held, not silently applied
            // over the first; released, it replaces the line
            long mugInbound = hub.api().get("/api/inventory/MUG-WHITE").json().get("inbound").asLong();
            JsonNode twice = awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261124T020000Z.csv",
                    "po_number,supplier_code,sku,quantity,expected_at\nPO-2001,ACME,MUG-WHITE,10,2026-12-03\n"
                            + "PO-2001,ACME,MUG-WHITE,5,2026-12-10\n"), ".done");
            assertThat(twice.get("rowsHeld").asLong()).isEqualTo(1);
            assertThat(twice.get("heldRows").get(0).get("detail").asText()).contains("a second time in this file (row 2 applies)");
            assertThat(hub.api().get("/api/inventory/MUG-WHITE").json().get("inbound").asLong()).isEqualTo(mugInbound + 10);
            long held = twice.get("heldRows").get(0).get("holdId").asLong();
            assertThat(hub.api().post("/api/holds/" + held + "/release", java.util.Map.of("actor", "ops")).json()
                    .get("status").asText()).isEqualTo("released");
            assertThat(hub.api().get("/api/inventory/MUG-WHITE").json().get("inbound").asLong()).isEqualTo(mugInbound + 5);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void returnedUnitsStayInQuarantineUntilARestockDecision(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T030000Z.csv",
                    sample("inventory", "inventory_WH1_20261122T030000Z.csv")), ".done");
            long before = onHand(hub, "MUG-WHITE");
            JsonNode report = awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv",
                    sample("returns", "returns_20261122T040000Z.csv")), ".done");
            assertThat(report.get("rowsHeld").asLong()).isEqualTo(1); // quantity 0

            JsonNode mug = hub.api().get("/api/inventory/MUG-WHITE").json();
            assertThat(mug.get("quarantined").asLong()).isEqualTo(2);
            assertThat(mug.get("onHand").asLong()).isEqualTo(before);
            long atsBefore = mug.get("ats").get("woocommerce").asLong();

            JsonNode rma = hub.api().get("/api/returns/RMA-5001").json();
            assertThat(rma.get("state").asText()).isEqualTo("QUARANTINED");
            assertThat(rma.get("lines").get(0).get("quantity").asLong()).isEqualTo(2);

            TestHub.Response bad = hub.api().post("/api/returns/RMA-5001/decision", Map.of("decision", "KEEP", "actor", "ops"));
            assertThat(bad.status()).isEqualTo(400);
            // a note (or actor) that is not text is refused, not stored empty
            TestHub.Response objectNote = hub.api().post("/api/returns/RMA-5001/decision",
                    "{\"decision\":\"RESTOCK\",\"actor\":\"ops\",\"note\":{\"text\":\"sealed\"}}");
            assertThat(objectNote.status()).as(objectNote.toString()).isEqualTo(400);
            assertThat(objectNote.json().get("message").asText()).contains("'note' must be text");
            assertThat(hub.api().get("/api/returns/RMA-5001").json().get("state").asText()).isEqualTo("QUARANTINED");

            JsonNode decided = hub.api().post("/api/returns/RMA-5001/decision",
                    Map.of("decision", "RESTOCK", "actor", "ops@warehouse", "note", "sealed, back on shelf")).json();
            assertThat(decided.get("state").asText()).isEqualTo("RESTOCKED");
            assertThat(decided.get("history").findValuesAsText("to")).containsExactly("QUARANTINED", "RESTOCKED");
            assertThat(decided.get("history").get(1).get("actor").asText()).isEqualTo("ops@warehouse");

            mug = hub.api().get("/api/inventory/MUG-WHITE").json();
            assertThat(mug.get("quarantined").asLong()).isZero();
            assertThat(mug.get("onHand").asLong()).isEqualTo(before + 2);
            assertThat(mug.get("ats").get("woocommerce").asLong()).isEqualTo(atsBefore + 2);

            TestHub.Response again = hub.api().post("/api/returns/RMA-5001/decision", Map.of("decision", "SCRAP", "actor", "ops"));
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
            assertThat(again.json().get("state").asText()).as(again.body()).isEqualTo("RESTOCKED");

            JsonNode scrapped = hub.api().post("/api/returns/RMA-5002/decision",
                    Map.of("decision", "SCRAP", "actor", "ops", "note", "torn")).json();
            assertThat(scrapped.get("state").asText()).isEqualTo("SCRAPPED");
            assertThat(hub.api().get("/api/inventory/TSHIRT-RED-M").json().get("quarantined").asLong()).isZero();
            assertThat(hub.api().get("/api/returns/RMA-9999").status()).isEqualTo(404);
        }
    }
}
