package org.handoff.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import io.vertx.core.VertxOptions;
import org.handoff.HandoffConfig;
import org.handoff.Wiring;
import org.handoff.holds.HoldStore;
import org.handoff.order.OrderPipeline;

/** Wires the storefront webhook doors (Shopify, WooCommerce), their single delivery writer and housekeeping. */
public final class WebhooksModule {

    public static final String SHOPIFY_REPLAY = "direct:shopify-delivery";
    public static final String WOOCOMMERCE_REPLAY = "direct:woocommerce-delivery";

    private WebhooksModule() {}

    public static void wire(Wiring w) {
        HandoffConfig config = w.config();
        DeliveryLog log = w.add(new DeliveryLog(w.jdbc()));
        DeliveryWriter writer = w.add(new DeliveryWriter(w.jdbc(), log, w.get(OrderPipeline.class),
                w.get(HoldStore.class), w.clock(), config.getInt("handoff.webhook.writer-batch"),
                w.metrics().registry()));
        // form-encoded bodies to /webhooks/ read as their raw bytes, undecoded (the signature is over them)
        w.add(new RawFormBodies(config.getInt("camel.server.port")));
        long maxBody = config.getLong("handoff.webhook.max-body-bytes");
        long timeout = config.getLong("handoff.webhook.answer-timeout-ms");
        w.bind("shopifyWebhooks", new WebhookIntake(shopify(), w.env(), writer, w.metrics(), w.clock(), maxBody, timeout));
        w.bind("wooCommerceWebhooks", new WebhookIntake(wooCommerce(), w.env(), writer, w.metrics(), w.clock(), maxBody,
                timeout));
        WebhookDeliveries deliveries = w.bind("webhookDeliveries", new WebhookDeliveries(log,
                Map.of(ShopifyNormalizer.CHANNEL, SHOPIFY_REPLAY, WooCommerceNormalizer.CHANNEL, WOOCOMMERCE_REPLAY),
                w.clock(), config.getDuration("handoff.webhook.key-retention"), Duration.ofSeconds(10)));
        // webhook requests wait on a Vert.x worker thread until their batch commits; with Vert.x's default of 20,
        // 64 concurrent senders would queue behind 20 and the writer could never batch more than 20
        w.bind("vertxOptions", new VertxOptions().setWorkerPoolSize(config.getInt("handoff.http.worker-threads")));
        w.add((Wiring.ContextAware) context -> {
            try {
                // started with the context and stopped after the routes, so queued deliveries are written
                context.addService(writer, true, true);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the delivery writer", e);
            }
            deliveries.setProducer(context.createProducerTemplate());
        });
    }

    /** DESIGN §3: X-Shopify-Hmac-Sha256; dedupe by X-Shopify-Event-Id, else X-Shopify-Webhook-Id with the topic. */
    static WebhookIntake.Channel shopify() {
        Function<Function<String, String>, String> key = h -> {
            String event = h.apply("X-Shopify-Event-Id");
            if (event != null && !event.isBlank()) {
                return "event:" + event.trim();
            }
            String webhook = h.apply("X-Shopify-Webhook-Id");
            return webhook == null || webhook.isBlank() ? null
                    : "webhook:" + h.apply("X-Shopify-Topic") + ":" + webhook.trim();
        };
        return new WebhookIntake.Channel(ShopifyNormalizer.CHANNEL, "SHOPIFY_WEBHOOK_SECRET", "X-Shopify-Hmac-Sha256",
                "X-Shopify-Topic", List.of("X-Shopify-Topic", "X-Shopify-Event-Id", "X-Shopify-Webhook-Id",
                        "X-Shopify-Triggered-At", "X-Shopify-Shop-Domain", "X-Shopify-API-Version",
                        "X-Shopify-Order-Id"),
                key, h -> time(h.apply("X-Shopify-Triggered-At")), SHOPIFY_REPLAY, new ShopifyNormalizer());
    }

    /** DESIGN §3: X-WC-Webhook-Signature; dedupe by X-WC-Webhook-Delivery-ID. */
    static WebhookIntake.Channel wooCommerce() {
        return new WebhookIntake.Channel(WooCommerceNormalizer.CHANNEL, "WOOCOMMERCE_WEBHOOK_SECRET",
                "X-WC-Webhook-Signature", "X-WC-Webhook-Topic", List.of("X-WC-Webhook-Topic", "X-WC-Webhook-Resource",
                        "X-WC-Webhook-Event", "X-WC-Webhook-ID", "X-WC-Webhook-Delivery-ID", "X-WC-Webhook-Source"),
                h -> {
                    String id = h.apply("X-WC-Webhook-Delivery-ID");
                    return id == null || id.isBlank() ? null : id.trim();
                },
                h -> null, WOOCOMMERCE_REPLAY, new WooCommerceNormalizer());
    }

    private static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
