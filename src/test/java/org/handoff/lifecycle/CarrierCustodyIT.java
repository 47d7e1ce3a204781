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
            // the same shape as the storefront webhooks' answers: nothing held, no holdId field (not null)
            assertThat(scan.json().has("holdId")).isFalse();
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
            assertThat(junk.json().has("orderId")).isFalse();
            assertThat(hub.api().get("/api/holds/" + junk.json().get("holdId").asLong()).json().get("reasonCode")
                    .asText()).isEqualTo("MALFORMED_PAYLOAD");
            // a topic that is not handled
            assertThat(carrierPost(hub, "{\"id\":\"evt_10\",\"description\":\"batch.created\",\"result\":{}}").json()
                    .get("result").asText()).isEqualTo("ignored");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aReusedTrackingNumberNeverMovesTheNewOrderWithTheOldShipmentsEvents(TestDb db) {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "LAMP-1", 10);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            // spring: order A went out with tracking number 1Z-REUSED and was delivered
            String old = Lifecycle.paidOrder(hub, "R-1", "LAMP-1", 1);
            Instant oldHandover = now.minus(200, ChronoUnit.DAYS);
            Lifecycle.dispatch(hub, old + ",PICKED,,," + oldHandover.minusSeconds(3600),
                    old + ",HANDED_OVER,ups,1Z-REUSED," + oldHandover);
            carrierPost(hub, trackerEvent("evt_old_1", "UPS", "1Z-REUSED", "in_transit", oldHandover.plus(2, ChronoUnit.HOURS)));
            carrierPost(hub, trackerEvent("evt_old_2", "UPS", "1Z-REUSED", "delivered", oldHandover.plus(2, ChronoUnit.DAYS)));
            assertThat(Lifecycle.state(hub, old)).isEqualTo("DELIVERED");

            // today: UPS hands the same number to order B
            String fresh = Lifecycle.paidOrder(hub, "R-2", "LAMP-1", 1);
            Instant handover = now.minus(10, ChronoUnit.MINUTES);
            Lifecycle.dispatch(hub, fresh + ",PICKED,,," + handover.minusSeconds(600),
                    fresh + ",HANDED_OVER,ups,1Z-REUSED," + handover);

            // a late event about A's parcel (scanned long before B was handed over) reaches A's shipment only
            TestHub.Response late = carrierPost(hub, trackerEvent("evt_old_3", "UPS", "1Z-REUSED", "return_to_sender",
                    oldHandover.plus(3, ChronoUnit.DAYS)));
            assertThat(late.json().get("orderId").asText()).isEqualTo(old);
            assertThat(Lifecycle.state(hub, fresh)).isEqualTo("HANDED_OVER");
            assertThat(Lifecycle.state(hub, old)).isEqualTo("DELIVERED");
            // ... and a return of A's parcel is a person's business: held against A, not B
            assertThat(late.json().get("result").asText()).isEqualTo("held");
            JsonNode hold = hub.api().get("/api/holds/" + late.json().get("holdId").asLong()).json();
            assertThat(hold.get("reasonCode").asText()).isEqualTo("CARRIER_EXCEPTION");
            assertThat(hold.get("subject").asText()).contains(old).doesNotContain(fresh);
            // the carrier says it again (another event id): the same hold, no second one
            TestHub.Response again = carrierPost(hub, trackerEvent("evt_old_4", "UPS", "1Z-REUSED", "return_to_sender",
                    oldHandover.plus(4, ChronoUnit.DAYS)));
            assertThat(again.json().get("holdId").asLong()).isEqualTo(late.json().get("holdId").asLong());
            assertThat(Lifecycle.openHolds(hub, "CARRIER_EXCEPTION")).isEqualTo(1);

            // B's own first scan ships B
            TestHub.Response scan = carrierPost(hub, trackerEvent("evt_new_1", "UPS", "1Z-REUSED", "in_transit", now));
            assertThat(scan.json().get("orderId").asText()).isEqualTo(fresh);
            assertThat(Lifecycle.state(hub, fresh)).isEqualTo("SHIPPED");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aScanThatArrivesBeforeTheDispatchFileIsKeptAndAppliedAtHandover(TestDb db) {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "LAMP-2", 10);
            String orderId = Lifecycle.paidOrder(hub, "E-1", "LAMP-2", 1);
            Instant handover = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            // the carrier is faster than the WMS's hourly dispatch file
            TestHub.Response early = carrierPost(hub, trackerEvent("evt_early", "DHLExpress", "JD014600006", "in_transit",
                    handover.plus(30, ChronoUnit.MINUTES)));
            assertThat(early.json().get("result").asText()).isEqualTo("received");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("READY_TO_PICK");

            Lifecycle.dispatch(hub, orderId + ",PICKED,,," + handover.minusSeconds(900),
                    orderId + ",HANDED_OVER,dhl-express,JD014600006," + handover);
            JsonNode order = hub.api().get("/api/orders/" + orderId).json();
            assertThat(order.get("state").asText()).isEqualTo("SHIPPED");
            JsonNode last = order.get("history").get(order.get("history").size() - 1);
            assertThat(last.get("evidence").get("eventId").asText()).isEqualTo("evt_early");
            assertThat(hub.jdbc().queryOne("select result from carrier_events where event_id = 'evt_early'",
                    rs -> rs.getString(1)).orElseThrow()).isEqualTo("accepted");
        }
    }
}
