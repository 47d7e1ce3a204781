package org.handoff.csvinbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.csvinbox.CsvInboxFiles.drop;
import static org.handoff.csvinbox.CsvInboxFiles.file;
import static org.handoff.csvinbox.CsvInboxFiles.order;
import static org.handoff.csvinbox.CsvInboxFiles.report;
import static org.handoff.csvinbox.CsvInboxFiles.row;
import static org.handoff.csvinbox.CsvInboxFiles.seed;

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
}
