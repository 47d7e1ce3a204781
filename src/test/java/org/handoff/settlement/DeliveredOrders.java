package org.handoff.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.handoff.api.Json;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.OrderPipeline;
import org.handoff.order.ShipTo;
import org.handoff.order.Source;
import org.handoff.security.EasyPostSignature;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;

/** Orders of 12.50 GBP a unit taken to DELIVERED (picked, handed over, delivered by a signed carrier event). */
final class DeliveredOrders {

    private static final String CARRIER_SECRET = "whsec_settlement_test";
    private static final ShipTo ADDRESS = new ShipTo("Ada Lovelace", "12 St James's Square", null, "London", "SW1Y 4JH",
            "GB", "+442079460000");

    private DeliveredOrders() {}

    static TestHub.Builder hub(TestDb db) {
        return TestHub.builder().db(db).env("CARRIER_WEBHOOK_SECRET", CARRIER_SECRET);
    }

    /** A delivered order {@code externalId} of channel test-shop: {@code quantity} x 12.50 GBP of a fresh SKU. */
    static String delivered(TestHub hub, String externalId, int quantity) {
        String sku = "SKU-" + externalId;
        Instant now = Instant.now();
        hub.jdbc().update("insert into catalog (sku, barcode, description, active, updated_at) values (?, null, ?, true, ?)",
                sku, sku, now);
        hub.jdbc().update("insert into stock (sku, on_hand, reserved, updated_at) values (?, 10, 0, ?)", sku, now);
        var outcome = hub.app().wiring().get(OrderPipeline.class).submit(new CanonicalOrder("test-shop", externalId,
                now.minusSeconds(60), null, null, "GBP", "ada@example.com",
                List.of(new CanonicalOrder.Line(sku, null, quantity, new BigDecimal("12.50"))), ADDRESS, "standard", "paid",
                false), new Source("test-shop", "system:test-shop", Source.Intent.CREATE, now, "delivery-" + externalId,
                "{}", Map.of(), null, null));
        assertThat(outcome.result()).isEqualTo("accepted");
        String orderId = outcome.orderId();
        String tracking = "9400" + externalId;
        assertThat(event(hub, orderId, "PICKED", Map.of("reference", "pick-" + orderId)).status()).isEqualTo(200);
        assertThat(event(hub, orderId, "HANDED_OVER", Map.of("carrier", "usps", "trackingNumber", tracking)).status())
                .isEqualTo(200);
        TestHub.Response delivered = carrier(hub, "evt_" + externalId, tracking, now);
        assertThat(delivered.status()).as(delivered.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(hub, orderId).equals("DELIVERED"));
        return orderId;
    }

    static String state(TestHub hub, String orderId) {
        return hub.api().get("/api/orders/" + orderId).json().get("state").asText();
    }

    static long openHolds(TestHub hub, String reason) {
        return hub.api().get("/api/holds?status=open&reason=" + reason).json().get("holds").size();
    }

    private static TestHub.Response event(TestHub hub, String orderId, String type, Map<String, Object> evidence) {
        return hub.api().post("/api/orders/" + orderId + "/events", Map.of("type", type, "evidence", evidence,
                "actor", "wms:WH1"));
    }

    /** An EasyPost tracker.updated event saying delivered, signed as EasyPost signs it. */
    private static TestHub.Response carrier(TestHub hub, String eventId, String tracking, Instant at) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("object", "TrackingDetail");
        detail.put("message", "delivered");
        detail.put("status", "delivered");
        detail.put("datetime", at.toString());
        Map<String, Object> tracker = new LinkedHashMap<>();
        tracker.put("id", "trk_" + tracking);
        tracker.put("object", "Tracker");
        tracker.put("mode", "production");
        tracker.put("tracking_code", tracking);
        tracker.put("status", "delivered");
        tracker.put("status_detail", "unknown");
        tracker.put("updated_at", at.toString());
        tracker.put("carrier", "USPS");
        tracker.put("tracking_details", List.of(detail));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("description", "tracker.updated");
        event.put("mode", "production");
        event.put("created_at", at.toString());
        event.put("pending_urls", List.of("https://hub.example.com/webhooks/carrier/easypost"));
        event.put("completed_urls", List.of());
        event.put("id", eventId);
        event.put("object", "Event");
        event.put("status", "pending");
        event.put("result", tracker);
        byte[] bytes = Json.write(event).getBytes(StandardCharsets.UTF_8);
        return hub.post("/webhooks/carrier/easypost", bytes, Map.of("Content-Type", "application/json",
                "X-Hmac-Signature", new EasyPostSignature(CARRIER_SECRET).sign(bytes)));
    }
}
