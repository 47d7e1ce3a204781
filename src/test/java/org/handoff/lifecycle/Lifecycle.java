package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.handoff.api.Json;
import org.handoff.files.DropFolders;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.OrderPipeline;
import org.handoff.order.ShipTo;
import org.handoff.order.Source;
import org.handoff.security.EasyPostSignature;
import org.handoff.testing.TestHub;
import org.handoff.webhook.Deliveries;

/** Shared moves of the lifecycle tests: stock, orders, dispatch evidence and signed carrier events. */
final class Lifecycle {

    static final String CARRIER_SECRET = "whsec_lifecycle_s\u00e9cret";
    static final EasyPostSignature SIGNER = new EasyPostSignature(CARRIER_SECRET);
    static final ShipTo ADDRESS = new ShipTo("Ada Lovelace", "12 St James's Square", null, "London", "SW1Y 4JH", "GB",
            "+442079460000");

    private Lifecycle() {}

    static void seed(TestHub hub, String sku, int onHand) {
        Instant now = Instant.now();
        hub.jdbc().update("insert into catalog (sku, barcode, description, active, updated_at) values (?, null, ?, true, ?)",
                sku, sku, now);
        hub.jdbc().update("insert into stock (sku, on_hand, reserved, updated_at) values (?, ?, 0, ?)", sku, onHand, now);
    }

    static long stock(TestHub hub, String column, String sku) {
        return hub.jdbc().queryOne("select " + column + " from stock where sku = ?", rs -> rs.getLong(1), sku).orElseThrow();
    }

    /** A paid order for {@code quantity} of {@code sku}: accepted, reserved, READY_TO_PICK. */
    static String paidOrder(TestHub hub, String externalId, String sku, int quantity) {
        OrderPipeline pipeline = hub.app().wiring().get(OrderPipeline.class);
        var outcome = pipeline.submit(new CanonicalOrder("test-shop", externalId, Instant.now().minusSeconds(60), null,
                null, "GBP", "ada@example.com", List.of(new CanonicalOrder.Line(sku, null, quantity, new BigDecimal("12.50"))),
                ADDRESS, "standard", "paid", false), new Source("test-shop", "system:test-shop", Source.Intent.CREATE,
                Instant.now(), "delivery-" + externalId, "{}", Map.of(), null, null));
        assertThat(outcome.result()).isEqualTo("accepted");
        return outcome.orderId();
    }

    /** The same order submitted again (a redelivery through another door): the pipeline answers duplicate. */
    static void paidOrderAgain(TestHub hub, String externalId, String sku, int quantity) {
        OrderPipeline pipeline = hub.app().wiring().get(OrderPipeline.class);
        var outcome = pipeline.submit(new CanonicalOrder("test-shop", externalId, Instant.now().minusSeconds(60), null,
                null, "GBP", "ada@example.com", List.of(new CanonicalOrder.Line(sku, null, quantity, new BigDecimal("12.50"))),
                ADDRESS, "standard", "paid", false), new Source("test-shop", "system:test-shop", Source.Intent.CREATE,
                Instant.now(), "delivery-" + externalId, "{}", Map.of(), null, null));
        assertThat(outcome.result()).isEqualTo("duplicate");
    }

    static String state(TestHub hub, String orderId) {
        return hub.api().get("/api/orders/" + orderId).json().get("state").asText();
    }

    static TestHub.Response event(TestHub hub, String orderId, String type, Map<String, Object> evidence) {
        return hub.api().post("/api/orders/" + orderId + "/events", Map.of("type", type, "evidence", evidence,
                "actor", "wms:WH1"));
    }

    static void pickAndHandOver(TestHub hub, String orderId, String carrier, String tracking) {
        assertThat(event(hub, orderId, "PICKED", Map.of("reference", "pick-" + orderId)).status()).isEqualTo(200);
        TestHub.Response handed = event(hub, orderId, "HANDED_OVER", Map.of("carrier", carrier, "trackingNumber", tracking));
        assertThat(handed.status()).as(handed.body()).isEqualTo(200);
    }

    /** An EasyPost Event whose result is a Tracker, as the webhook delivers it. */
    /** Picked, handed over, scanned and delivered (through the API and signed carrier events). */
    static void deliver(TestHub hub, String orderId, String tracking) {
        pickAndHandOver(hub, orderId, "USPS", tracking);
        Instant t = Instant.now();
        TestHub.Response scan = carrierPost(hub, trackerEvent("evt_s_" + tracking, "USPS", tracking, "in_transit", t));
        assertThat(scan.json().get("result").asText()).as(scan.body()).isEqualTo("accepted");
        TestHub.Response delivered = carrierPost(hub, trackerEvent("evt_d_" + tracking, "USPS", tracking, "delivered",
                t.plusSeconds(60)));
        assertThat(delivered.json().get("result").asText()).as(delivered.body()).isEqualTo("accepted");
    }

    /** A delivered order {@code externalId} of channel test-shop: {@code quantity} x 12.50 GBP of a fresh SKU. */
    static String deliveredOrder(TestHub hub, String externalId, int quantity) {
        seed(hub, "SKU-" + externalId, 10);
        String orderId = paidOrder(hub, externalId, "SKU-" + externalId, quantity);
        deliver(hub, orderId, "9400" + externalId);
        assertThat(state(hub, orderId)).isEqualTo("DELIVERED");
        return orderId;
    }

    static String trackerEvent(String eventId, String carrier, String tracking, String status, Instant at) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("object", "TrackingDetail");
        detail.put("message", status.replace('_', ' '));
        detail.put("status", status);
        detail.put("datetime", at.toString());
        Map<String, Object> tracker = new LinkedHashMap<>();
        tracker.put("id", "trk_" + tracking);
        tracker.put("object", "Tracker");
        tracker.put("mode", "production");
        tracker.put("tracking_code", tracking);
        tracker.put("status", status);
        tracker.put("status_detail", "unknown");
        tracker.put("updated_at", at.toString());
        tracker.put("carrier", carrier);
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
        return Json.write(event);
    }

    static TestHub.Response carrierPost(TestHub hub, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return hub.post("/webhooks/carrier/easypost", bytes, Map.of("Content-Type", "application/json",
                "X-Hmac-Signature", SIGNER.sign(bytes)));
    }

    private static final java.time.format.DateTimeFormatter TS =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
    private static final java.util.concurrent.atomic.AtomicInteger FILES = new java.util.concurrent.atomic.AtomicInteger();

    /** A hub with every secret the lifecycle touches, and a fast outbox and silence check. */
    static TestHub.Builder hub(org.handoff.testing.TestDb db) {
        return TestHub.builder().db(db).env("CARRIER_WEBHOOK_SECRET", CARRIER_SECRET)
                .env("SHOPIFY_WEBHOOK_SECRET", Deliveries.SHOPIFY_SECRET)
                .property("handoff.wms.poll-delay-ms", "100")
                .property("handoff.carrier.silence-check-ms", "200");
    }

    static byte[] sample(String name) {
        return Deliveries.sample(name);
    }

    /** A signed Shopify delivery, as Shopify sends it. */
    static TestHub.Response shopify(TestHub hub, String topic, String eventId, byte[] body) {
        return Deliveries.shopify(hub, topic, eventId, body);
    }

    /**
     * Drops {@code dispatch_WH1_<ts>.csv} with these data rows (after the header) and waits until the
     * intake has finished it; returns its report.
     */
    static JsonNode dispatch(TestHub hub, String... rows) {
        String name = "dispatch_WH1_" + TS.format(Instant.now().plusSeconds(FILES.incrementAndGet())) + ".csv";
        String content = "order_id,event,carrier,tracking_number,occurred_at\n" + String.join("\n", rows) + "\n";
        try {
            return DropFolders.awaitReport(DropFolders.drop(hub, "dispatch", name, content), ".done");
        } catch (Exception e) {
            throw new AssertionError("dispatch file " + name + ": " + e.getMessage(), e);
        }
    }

    static long openHolds(TestHub hub, String reason) {
        return hub.api().get("/api/holds?status=open&reason=" + reason).json().get("holds").size();
    }

    static JsonNode awaitState(TestHub hub, String orderId, String state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> state(hub, orderId).equals(state));
        return hub.api().get("/api/orders/" + orderId).json();
    }
}
