package org.handoff.csvinbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.csvinbox.CsvInboxFiles.drop;
import static org.handoff.csvinbox.CsvInboxFiles.file;
import static org.handoff.csvinbox.CsvInboxFiles.holds;
import static org.handoff.csvinbox.CsvInboxFiles.order;
import static org.handoff.csvinbox.CsvInboxFiles.report;
import static org.handoff.csvinbox.CsvInboxFiles.reserved;
import static org.handoff.csvinbox.CsvInboxFiles.row;
import static org.handoff.csvinbox.CsvInboxFiles.seed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An order of two rows, one of them unreadable (a field too many): the intake holds that row alone and the
 * order with it, waiting for the line. Before, releasing the corrected row's own hold made the row alone an
 * order (one line, accepted and reserved), and the order's hold could then only be a duplicate: row 3's line
 * never shipped (found by a review helper). Now the row's release is refused, pointing at the order's hold.
 */
class ReleasedRowOfAHeldOrderIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void theRowOfAnOrderWaitingForItIsReleasedWithItsOrderNeverAlone(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-A", 100);
            seed(hub, "SKU-B", 100);
            String name = "orders_shopify_20261122T050000Z.csv";
            String goodRow = row("4001", "Berlin", "+4930111", "standard", "SKU-A", 1, "10.00");
            String fixedRow = row("4001", "Berlin", "+4930111", "standard", "SKU-B", 2, "10.00");
            drop(hub, name, file(goodRow, fixedRow + ",extra"));
            report(hub, name);

            List<JsonNode> open = holds(hub, "BAD_ROW");
            assertThat(open).hasSize(2);
            long rowHold = -1;
            long orderHold = -1;
            for (JsonNode h : open) {
                JsonNode full = hub.api().get("/api/holds/" + h.get("holdId").asLong()).json();
                if (full.get("payload").asText().startsWith("# template")) {
                    orderHold = h.get("holdId").asLong();
                } else {
                    rowHold = h.get("holdId").asLong();
                }
            }
            // the operator corrects the row and releases its hold: refused, the hold stays open and says where to go
            JsonNode refused = hub.api().post("/api/holds/" + rowHold + "/release",
                    Map.of("actor", "ops:anna", "note", "extra field removed", "payload", fixedRow)).json();
            assertThat(refused.toString()).doesNotContain("\"outcome\":\"applied\"");
            JsonNode rowHoldNow = hub.api().get("/api/holds/" + rowHold).json();
            assertThat(rowHoldNow.get("status").asText()).isEqualTo("open");
            assertThat(rowHoldNow.get("detail").asText()).contains("release hold " + orderHold);
            assertThat(hub.api().get("/api/orders?channel=shopify&externalId=4001").status()).isEqualTo(404);
            assertThat(reserved(hub, "SKU-B")).isZero();

            // the order's hold, released with the line added, is the whole order
            String orderPayload = hub.api().get("/api/holds/" + orderHold).json().get("payload").asText();
            hub.api().post("/api/holds/" + orderHold + "/release", Map.of("actor", "ops:anna", "note", "line added",
                    "payload", orderPayload.stripTrailing() + "\r\n" + fixedRow + "\r\n"));
            JsonNode o = order(hub, "shopify", "4001");
            assertThat(o.get("lines")).hasSize(2);
            assertThat(reserved(hub, "SKU-A")).isEqualTo(1);
            assertThat(reserved(hub, "SKU-B")).isEqualTo(2);

            // the row's own hold is settled by its order's release: closed, saying so (it stayed open before, and
            // releasing it answered only "duplicate")
            JsonNode rowHoldAfter = hub.api().get("/api/holds/" + rowHold).json();
            assertThat(rowHoldAfter.get("status").asText()).isEqualTo("released");
            assertThat(rowHoldAfter.toString()).contains("settled by the release of its order's hold " + orderHold);
            assertThat(holds(hub, "BAD_ROW")).isEmpty();
        }
    }
}
