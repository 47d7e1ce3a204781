package org.handoff.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.handoff.webhook.Deliveries.count;
import static org.handoff.webhook.Deliveries.demoStock;
import static org.handoff.webhook.Deliveries.sample;
import static org.handoff.webhook.Deliveries.sampleText;
import static org.handoff.webhook.Deliveries.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Release from hold, store outages, recovery after a crash and key retention, end to end. */
class DeliveryLifecycleIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void releasingAnUnknownSkuHoldAfterTheMappingIsAddedAcceptsTheOrder(TestDb db) throws Exception {
        try (TestHub hub = Deliveries.hub(db).start()) {
            demoStock(hub);
            Deliveries.stock(hub, "CAP-BLACK", 5);
            String body = sampleText("shopify-orders-create.json").replace("\"MUG-WHITE\"", "\"SHP-CAP-BLK\"");
            JsonNode held = shopify(hub, "orders/create", "ev-cap", body.getBytes(StandardCharsets.UTF_8)).json();
            assertThat(held.get("result").asText()).isEqualTo("held");
            long holdId = held.get("holdId").asLong();
            String orderId = held.get("orderId").asText();
            assertThat(hub.api().get("/api/holds/" + holdId).json().get("reasonCode").asText()).isEqualTo("UNKNOWN_SKU");
            assertThat(Deliveries.reserved(hub, "TSHIRT-RED-M")).isZero();

            // released before the fix: still held, same hold, one more attempt
            JsonNode early = hub.api().post("/api/holds/" + holdId + "/release", Map.of("actor", "ops:anna")).json();
            assertThat(early.get("status").asText()).isEqualTo("open");
            assertThat(hub.api().get("/api/holds/" + holdId).json().get("attempts").asInt()).isEqualTo(2);

            // the integrator maps the channel's code to the master SKU
            Files.writeString(hub.mappingsDir().resolve("channel-skus.csv"), "shopify,SHP-CAP-BLK,CAP-BLACK\n",
                    StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.app().wiring().get(org.handoff.mapping.Mappings.class)
                    .channelSku("shopify", "SHP-CAP-BLK").isPresent());

            JsonNode released = hub.api().post("/api/holds/" + holdId + "/release",
                    Map.of("actor", "ops:anna", "note", "cap mapped")).json();
            assertThat(released.get("status").asText()).isEqualTo("released");
            assertThat(released.get("outcome").asText()).isEqualTo("accepted");
            JsonNode order = hub.api().get("/api/orders/" + orderId).json();
            assertThat(order.get("state").asText()).isEqualTo("READY_TO_PICK");
            assertThat(order.get("lines").get(2).get("sku").asText()).isEqualTo("CAP-BLACK");
            assertThat(order.get("history")).extracting(h -> h.get("to").asText())
                    .containsExactly("RECEIVED", "HELD", "HELD", "ACCEPTED", "READY_TO_PICK");
            assertThat(Deliveries.reserved(hub, "CAP-BLACK")).isEqualTo(1);
            assertThat(count(hub, "orders")).isEqualTo(1);
            // replayed under its original key: a late re-delivery is still a duplicate
            assertThat(shopify(hub, "orders/create", "ev-cap", body.getBytes(StandardCharsets.UTF_8)).json()
                    .get("result").asText()).isEqualTo("duplicate");
            assertThat(hub.jdbc().queryOne("select result from webhook_deliveries where dedupe_key = 'event:ev-cap'",
                    rs -> rs.getString(1)).orElseThrow()).isEqualTo("accepted");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void storeDownIs503WithNothingCommittedAndTheRetrySucceedsLater(TestDb db) {
        TestHub first = Deliveries.hub(db).start();
        TestHub second = null;
        try {
            demoStock(first);
            first.app().database().close();
            TestHub.Response down = shopify(first, "orders/create", "ev-down", sample("shopify-orders-create.json"));
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().get("error").asText()).isEqualTo("STORE_UNAVAILABLE");
            first.stop();

            second = Deliveries.hub(db).reuse(first).start();
            assertThat(count(second, "webhook_deliveries")).isZero();
            TestHub.Response retry = shopify(second, "orders/create", "ev-down", sample("shopify-orders-create.json"));
            assertThat(retry.status()).isEqualTo(200);
            assertThat(retry.json().get("result").asText()).isEqualTo("accepted");
        } finally {
            if (second != null) {
                second.close();
            } else {
                first.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aDeliveryStoredButNotProcessedIsCompletedByTheRecoverySweep(TestDb db) {
        try (TestHub hub = Deliveries.hub(db).start()) {
            demoStock(hub);
            // what a crash between commit and processing leaves behind
            hub.jdbc().update("insert into webhook_deliveries (channel, dedupe_key, topic, body_sha256, body, headers, status, "
                            + "received_at) values ('shopify', 'event:ev-crash', 'orders/create', ?, ?, ?, 'received', ?)",
                    WebhookIntake.sha256(sample("shopify-orders-create.json")), sampleText("shopify-orders-create.json"),
                    "{\"X-Shopify-Topic\":\"orders/create\",\"X-Shopify-Event-Id\":\"ev-crash\"}",
                    Instant.now().minusSeconds(60));
            int recovered = hub.app().wiring().get(WebhookDeliveries.class).recover();
            assertThat(recovered).isEqualTo(1);
            assertThat(hub.jdbc().queryOne("select status || ':' || result from webhook_deliveries", rs -> rs.getString(1))
                    .orElseThrow()).isEqualTo("processed:accepted");
            assertThat(count(hub, "orders")).isEqualTo(1);
            assertThat(shopify(hub, "orders/create", "ev-crash", sample("shopify-orders-create.json")).json()
                    .get("result").asText()).isEqualTo("duplicate");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void deliveryKeysArePurgedAfterTheirRetentionAndTheOrderKeyStillGuards(TestDb db) {
        try (TestHub hub = Deliveries.hub(db).property("handoff.webhook.key-retention", "PT1S").start()) {
            demoStock(hub);
            shopify(hub, "orders/create", "ev-old", sample("shopify-orders-create.json"));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                hub.app().wiring().get(WebhookDeliveries.class).purge();
                return count(hub, "webhook_deliveries") == 0;
            });
            JsonNode late = shopify(hub, "orders/create", "ev-old", sample("shopify-orders-create.json")).json();
            assertThat(late.get("result").asText()).isEqualTo("duplicate");
            assertThat(count(hub, "orders")).isEqualTo(1);
        }
    }
}
