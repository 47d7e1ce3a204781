package org.handoff.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.handoff.security.HmacSignatures;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;

/** Signs and posts webhook deliveries the way Shopify and WooCommerce do. */
public final class Deliveries {

    public static final String SHOPIFY_SECRET = "shpss_0f3c9a7e5b1d4c2a8e6f";
    static final String WOO_SECRET = "wc-secret-7d1e2b9c";

    private Deliveries() {}

    static TestHub.Builder hub(TestDb db) {
        return TestHub.builder().db(db).env("SHOPIFY_WEBHOOK_SECRET", SHOPIFY_SECRET)
                .env("WOOCOMMERCE_WEBHOOK_SECRET", WOO_SECRET);
    }

    public static byte[] sample(String name) {
        try {
            return Files.readAllBytes(Path.of("samples", "webhooks", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sampleText(String name) {
        return new String(sample(name), StandardCharsets.UTF_8);
    }

    public static TestHub.Response shopify(TestHub hub, String topic, String eventId, byte[] body) {
        return shopify(hub, topic, eventId, body, HmacSignatures.base64(SHOPIFY_SECRET.getBytes(StandardCharsets.UTF_8), body));
    }

    public static TestHub.Response shopify(TestHub hub, String topic, String eventId, byte[] body,
            String signature) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Shopify-Topic", topic);
        headers.put("X-Shopify-Event-Id", eventId);
        headers.put("X-Shopify-Shop-Domain", "handoff-demo.myshopify.com");
        headers.put("X-Shopify-Triggered-At", Instant.now().toString());
        if (signature != null) {
            headers.put("X-Shopify-Hmac-Sha256", signature);
        }
        return hub.post("/webhooks/shopify", body, headers);
    }

    static TestHub.Response woo(TestHub hub, String topic, String deliveryId, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-WC-Webhook-Topic", topic);
        headers.put("X-WC-Webhook-Delivery-ID", deliveryId);
        headers.put("X-WC-Webhook-Signature", HmacSignatures.base64(WOO_SECRET.getBytes(StandardCharsets.UTF_8), body));
        return hub.post("/webhooks/woocommerce", body, headers);
    }

    /** Catalog row and physical stock (the ERP's and the WMS's facts, seeded directly). */
    static void stock(TestHub hub, String sku, int onHand) {
        Instant now = Instant.now();
        hub.jdbc().update("insert into catalog (sku, barcode, description, active, updated_at) values (?, null, ?, true, ?)",
                sku, sku, now);
        hub.jdbc().update("insert into stock (sku, on_hand, reserved, updated_at) values (?, ?, 0, ?)", sku, onHand, now);
    }

    static void demoStock(TestHub hub) {
        stock(hub, "TSHIRT-RED-M", 10);
        stock(hub, "HOODIE-GREY-L", 10);
        stock(hub, "MUG-WHITE", 10);
    }

    /** The ERP's catalog and the WMS's snapshot, dropped into their real inbox folders (samples/inbox). */
    static void dropCatalogAndStock(TestHub hub) throws IOException {
        for (String kind : new String[] {"catalog", "inventory"}) {
            try (var files = Files.list(Path.of("samples", "inbox", kind))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(file, hub.inbox(kind).resolve(file.getFileName()));
                }
            }
            String table = kind.equals("catalog") ? "catalog" : "stock";
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> count(hub, table) > 0);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                hub.jdbc().queryOne("select on_hand from stock where sku = 'MUG-WHITE'", rs -> rs.getLong(1)).orElse(0L) > 0);
    }

    static long reserved(TestHub hub, String sku) {
        return hub.jdbc().queryOne("select reserved from stock where sku = ?", rs -> rs.getLong(1), sku).orElseThrow();
    }

    static long count(TestHub hub, String table) {
        return hub.jdbc().queryOne("select count(*) from " + table, rs -> rs.getLong(1)).orElseThrow();
    }
}
