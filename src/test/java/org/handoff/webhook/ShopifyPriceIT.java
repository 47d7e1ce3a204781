package org.handoff.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Shopify line price follows the rule the CSV inbox's unit_price follows (org.handoff.order.Prices): more
 * decimals than the order's currency has, or exponent notation, holds the order MALFORMED_PAYLOAD naming the
 * field. Before, any number was taken as the price.
 */
class ShopifyPriceIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aPriceWithMoreDecimalsThanTheCurrencyOrAnExponentIsHeldMalformed(TestDb db) throws Exception {
        try (TestHub hub = Deliveries.hub(db).start()) {
            String sample = Files.readString(Path.of("samples/webhooks/shopify-orders-create.json"));
            assertThat(sample).contains("\"price\": \"19.90\"").contains("\"currency\": \"EUR\"");
            String[][] cases = {{"\"19.905\"", "line_items[0].price '19.905' has 3 decimals; EUR has 2"},
                    {"\"1e3\"", "line_items[0].price '1e3' is in exponent notation"}};
            int n = 0;
            for (String[] c : cases) {
                n++;
                byte[] body = sample.replace("\"price\": \"19.90\"", "\"price\": " + c[0])
                        .replace("5810038866", "58100388" + n + "0").getBytes(StandardCharsets.UTF_8);
                TestHub.Response r = Deliveries.shopify(hub, "orders/create", "ev-price-" + n, body);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(r.json().get("result").asText()).as(r.body()).isEqualTo("held");
                var hold = hub.api().get("/api/holds/" + r.json().get("holdId").asLong()).json();
                assertThat(hold.get("reasonCode").asText()).isEqualTo("MALFORMED_PAYLOAD");
                assertThat(hold.get("detail").asText()).contains(c[1]);
            }
        }
    }
}
