package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.lifecycle.Lifecycle.carrierPost;
import static org.handoff.lifecycle.Lifecycle.trackerEvent;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** POST /webhooks/carrier/easypost on the real application: signature, dedupe, matching, custody moves. */
class CarrierCustodyIT {

    static TestHub hub(TestDb db) {
        return TestHub.builder().db(db).env("CARRIER_WEBHOOK_SECRET", Lifecycle.CARRIER_SECRET).start();
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void firstScanShipsDeliveredDeliversDuplicatesChangeNothingAndBadSignaturesStoreNothing(TestDb db) {
        try (TestHub hub = hub(db)) {
            Lifecycle.seed(hub, "MUG-1", 10);
            String orderId = Lifecycle.paidOrder(hub, "C-100", "MUG-1", 2);
            Lifecycle.pickAndHandOver(hub, orderId, "usps", "9400111");
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);

            // unsigned, wrongly signed: 401, nothing stored
            byte[] body = trackerEvent("evt_1", "USPS", "9400111", "in_transit", t).getBytes(StandardCharsets.UTF_8);
            TestHub.Response unsigned = hub.post("/webhooks/carrier/easypost", body, Map.of("Content-Type", "application/json"));
            assertThat(unsigned.status()).isEqualTo(401);
            TestHub.Response forged = hub.post("/webhooks/carrier/easypost", body, Map.of("Content-Type", "application/json",
                    "X-Hmac-Signature", new org.handoff.security.EasyPostSignature("other").sign(body)));
            assertThat(forged.status()).isEqualTo(401);
            assertThat(forged.body()).doesNotContain("9400111");
            assertThat(hub.jdbc().queryOne("select count(*) from carrier_events", rs -> rs.getLong(1)).orElseThrow()).isZero();
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("HANDED_OVER");

            // a label is not custody
            TestHub.Response label = carrierPost(hub, trackerEvent("evt_0", "USPS", "9400111", "pre_transit", t));
            assertThat(label.json().get("result").asText()).isEqualTo("accepted");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("HANDED_OVER");

            // the first scan: SHIPPED, with the carrier's evidence in the history
            TestHub.Response scan = carrierPost(hub, trackerEvent("evt_1", "USPS", "9400111", "in_transit", t.plusSeconds(60)));
            assertThat(scan.status()).isEqualTo(200);
            assertThat(scan.json().get("result").asText()).isEqualTo("accepted");
            assertThat(scan.json().get("orderId").asText()).isEqualTo(orderId);
            JsonNode shipped = hub.api().get("/api/orders/" + orderId).json();
            assertThat(shipped.get("state").asText()).isEqualTo("SHIPPED");
            JsonNode last = shipped.get("history").get(shipped.get("history").size() - 1);
            assertThat(last.get("from").asText()).isEqualTo("HANDED_OVER");
            assertThat(last.get("reasonCode").asText()).isEqualTo("CARRIER_SCANNED");
            assertThat(last.get("actor").asText()).isEqualTo("carrier:easypost");
            assertThat(last.get("evidence").get("eventId").asText()).isEqualTo("evt_1");
            assertThat(last.get("evidence").get("trackingNumber").asText()).isEqualTo("9400111");
            assertThat(last.get("observedAt").asText()).isEqualTo(t.plusSeconds(60).toString());

            // the same event again (EasyPost's retry changes its bookkeeping, not its tracker): duplicate
            String retry = trackerEvent("evt_1", "USPS", "9400111", "in_transit", t.plusSeconds(60))
                    .replace("\"status\":\"pending\"", "\"status\":\"failed\"");
            assertThat(carrierPost(hub, retry).json().get("result").asText()).isEqualTo("duplicate");
            // the same id saying something else: held, the first version stands
            TestHub.Response conflict = carrierPost(hub, trackerEvent("evt_1", "USPS", "9400111", "delivered",
                    t.plusSeconds(60)));
            assertThat(conflict.json().get("result").asText()).isEqualTo("held");
            assertThat(hub.api().get("/api/holds/" + conflict.json().get("holdId").asLong()).json().get("reasonCode")
                    .asText()).isEqualTo("IDEMPOTENCY_CONFLICT");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("SHIPPED");

            TestHub.Response delivered = carrierPost(hub, trackerEvent("evt_2", "USPS", "9400111", "delivered",
                    t.plusSeconds(3600)));
            assertThat(delivered.json().get("result").asText()).isEqualTo("accepted");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("DELIVERED");

            // signed but unusable: 200 and a hold, so EasyPost stops retrying
            TestHub.Response junk = carrierPost(hub, "{\"id\":\"evt_9\",\"description\":\"tracker.updated\",\"result\":{}}");
            assertThat(junk.status()).isEqualTo(200);
            assertThat(junk.json().get("result").asText()).isEqualTo("held");
            assertThat(hub.api().get("/api/holds/" + junk.json().get("holdId").asLong()).json().get("reasonCode")
                    .asText()).isEqualTo("MALFORMED_PAYLOAD");
            // a topic that is not handled
            assertThat(carrierPost(hub, "{\"id\":\"evt_10\",\"description\":\"batch.created\",\"result\":{}}").json()
                    .get("result").asText()).isEqualTo("ignored");
        }
    }
}
