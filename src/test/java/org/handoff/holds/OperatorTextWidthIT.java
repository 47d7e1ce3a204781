package org.handoff.holds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.handoff.security.HmacSignatures;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An operator's actor (200 characters stored) or note (4000) longer than its column is bad input: 400 with a JSON
 * error, checked before anything is done. Before, the store refused it with a 500, and a release had replayed the
 * payload already: the order existed, the hold stayed open, and a retry replayed it again.
 */
class OperatorTextWidthIT {

    private static final String SECRET = "shpss_widths";

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void overlongOperatorTextIsRefusedBeforeAnythingIsDone(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).env("SHOPIFY_WEBHOOK_SECRET", SECRET).start()) {
            String longActor = "ops:" + "a".repeat(300);
            SoftAssertions soft = new SoftAssertions();
            long h1 = malformedHold(hub, "ev-width-1");
            TestHub.Response discard = hub.api().post("/api/holds/" + h1 + "/discard", Map.of("actor", longActor, "note", "x"));
            soft.assertThat(discard.status()).as(discard.body()).isEqualTo(400);
            soft.assertThat(discard.body()).contains("\"error\"").contains("actor");
            TestHub.Response discard2 = hub.api().post("/api/holds/" + h1 + "/discard",
                    Map.of("actor", "ops:anna", "note", "n".repeat(5000)));
            soft.assertThat(discard2.status()).as(discard2.body()).isEqualTo(400);
            soft.assertThat(hub.api().get("/api/holds/" + h1).json().get("status").asText()).isEqualTo("open");

            long h2 = malformedHold(hub, "ev-width-2");
            String corrected = Files.readString(Path.of("samples/webhooks/shopify-orders-create.json"));
            TestHub.Response release = hub.api().post("/api/holds/" + h2 + "/release",
                    Map.of("actor", longActor, "note", "fixed", "payload", corrected));
            soft.assertThat(release.status()).as(release.body()).isEqualTo(400);
            soft.assertThat(hub.api().get("/api/orders?channel=shopify&externalId=5810038866001").status())
                    .as("not replayed").isEqualTo(404);

            String orderId = ConcurrentReleaseIT.paidOrder(hub, "WIDTH-1");
            TestHub.Response event = hub.api().post("/api/orders/" + orderId + "/events", Map.of("type", "PICKED",
                    "evidence", Map.of("reference", "PICK-1"), "actor", longActor));
            soft.assertThat(event.status()).as(event.body()).isEqualTo(400);
            soft.assertAll();
        }
    }

    private static long malformedHold(TestHub hub, String eventId) {
        byte[] body = "this is not json".getBytes(StandardCharsets.UTF_8);
        TestHub.Response r = hub.post("/webhooks/shopify", body, Map.of("Content-Type", "application/json",
                "X-Shopify-Topic", "orders/create", "X-Shopify-Event-Id", eventId,
                "X-Shopify-Hmac-Sha256", HmacSignatures.base64(SECRET.getBytes(StandardCharsets.UTF_8), body)));
        assertThat(r.json().get("result").asText()).isEqualTo("held");
        return r.json().get("holdId").asLong();
    }
}
