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
import java.util.List;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Orders files as an operator's spreadsheet really writes them (H2 and PostgreSQL). */
class CsvInboxSpreadsheetExportIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aTemplateLinePaddedWithCommasBySavingTheFileInASpreadsheetIsStillTheTemplateLine(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            String name = "orders_shopify_20261122T060000Z.csv";
            // Excel saves every line as wide as the widest row, with a byte-order mark and CRLF line ends
            String saved = "\uFEFF" + file(row("6001", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"))
                    .replace(OrdersTemplate.TEMPLATE_LINE, OrdersTemplate.TEMPLATE_LINE + ",".repeat(15))
                    .replace("\n", "\r\n");
            drop(hub, name, saved);

            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.folder()).isEqualTo(".done");
            assertThat(report.orders("accepted")).isEqualTo(1);
            assertThat(order(hub, "shopify", "6001").get("state").asText()).isEqualTo("READY_TO_PICK");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void rowsThatDifferOnlyInTheCaseOfCurrencyCountryOrPaymentStatusAreOneOrder(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            seed(hub, "SKU-B", 100);
            String name = "orders_shopify_20261122T061000Z.csv";
            drop(hub, name, file(
                    row("6101", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"),
                    // a line the operator typed in by hand
                    row("6101", "Berlin", "+4930111", "standard", "SKU-B", 2, "5.00")
                            .replace(",DE,", ",de,").replace(",EUR,paid", ",eur,PAID")));

            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.orders("accepted")).isEqualTo(1);
            assertThat(report.orders("held")).isZero();
            JsonNode o = order(hub, "shopify", "6101");
            assertThat(o.get("lines")).hasSize(2);
            assertThat(o.get("currency").asText()).isEqualTo("EUR");
            assertThat(o.get("state").asText()).isEqualTo("READY_TO_PICK");
            assertThat(holds(hub, "BAD_ROW")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anOrderIdASpreadsheetWroteInScientificNotationIsHeldNotMadeAnOrder(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            String name = "orders_shopify_20261122T062000Z.csv";
            drop(hub, name, file(
                    row("5.81004E+12", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"),   // row 3
                    row("6201", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"),          // row 4
                    row("5.81004E+12", "Berlin", "+4930111", "standard", "SKU-A", 2, "10.00"),   // row 5
                    row("6202", "Berlin", "4.93012E+10", "standard", "SKU-A", 1, "10.00"),       // row 6: phone
                    row("6203", "Berlin", "+4930111", "standard", "4.40123E+13", 1, "10.00")));  // row 7: variant id

            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.orders("accepted")).isEqualTo(1);
            assertThat(report.orders("held")).isEqualTo(3);
            JsonNode held = report.orders().get("heldOrders").get(0);
            assertThat(held.get("reasonCode").asText()).isEqualTo("BAD_ROW");
            assertThat(held.get("rows").asText()).isEqualTo("3, 5");
            assertThat(held.get("detail").asText()).contains("scientific notation").contains("real order id is lost");
            // a phone the carrier would be given, and a variant id, rounded the same way: held, never sent on
            for (JsonNode other : report.orders().get("heldOrders")) {
                if (!other.get("orderId").asText().equals("5.81004E+12")) {
                    assertThat(other.get("reasonCode").asText()).isEqualTo("BAD_ROW");
                    assertThat(other.get("detail").asText()).contains("scientific notation");
                }
            }
            assertThat(hub.api().get("/api/orders?channel=shopify&externalId=6202").status()).isEqualTo(404);
            // no order under the rounded id: the webhook's 5810038866101 would otherwise make the order a second time
            assertThat(hub.api().get("/api/orders?channel=shopify&externalId=5.81004E%2B12").status()).isEqualTo(404);
            assertThat(orderCount(hub)).isEqualTo(1);
            assertThat(reserved(hub, "SKU-A")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anOrderIdTheStoreCannotKeepHoldsItsRowAloneAndTheRestOfTheFileApplies(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            String name = "orders_shopify_20261122T063000Z.csv";
            drop(hub, name, file(
                    row("6301", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"),          // row 3
                    row("7".repeat(350), "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"), // row 4
                    row("63\u000002", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00")));  // row 5

            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.folder()).isEqualTo(".done");
            assertThat(report.json().get("status").asText()).isEqualTo("applied");
            assertThat(report.orders("accepted")).isEqualTo(1);
            assertThat(report.json().get("rowsHeld").asLong()).isEqualTo(2);
            JsonNode heldRows = report.json().get("heldRows");
            assertThat(heldRows).hasSize(2);
            assertThat(heldRows.get(0).get("row").asLong()).isEqualTo(4);
            assertThat(heldRows.get(0).get("detail").asText()).contains("order_id is 350 characters long; at most 200");
            assertThat(heldRows.get(1).get("row").asLong()).isEqualTo(5);
            assertThat(heldRows.get(1).get("detail").asText()).contains("order_id contains a NUL character");
            List<JsonNode> badRows = holds(hub, "BAD_ROW");
            assertThat(badRows).hasSize(2);
            assertThat(holds(hub, "PROCESSING_ERROR")).isEmpty();
            assertThat(orderCount(hub)).isEqualTo(1);
            assertThat(order(hub, "shopify", "6301").get("state").asText()).isEqualTo("READY_TO_PICK");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aFileSavedWithSemicolonsIsRejectedAloneSayingSo(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            // a spreadsheet in a locale with decimal commas saves "CSV" with semicolons, padding every line
            String padded = "orders_shopify_20261122T064000Z.csv";
            drop(hub, padded, file(row("6401", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"))
                    .replace(OrdersTemplate.TEMPLATE_LINE, OrdersTemplate.TEMPLATE_LINE + ",".repeat(15))
                    .replace(",", ";"));
            CsvInboxFiles.Report template = report(hub, padded);
            assertThat(template.folder()).isEqualTo(".failed");
            assertThat(template.json().get("reasonCode").asText()).isEqualTo("TEMPLATE_VERSION_MISMATCH");
            assertThat(template.json().get("detail").asText()).contains("separated by ';', not commas");

            String plain = "orders_shopify_20261122T065000Z.csv";
            drop(hub, plain, file(row("6402", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00")).replace(",", ";"));
            CsvInboxFiles.Report header = report(hub, plain);
            assertThat(header.folder()).isEqualTo(".failed");
            assertThat(header.json().get("reasonCode").asText()).isEqualTo("BAD_FILE_HEADER");
            assertThat(header.json().get("detail").asText()).contains("separated by ';', not commas");
            assertThat(orderCount(hub)).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void rowsWithEveryCellEmptyAreSkippedNotHeldAndTheRowNumbersAfterThemStay(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            String name = "orders_shopify_20261122T070000Z.csv";
            // a spreadsheet saves formatted or cleared rows below (or between) the data as rows of commas
            String empty = ",".repeat(OrdersTemplate.HEADER.size() - 1);
            drop(hub, name, file(
                    row("6601", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"), // row 3
                    empty,                                                             // row 4
                    " ",                                                               // row 5
                    row("6602", "Berlin", "+4930111", "standard", "SKU-A", 0, "10.00"), // row 6: quantity 0
                    empty, empty));                                                    // rows 7, 8

            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.folder()).isEqualTo(".done");
            assertThat(report.orders("accepted")).isEqualTo(1);
            assertThat(report.orders("held")).isEqualTo(1);
            assertThat(report.orders().get("heldOrders").get(0).get("rows").asText()).isEqualTo("6");
            assertThat(report.json().get("heldRows")).isEmpty();
            assertThat(holds(hub, "BAD_ROW")).hasSize(1); // 6602's, none for the empty rows
            assertThat(report.json().get("rowsRead").asLong()).isEqualTo(6);
            assertThat(report.json().get("rowsBlank").asLong()).isEqualTo(4);
        }
    }

    /** A currency a person typed ("EURO", "€") or left empty holds its order INVALID_CURRENCY, as a webhook's would. */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anOrderWithoutAnIsoCurrencyIsHeldInvalidCurrency(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            String name = "orders_shopify_20261122T062000Z.csv";
            drop(hub, name, file(
                    row("6201", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00"),
                    row("6202", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00").replace(",EUR,paid", ",EURO,paid"),
                    row("6203", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00").replace(",EUR,paid", ",,paid")));

            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.orders("accepted")).isEqualTo(1);
            assertThat(report.orders("held")).isEqualTo(2);
            assertThat(order(hub, "shopify", "6202").get("state").asText()).isEqualTo("HELD");
            assertThat(holds(hub, "INVALID_CURRENCY")).extracting(h -> h.get("detail").asText())
                    .anySatisfy(d -> assertThat(d).contains("currency 'EURO' is not an ISO 4217 code"))
                    .anySatisfy(d -> assertThat(d).contains("currency is missing"));
            assertThat(reserved(hub, "SKU-A")).isEqualTo(1);
        }
    }
}
