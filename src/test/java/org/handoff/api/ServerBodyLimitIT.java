package org.handoff.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §4: every error is a JSON body {"error", "message"} with its status, 413 included. A body over the server
 * limit (camel.server.maxBodySize) was refused by Vert.x with a plain-text page.
 */
class ServerBodyLimitIT {

    @Test
    void aBodyOverTheServerLimitIsRefused413WithAJsonError() {
        try (TestHub hub = TestHub.builder().db(TestDb.H2).env("SHOPIFY_WEBHOOK_SECRET", "s").start()) {
            byte[] huge = new byte[17 * 1024 * 1024]; // above camel.server.maxBodySize (16 MiB)
            Arrays.fill(huge, (byte) ' ');
            TestHub.Response webhook = hub.post("/webhooks/shopify", huge, Map.of("Content-Type", "application/json",
                    "X-Shopify-Topic", "orders/create", "X-Shopify-Hmac-Sha256", "AAAA"));
            TestHub.Response api = hub.post("/api/holds/1/release", huge, Map.of("Content-Type", "application/json",
                    "Authorization", "Bearer " + TestHub.API_TOKEN));
            SoftAssertions soft = new SoftAssertions();
            for (TestHub.Response r : new TestHub.Response[] {webhook, api}) {
                soft.assertThat(r.status()).isEqualTo(413);
                soft.assertThat(r.headers().getOrDefault("content-type", java.util.List.of()))
                        .as("Content-Type of the 413 answer (body: " + r.body() + ")").contains("application/json");
                soft.assertThat(r.body()).as("413 answer body").contains("\"error\":\"PAYLOAD_TOO_LARGE\"");
            }
            soft.assertAll();
        }
    }
}
