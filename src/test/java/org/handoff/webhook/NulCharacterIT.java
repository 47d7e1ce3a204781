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
 * PostgreSQL's text refuses the NUL character. A signed body carrying one raw was answered 500 on every retry
 * (nothing could be stored, not even its hold), and an order whose name carries an escaped one ({@code \u0000})
 * was answered "received" and could never be written. Both are held MALFORMED_PAYLOAD with a 200, on both stores.
 */
class NulCharacterIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aBodyWithARawNulIsHeldMalformedAndItsRetryIsADuplicate(TestDb db) {
        try (TestHub hub = Deliveries.hub(db).start()) {
            byte[] body = "{\"id\": 5810038866999, \"note\": \"a\u0000b\"}".getBytes(StandardCharsets.UTF_8);
            TestHub.Response r = Deliveries.shopify(hub, "orders/create", "ev-nul-1", body);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("result").asText()).isEqualTo("held");
            long holdId = r.json().get("holdId").asLong();
            assertThat(hub.api().get("/api/holds/" + holdId).json().get("reasonCode").asText()).isEqualTo("MALFORMED_PAYLOAD");
            TestHub.Response retry = Deliveries.shopify(hub, "orders/create", "ev-nul-1", body);
            assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anOrderWhoseNameCarriesAnEscapedNulIsHeldMalformed(TestDb db) throws Exception {
        try (TestHub hub = Deliveries.hub(db).start()) {
            String sample = Files.readString(Path.of("samples/webhooks/shopify-orders-create.json"));
            assertThat(sample).contains("\"Zoë Müller-Łukasiewicz\"");
            byte[] body = sample.replace("\"Zoë Müller-Łukasiewicz\"", "\"Zoë\\u0000 Müller\"").getBytes(StandardCharsets.UTF_8);
            TestHub.Response r = Deliveries.shopify(hub, "orders/create", "ev-nul-2", body);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("result").asText()).as(r.body()).isEqualTo("held");
            long holdId = r.json().get("holdId").asLong();
            assertThat(hub.api().get("/api/holds/" + holdId).json().get("detail").asText()).contains("NUL");
        }
    }
}
