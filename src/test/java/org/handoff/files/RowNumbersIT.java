package org.handoff.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Row numbers in holds and reports are the line a record starts on, as an editor or a spreadsheet shows the file
 * (the header is row 1). Before, an empty line was not counted, so every row after one was numbered one lower,
 * and a record with a quoted line break counted as one row however many lines it took.
 */
class RowNumbersIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aHeldRowIsNumberedByItsLineEmptyLinesAndQuotedLineBreaksIncluded(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            // inventory (the fast reader): line 3 is empty, the bad row stands on line 4
            JsonNode count = awaitReport(drop(hub, "inventory", "inventory_WH1_20261124T080000Z.csv",
                    "sku,location,on_hand\n"
                    + "MUG-WHITE,C-01,5\n"
                    + "\n"
                    + "MUG-WHITE,C-02,many\n"), ".done");
            assertThat(count.get("heldRows").get(0).get("row").asLong()).as(count.toString()).isEqualTo(4);
            assertThat(count.get("heldRows").get(0).get("detail").asText()).startsWith("row 4: on_hand");

            // catalog: a description over two lines (lines 2 and 3), an empty line 4, CRLF line ends, the bad row on 5
            JsonNode catalog = awaitReport(drop(hub, "catalog", "catalog_20261124T080000Z.csv",
                    "sku,barcode,description,active\r\n"
                    + "LINES-1,111,\"two\r\nlines\",true\r\n"
                    + "\r\n"
                    + "LINES-2,222,x,maybe\r\n"), ".done");
            assertThat(catalog.get("rowsApplied").asLong()).as(catalog.toString()).isEqualTo(1);
            assertThat(catalog.get("heldRows").get(0).get("row").asLong()).isEqualTo(5);

            List<String> subjects = new ArrayList<>();
            List<String> details = new ArrayList<>();
            hub.api().get("/api/holds?status=open&reason=BAD_ROW").json().get("holds").forEach(h -> {
                subjects.add(h.get("subject").asText());
                details.add(h.get("detail").asText());
            });
            assertThat(subjects).contains("inventory_WH1_20261124T080000Z.csv row 4", "catalog_20261124T080000Z.csv row 5");
            assertThat(details).anyMatch(d -> d.startsWith("row 5: active 'maybe'"));
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anOrdersFileNumbersItsRowsByLineTooTheTemplateLineBeingRowOne(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String header = String.join(",", org.handoff.csvinbox.OrdersTemplate.HEADER);
            String good = "7001,2026-11-22T02:15:00Z,a@example.com,Zoe,Street 1,,Berlin,10115,DE,+4930111,standard,"
                    + "MUG-WHITE,1,10.00,EUR,paid";
            String noId = ",2026-11-22T02:15:00Z,b@example.com,Zoe,Street 1,,Berlin,10115,DE,+4930111,standard,"
                    + "MUG-WHITE,1,10.00,EUR,paid";
            JsonNode report = awaitReport(drop(hub, "orders", "orders_shopify_20261124T080000Z.csv",
                    "# template: orders-v1\n" + header + "\n" + good + "\n\n\n" + noId + "\n"), ".done");
            assertThat(report.get("heldRows").get(0).get("row").asLong()).as(report.toString()).isEqualTo(6);
            assertThat(report.get("heldRows").get(0).get("detail").asText()).startsWith("row 6: order_id is empty");
        }
    }
}
