package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.handoff.api.Json;
import org.handoff.testing.HttpReceiver;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The customer changes an order's lines (a Shopify order edit: orders/updated). Before, the hub answered
 * "accepted" and kept the old lines and reservation, with nothing held and nothing in the history: the WMS was
 * told to pick 1 while the storefront said 3 (found by a review helper).
 */
class LineChangeIT {

    private static final String ORDER = "{\"id\": %d, \"created_at\": \"2026-11-22T04:15:00+01:00\","
            + " \"updated_at\": \"%s\", \"currency\": \"EUR\", \"financial_status\": \"paid\","
            + " \"line_items\": [{\"sku\": \"MUG-WHITE\", \"quantity\": %d, \"price\": \"14.95\"}],"
            + " \"shipping_address\": {\"name\": \"Jorg\", \"address1\": \"Weg 1\", \"city\": \"Koeln\", \"zip\": \"50667\","
            + " \"country_code\": \"DE\", \"phone\": \"+49221123\"}, \"shipping_lines\": [{\"code\": \"standard\"}]}";

    private static byte[] order(int id, String updatedAt, int quantity) {
        return String.format(ORDER, id, updatedAt, quantity).getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void linesChangedBeforeThePickAreReservedAndPickedAgainAfterItTheyAreHeld(TestDb db) throws Exception {
        try (HttpReceiver wms = new HttpReceiver();
                TestHub hub = Lifecycle.hub(db).property("handoff.wms.url", wms.url() + "/wms/orders").start()) {
            Lifecycle.seed(hub, "MUG-WHITE", 10);
            JsonNode created = Lifecycle.shopify(hub, "orders/create", "ev-1", order(501, "2026-11-22T04:15:02+01:00", 1)).json();
            String orderId = created.get("orderId").asText();
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("READY_TO_PICK");
            assertThat(Lifecycle.stock(hub, "reserved", "MUG-WHITE")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received().size() == 1);

            // 1 -> 3 before the pick: applied, reserved, and a replacement ticket for the WMS
            JsonNode more = Lifecycle.shopify(hub, "orders/updated", "ev-2", order(501, "2026-11-22T04:30:00+01:00", 3)).json();
            assertThat(more.get("result").asText()).isEqualTo("accepted");
            JsonNode view = hub.api().get("/api/orders/" + orderId).json();
            assertThat(view.get("lines").get(0).get("quantity").asInt()).isEqualTo(3);
            assertThat(view.toString()).contains("LINES_CHANGED");
            assertThat(Lifecycle.stock(hub, "reserved", "MUG-WHITE")).isEqualTo(3);
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received().size() == 2);
            JsonNode ticket = Json.MAPPER.readTree(wms.received().get(1).body());
            assertThat(ticket.get("type").asText()).isEqualTo("PICK_TICKET");
            assertThat(ticket.get("replaces").asText()).isEqualTo(orderId + "-v1");
            assertThat(ticket.get("lines").get(0).get("quantity").asInt()).isEqualTo(3);

            // 3 -> 50: more than the shelf holds; held, nothing reserved, the WMS told to cancel the ticket
            JsonNode tooMany = Lifecycle.shopify(hub, "orders/updated", "ev-3", order(501, "2026-11-22T04:40:00+01:00", 50)).json();
            assertThat(tooMany.get("result").asText()).isEqualTo("held");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("HELD");
            assertThat(Lifecycle.stock(hub, "reserved", "MUG-WHITE")).isZero();
            assertThat(Lifecycle.openHolds(hub, "INSUFFICIENT_STOCK")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received().size() == 3);
            assertThat(Json.MAPPER.readTree(wms.received().get(2).body()).get("type").asText()).isEqualTo("CANCEL");

            // back to 2: accepted again, reserved, a new ticket
            JsonNode fewer = Lifecycle.shopify(hub, "orders/updated", "ev-4", order(501, "2026-11-22T04:50:00+01:00", 2)).json();
            assertThat(fewer.get("result").asText()).isEqualTo("accepted");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("READY_TO_PICK");
            assertThat(Lifecycle.stock(hub, "reserved", "MUG-WHITE")).isEqualTo(2);

            // picked, then changed: the units may be packed; a person decides, nothing moves
            assertThat(Lifecycle.event(hub, orderId, "PICKED", Map.of("reference", "pick-501")).status()).isEqualTo(200);
            long onHand = Lifecycle.stock(hub, "on_hand", "MUG-WHITE");
            JsonNode late = Lifecycle.shopify(hub, "orders/updated", "ev-5", order(501, "2026-11-22T05:00:00+01:00", 4)).json();
            assertThat(late.get("result").asText()).isEqualTo("held");
            assertThat(Lifecycle.openHolds(hub, "LINES_CHANGE_AFTER_PICK")).isEqualTo(1);
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("PICKED");
            assertThat(hub.api().get("/api/orders/" + orderId).json().get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
            assertThat(Lifecycle.stock(hub, "on_hand", "MUG-WHITE")).isEqualTo(onHand);
            assertThat(Lifecycle.stock(hub, "reserved", "MUG-WHITE")).isZero();

            // the same lines re-sent (a payment or note update): nothing about the lines moves
            JsonNode same = Lifecycle.shopify(hub, "orders/updated", "ev-6", order(501, "2026-11-22T05:10:00+01:00", 2)).json();
            assertThat(same.get("result").asText()).isIn("accepted", "ignored");
            assertThat(Lifecycle.openHolds(hub, "LINES_CHANGE_AFTER_PICK")).isEqualTo(1);
        }
    }
}
