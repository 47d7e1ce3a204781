package org.handoff.csvinbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.csvinbox.CsvInboxFiles.drop;
import static org.handoff.csvinbox.CsvInboxFiles.file;
import static org.handoff.csvinbox.CsvInboxFiles.holds;
import static org.handoff.csvinbox.CsvInboxFiles.order;
import static org.handoff.csvinbox.CsvInboxFiles.orderCount;
import static org.handoff.csvinbox.CsvInboxFiles.report;
import static org.handoff.csvinbox.CsvInboxFiles.reserved;
import static org.handoff.csvinbox.CsvInboxFiles.row;
import static org.handoff.csvinbox.CsvInboxFiles.seed;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CSV inbox on the real application, a real drop folder and a real database (H2 and PostgreSQL). */
class CsvOrderInboxIT {

    static final String TS = "20261122T030000Z";

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void rowsOfOneOrderAreGroupedWhereverTheyStandAndADisagreementHoldsOnlyThatOrder(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            seed(hub, "SKU-B", 100);
            String name = "orders_shopify_" + TS + ".csv";
            drop(hub, name, file(
                    row("1001", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"),   // row 3
                    row("1002", "Berlin", "+4930222", "standard", "SKU-A", 2, "10.00"),   // row 4
                    row("1003", "Berlin", "+4930333", "standard", "SKU-B", 1, "5.00"),    // row 5
                    row("1001", "Berlin", "+4930111", "standard", "SKU-B", 3, "5.50"),    // row 6: 1001 again
                    row("1002", "Munich", "+4930222", "standard", "SKU-B", 1, "5.00"),    // row 7: 1002 disagrees
                    row("1001", "Berlin", "+4930111", "standard", "SKU-A", 2, "10.00"))); // row 8: 1001 again

            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.folder()).isEqualTo(".done");
            assertThat(report.orders("read")).isEqualTo(3);
            assertThat(report.orders("accepted")).isEqualTo(2);
            assertThat(report.orders("held")).isEqualTo(1);
            assertThat(report.orders("duplicate")).isZero();
            assertThat(report.json().get("rowsRead").asLong()).isEqualTo(6);
            assertThat(report.json().get("rowsApplied").asLong()).isEqualTo(4);
            assertThat(report.json().get("rowsHeld").asLong()).isEqualTo(2);
            JsonNode held = report.orders().get("heldOrders").get(0);
            assertThat(held.get("orderId").asText()).isEqualTo("1002");
            assertThat(held.get("rows").asText()).isEqualTo("4, 7");
            assertThat(held.get("reasonCode").asText()).isEqualTo("BAD_ROW");
            assertThat(held.get("detail").asText()).contains("ship_city").contains("row 4").contains("row 7");

            // 1001: three rows from rows 3, 6 and 8 make one order of three lines, in file order
            JsonNode o1001 = order(hub, "shopify", "1001");
            assertThat(o1001.get("lines")).hasSize(3);
            assertThat(o1001.get("lines").get(1).get("sku").asText()).isEqualTo("SKU-B");
            assertThat(o1001.get("lines").get(1).get("quantity").asInt()).isEqualTo(3);
            assertThat(o1001.get("state").asText()).isEqualTo("READY_TO_PICK");
            assertThat(reserved(hub, "SKU-A")).isEqualTo(3);
            assertThat(reserved(hub, "SKU-B")).isEqualTo(4);

            // 1002 is held as a whole, naming its rows; nothing of it reserved, no order made
            List<JsonNode> badRows = holds(hub, "BAD_ROW");
            assertThat(badRows).hasSize(1);
            assertThat(badRows.get(0).get("subject").asText()).contains("1002").contains("rows 4, 7");
            assertThat(hub.api().get("/api/orders?channel=shopify&externalId=1002").status()).isEqualTo(404);

            // the receipt says what became of the orders
            JsonNode receipt = hub.api().get("/api/files?kind=orders").json().get("files").get(0);
            assertThat(receipt.get("status").asText()).isEqualTo("applied");
            assertThat(receipt.get("detail").asText()).isEqualTo("orders: read 3, accepted 2, held 1, duplicate 0");

            // the operator corrects the rows and releases: the order is made, the hold closed
            long holdId = badRows.get(0).get("holdId").asLong();
            String payload = hub.api().get("/api/holds/" + holdId).json().get("payload").asText();
            assertThat(payload).startsWith("# template: orders-v1").contains("Munich");
            TestHub.Response release = hub.api().post("/api/holds/" + holdId + "/release",
                    Map.of("actor", "ops:anna", "note", "city is Berlin", "payload", payload.replace("Munich", "Berlin")));
            assertThat(release.status()).isEqualTo(200);
            assertThat(release.json().get("outcome").asText()).isEqualTo("accepted");
            assertThat(release.json().get("status").asText()).isEqualTo("released");
            assertThat(order(hub, "shopify", "1002").get("lines")).hasSize(2);
            assertThat(reserved(hub, "SKU-A")).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aFieldLongerThanTheStoreKeepsHoldsItsOrderAsBadRowAndTheOthersApply(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            String name = "orders_shopify_" + TS + ".csv";
            String city = "Berlin" + "-".repeat(300);
            drop(hub, name, file(
                    row("2001", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"),
                    row("2002", city, "+4930222", "standard", "SKU-A", 2, "10.00"),
                    row("2003", "Berlin", "+4930333", "standard", "SKU-A", 1, "10.00")));

            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.folder()).isEqualTo(".done");
            assertThat(report.orders("accepted")).isEqualTo(2);
            assertThat(report.orders("held")).isEqualTo(1);
            List<JsonNode> badRows = holds(hub, "BAD_ROW");
            assertThat(badRows).hasSize(1);
            JsonNode hold = hub.api().get("/api/holds/" + badRows.get(0).get("holdId").asLong()).json();
            assertThat(hold.get("detail").asText()).contains("order 2002: city is 306 characters long; at most 200");
            assertThat(hold.get("payload").asText()).contains(city);
            assertThat(hub.api().get("/api/orders?channel=shopify&externalId=2002").status()).isEqualTo(404);
            assertThat(reserved(hub, "SKU-A")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aPriceWithMoreDecimalsThanItsCurrencyOrInExponentNotationHoldsItsOrderNamingTheColumn(TestDb db)
            throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            String name = "orders_shopify_" + TS + ".csv";
            drop(hub, name, file(
                    row("5001", "Berlin", "+4930111", "standard", "SKU-A", 1, "12.345"),  // row 3: EUR has 2 decimals
                    row("5002", "Berlin", "+4930222", "standard", "SKU-A", 1, "1e3"),     // row 4: exponent
                    row("5003", "Berlin", "+4930333", "standard", "SKU-A", 1, "12.50"))); // row 5: fine

            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.folder()).isEqualTo(".done");
            assertThat(report.orders("accepted")).as(report.json().toString()).isEqualTo(1);
            assertThat(report.orders("held")).isEqualTo(2);
            List<String> details = holds(hub, "BAD_ROW").stream().map(h -> h.get("detail").asText()).toList();
            assertThat(details).hasSize(2);
            assertThat(details).anySatisfy(d -> assertThat(d).contains("row 3: unit_price '12.345' has 3 decimals; EUR has 2"));
            assertThat(details).anySatisfy(d -> assertThat(d).contains("row 4: unit_price '1e3' is in exponent notation"));
            assertThat(hub.api().get("/api/orders?channel=shopify&externalId=5001").status()).isEqualTo(404);
            assertThat(hub.api().get("/api/orders?channel=shopify&externalId=5002").status()).isEqualTo(404);
            assertThat(reserved(hub, "SKU-A")).isEqualTo(1);
        }
    }

    /**
     * An orders file whose grouping and applying step fails part-way (here the database refuses the second order,
     * one order per transaction, so the failure is that step's): the report and the receipt count as applied the
     * rows of the orders committed before the failure. Before, they counted every row staged, though the file was
     * not applied as a whole.
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aFileWhoseOrdersFailPartWayReportsTheRowsActuallyApplied(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).property("handoff.csv-inbox.batch-orders", "1").start()) {
            seed(hub, "SKU-A", 100);
            hub.jdbc().update("alter table orders add constraint test_refuses_6002 check (external_id <> '6002')");
            String name = "orders_shopify_" + TS + ".csv";
            drop(hub, name, file(
                    row("6001", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"),
                    row("6001", "Berlin", "+4930111", "standard", "SKU-A", 2, "10.00"),
                    row("6002", "Berlin", "+4930222", "standard", "SKU-A", 1, "10.00"),
                    row("6003", "Berlin", "+4930333", "standard", "SKU-A", 1, "10.00")));

            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.folder()).as(report.json().toString()).isEqualTo(".failed");
            assertThat(report.json().get("reasonCode").asText()).isEqualTo("PROCESSING_ERROR");
            assertThat(report.json().get("rowsRead").asLong()).isEqualTo(4);
            assertThat(report.json().get("rowsApplied").asLong()).as(report.json().toString()).isEqualTo(2);
            assertThat(report.orders("accepted")).isEqualTo(1);
            assertThat(order(hub, "shopify", "6001").get("lines")).hasSize(2);
            assertThat(hub.api().get("/api/orders?channel=shopify&externalId=6003").status()).isEqualTo(404);
            JsonNode receipt = hub.api().get("/api/files?kind=orders").json().get("files").get(0);
            assertThat(receipt.get("status").asText()).isEqualTo("rejected");
            assertThat(receipt.get("rowsApplied").asLong()).as(receipt.toString()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aTemplateMismatchRejectsThatFileAloneWhileAGoodFileBesideItApplies(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            String good = "orders_shopify_20261122T031000Z.csv";
            String v2 = "orders_shopify_20261122T032000Z.csv";
            String none = "orders_woocommerce_20261122T033000Z.csv";
            drop(hub, v2, file(row("2001", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"))
                    .replace("orders-v1", "orders-v2"));
            drop(hub, good, file(row("2002", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00")));
            drop(hub, none, CsvInboxFiles.HEADER + "\n" + row("2003", "Berlin", "+4930111", "standard", "SKU-A", 1, "1"));

            CsvInboxFiles.Report rejected = report(hub, v2);
            assertThat(rejected.folder()).isEqualTo(".failed");
            assertThat(rejected.json().get("reasonCode").asText()).isEqualTo("TEMPLATE_VERSION_MISMATCH");
            assertThat(rejected.json().get("detail").asText()).contains("expected 'orders-v1'").contains("found 'orders-v2'");
            CsvInboxFiles.Report missing = report(hub, none);
            assertThat(missing.folder()).isEqualTo(".failed");
            assertThat(missing.json().get("detail").asText()).contains("expected 'orders-v1'")
                    .contains("no template line");
            CsvInboxFiles.Report applied = report(hub, good);
            assertThat(applied.folder()).isEqualTo(".done");
            assertThat(applied.orders("accepted")).isEqualTo(1);

            assertThat(orderCount(hub)).isEqualTo(1);
            assertThat(order(hub, "shopify", "2002").get("state").asText()).isEqualTo("READY_TO_PICK");
            JsonNode receipts = hub.api().get("/api/files?kind=orders").json().get("files");
            JsonNode v2Receipt = null;
            for (JsonNode r : receipts) {
                if (r.get("name").asText().equals(v2)) {
                    v2Receipt = r;
                }
            }
            assertThat(v2Receipt).isNotNull();
            assertThat(v2Receipt.get("status").asText()).isEqualTo("rejected");
            assertThat(v2Receipt.get("reasonCode").asText()).isEqualTo("TEMPLATE_VERSION_MISMATCH");
            assertThat(v2Receipt.get("detail").asText()).contains("expected 'orders-v1'").contains("found 'orders-v2'");
            assertThat(holds(hub, "TEMPLATE_VERSION_MISMATCH")).hasSize(2);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void reDroppingTheSameFileChangesNothingAndANewFileWithAKnownOrderRecordsADuplicate(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            String name = "orders_shopify_" + TS + ".csv";
            String content = file(row("3001", "Berlin", "+4930111", "standard", "SKU-A", 2, "10.00"),
                    row("3002", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"));
            drop(hub, name, content);
            assertThat(report(hub, name).orders("accepted")).isEqualTo(2);
            JsonNode before = order(hub, "shopify", "3001");

            // the very same content again (re-sent under the same name): a duplicate file, nothing applied
            drop(hub, name, content);
            await(() -> hub.api().get("/api/files?kind=orders").json().get("files").size() == 2);
            JsonNode again = hub.api().get("/api/files?kind=orders").json().get("files").get(0);
            assertThat(again.get("status").asText()).isEqualTo("duplicate");
            assertThat(orderCount(hub)).isEqualTo(2);
            assertThat(reserved(hub, "SKU-A")).isEqualTo(3);
            assertThat(order(hub, "shopify", "3001").get("history")).hasSize(before.get("history").size());

            // a later export that repeats 3001 and adds 3003: 3001 is a duplicate, 3003 accepted
            String later = "orders_shopify_20261122T040000Z.csv";
            drop(hub, later, file(row("3001", "Berlin", "+4930111", "standard", "SKU-A", 2, "10.00"),
                    row("3003", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00")));
            CsvInboxFiles.Report r = report(hub, later);
            assertThat(r.orders("duplicate")).isEqualTo(1);
            assertThat(r.orders("accepted")).isEqualTo(1);
            assertThat(orderCount(hub)).isEqualTo(3);
            assertThat(reserved(hub, "SKU-A")).isEqualTo(4);
            assertThat(Files.list(hub.inbox("orders").resolve(".done")).count()).isEqualTo(6);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anUnreadableRowHoldsItsOrderAndABrokenFileAppliesNoOrder(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            String name = "orders_shopify_20261122T050000Z.csv";
            drop(hub, name, file(
                    row("4001", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"),            // row 3
                    row("4002", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"),            // row 4
                    row("4001", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00") + ",extra", // row 5: 17 fields
                    row("", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00")));              // row 6: no order_id
            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.orders("accepted")).isEqualTo(1);
            assertThat(report.orders("held")).isEqualTo(1);
            assertThat(report.json().get("rowsHeld").asLong()).isEqualTo(3); // rows 5 and 6 alone, row 3 with its order
            JsonNode held = report.orders().get("heldOrders").get(0);
            assertThat(held.get("orderId").asText()).isEqualTo("4001");
            assertThat(held.get("detail").asText()).contains("row 5 of order 4001 could not be read");
            assertThat(hub.api().get("/api/orders?channel=shopify&externalId=4001").status()).isEqualTo(404);
            assertThat(reserved(hub, "SKU-A")).isEqualTo(1);

            // an unclosed quote: the rows of any order may stand after it, so none is applied
            String broken = "orders_shopify_20261122T051000Z.csv";
            drop(hub, broken, file(row("4101", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"),
                    row("4102", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00").replace("Hauptstraße 1\"", "Hauptstraße 1"),
                    row("4101", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00")));
            CsvInboxFiles.Report brokenReport = report(hub, broken);
            assertThat(brokenReport.orders().get("notApplied").asText()).contains("broke off");
            assertThat(brokenReport.json().get("rowsApplied").asLong()).isZero();
            assertThat(hub.api().get("/api/orders?channel=shopify&externalId=4101").status()).isEqualTo(404);
            assertThat(orderCount(hub)).isEqualTo(1);
        }
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(condition);
    }
}
