package org.handoff.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import org.handoff.api.Json;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.Source;
import org.junit.jupiter.api.Test;

class NormalizersTest {

    static JsonNode json(String name) throws Exception {
        return Json.MAPPER.readTree(Deliveries.sample(name));
    }

    @Test
    void shopifyOrderToCanonical() throws Exception {
        CanonicalOrder o = new ShopifyNormalizer().normalize(json("shopify-orders-create.json"), h -> null);
        assertThat(o.externalId()).isEqualTo("5810038866001");
        assertThat(o.placedAt()).isEqualTo(Instant.parse("2026-11-22T03:15:00Z"));
        assertThat(o.updatedAt()).isEqualTo(Instant.parse("2026-11-22T03:15:02Z"));
        assertThat(o.lines()).hasSize(3);
        assertThat(o.lines().get(0).unitPrice()).isEqualByComparingTo("19.90");
        assertThat(o.lines().get(0).unitPrice().scale()).isEqualTo(2);
        assertThat(o.lines().get(1).channelSku()).isNull();
        assertThat(o.lines().get(1).variantId()).isEqualTo("44012345678902");
        assertThat(o.shipTo().country()).isEqualTo("DE");
        assertThat(o.shippingMethod()).isEqualTo("standard");
        assertThat(o.isPaid()).isTrue();
        assertThat(o.cancelled()).isFalse();
        assertThat(new ShopifyNormalizer().intent("orders/cancelled", o)).isEqualTo(Source.Intent.CANCEL);
        assertThat(new ShopifyNormalizer().normalize(json("shopify-orders-cancelled.json"), h -> null).cancelled()).isTrue();
    }

    @Test
    void wooCommerceOrderToCanonical() throws Exception {
        CanonicalOrder o = new WooCommerceNormalizer().normalize(json("woocommerce-order-created.json"), h -> null);
        assertThat(o.placedAt()).isEqualTo(Instant.parse("2026-11-22T02:10:05Z"));
        assertThat(o.shipTo().phone()).isEqualTo("+44 20 7946 0958");
        assertThat(o.shipTo().name()).isEqualTo("Siobhán Ní Bhriain");
        assertThat(o.lines().get(0).unitPrice()).isEqualByComparingTo("12.5");
        assertThat(o.lines().get(1).variantId()).isEqualTo("1207");
        assertThat(o.lines().get(0).variantId()).isEqualTo("1200");
        assertThat(o.paymentStatus()).isEqualTo("paid");
        assertThat(o.shippingMethod()).isEqualTo("flat_rate");
    }

    @Test
    void unusablePayloadsAreMalformed() {
        ShopifyNormalizer n = new ShopifyNormalizer();
        assertThatThrownBy(() -> n.normalize(Json.MAPPER.readTree("{\"foo\": \"bar\"}"), h -> null))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> n.normalize(Json.MAPPER.readTree("{\"id\": 1, \"line_items\": []}"), h -> null))
                .hasMessageContaining("line_items");
        assertThatThrownBy(() -> n.normalize(Json.MAPPER.readTree(
                "{\"id\": 1, \"line_items\": [{\"sku\": \"A\", \"quantity\": 0}]}"), h -> null)).hasMessageContaining("quantity");
        assertThatThrownBy(() -> n.normalize(Json.MAPPER.readTree(
                "{\"id\": 1, \"line_items\": [{\"sku\": \"A\", \"quantity\": 1, \"price\": \"ten\"}]}"), h -> null))
                .hasMessageContaining("price");
        // a quantity that does not fit is refused, not wrapped (asInt made 4294967297 a 1)
        for (String q : new String[] {"4294967297", "\"99999999999\"", "1000001"}) {
            assertThatThrownBy(() -> n.normalize(Json.MAPPER.readTree(
                    "{\"id\": 1, \"line_items\": [{\"sku\": \"A\", \"quantity\": " + q + "}]}"), h -> null))
                    .as(q).isInstanceOf(MalformedPayloadException.class).hasMessageContaining("above 1000000 units");
        }
    }

    @Test
    void anUnparseableTimestampIsKeptForTheTimestampRule() throws Exception {
        CanonicalOrder o = new ShopifyNormalizer().normalize(Json.MAPPER.readTree(
                "{\"id\": 1, \"created_at\": \"yesterday\", \"line_items\": [{\"sku\": \"A\", \"quantity\": 1}]}"),
                Map.of("X-Shopify-Triggered-At", "2026-11-22T03:00:00Z")::get);
        assertThat(o.placedAt()).isNull();
        assertThat(o.placedAtText()).isEqualTo("yesterday");
        assertThat(o.updatedAt()).isEqualTo(Instant.parse("2026-11-22T03:00:00Z"));
    }
}
