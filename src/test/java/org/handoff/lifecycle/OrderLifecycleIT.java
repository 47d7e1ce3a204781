package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.handoff.lifecycle.Lifecycle.carrierPost;
import static org.handoff.lifecycle.Lifecycle.trackerEvent;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.handoff.api.Json;
import org.handoff.testing.HttpReceiver;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One order's whole life through the real routes: a signed Shopify webhook, the pick ticket to a WMS (a
 * local HTTP receiver), the WMS's dispatch file, signed EasyPost tracker events, DELIVERED — and the
 * history explaining every step.
 */
class OrderLifecycleIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void fromWebhookToDeliveredWithEvidenceAtEveryStep(TestDb db) throws Exception {
        try (HttpReceiver wms = new HttpReceiver();
                TestHub hub = Lifecycle.hub(db).property("handoff.wms.url", wms.url() + "/wms/orders").start()) {
            Lifecycle.seed(hub, "TSHIRT-RED-M", 10);
            Lifecycle.seed(hub, "HOODIE-GREY-L", 10);
            Lifecycle.seed(hub, "MUG-WHITE", 10);

            TestHub.Response created = Lifecycle.shopify(hub, "orders/create", "ev-life-1",
                    Lifecycle.sample("shopify-orders-create.json"));
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            assertThat(created.json().get("result").asText()).isEqualTo("accepted");
            String orderId = created.json().get("orderId").asText();
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("READY_TO_PICK");
            assertThat(Lifecycle.stock(hub, "reserved", "TSHIRT-RED-M")).isEqualTo(2);

            // the pick ticket reaches the WMS once, keyed by order and version
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received().size() == 1);
            JsonNode ticket = Json.MAPPER.readTree(wms.received().get(0).body());
            assertThat(ticket.get("orderId").asText()).isEqualTo(orderId);
            assertThat(ticket.get("idempotencyKey").asText()).isEqualTo(orderId + "-v1");
            assertThat(ticket.get("lines")).hasSize(3);

            // the WMS reports the pick and the handover in its dispatch file
            Instant picked = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
            Instant handed = picked.plus(10, ChronoUnit.MINUTES);
            JsonNode report = Lifecycle.dispatch(hub, orderId + ",PICKED,,," + picked,
                    orderId + ",HANDED_OVER,USPS,9400100000000000000042," + handed);
            assertThat(report.toString()).contains("\"rowsApplied\":2");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("HANDED_OVER");
            // picked: the units left the shelf, on-hand and reserved both dropped
            assertThat(Lifecycle.stock(hub, "on_hand", "TSHIRT-RED-M")).isEqualTo(8);
            assertThat(Lifecycle.stock(hub, "reserved", "TSHIRT-RED-M")).isZero();
            assertThat(Lifecycle.stock(hub, "on_hand", "HOODIE-GREY-L")).isEqualTo(9);

            // handed over is not shipped: the carrier's scan is
            Instant scan = handed.plus(30, ChronoUnit.MINUTES);
            assertThat(carrierPost(hub, trackerEvent("evt_life_1", "USPS", "9400100000000000000042", "in_transit", scan))
                    .json().get("orderId").asText()).isEqualTo(orderId);
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("SHIPPED");
            carrierPost(hub, trackerEvent("evt_life_2", "USPS", "9400100000000000000042", "out_for_delivery",
                    scan.plus(1, ChronoUnit.DAYS)));
            carrierPost(hub, trackerEvent("evt_life_3", "USPS", "9400100000000000000042", "delivered",
                    scan.plus(1, ChronoUnit.DAYS).plus(3, ChronoUnit.HOURS)));

            // GET /api/orders/{id} says why it is where it is
            JsonNode order = hub.api().get("/api/orders/" + orderId).json();
            assertThat(order.get("state").asText()).isEqualTo("DELIVERED");
            List<String> path = new ArrayList<>();
            order.get("history").forEach(h -> path.add(h.get("to").asText() + ":" + h.get("reasonCode").asText()));
            assertThat(path).containsExactly("RECEIVED:RECEIVED", "ACCEPTED:STOCK_RESERVED",
                    "READY_TO_PICK:PAYMENT_CAPTURED", "PICKED:PICKED", "HANDED_OVER:HANDED_OVER",
                    "SHIPPED:CARRIER_SCANNED", "DELIVERED:DELIVERED");
            JsonNode pick = history(order, "PICKED");
            assertThat(pick.get("actor").asText()).isEqualTo("wms:WH1");
            assertThat(pick.get("evidence").get("file").asText()).startsWith("dispatch_WH1_");
            assertThat(pick.get("evidence").get("row").asInt()).isEqualTo(2);
            assertThat(pick.get("observedAt").asText()).isEqualTo(picked.toString());
            JsonNode handover = history(order, "HANDED_OVER");
            assertThat(handover.get("evidence").get("trackingNumber").asText()).isEqualTo("9400100000000000000042");
            assertThat(handover.get("evidence").get("row").asInt()).isEqualTo(3);
            JsonNode shipped = history(order, "SHIPPED");
            assertThat(shipped.get("evidence").get("eventId").asText()).isEqualTo("evt_life_1");
            assertThat(shipped.get("observedAt").asText()).isEqualTo(scan.toString());
            assertThat(shipped.get("decidedAt").asText()).isNotBlank();
            assertThat(history(order, "DELIVERED").get("evidence").get("eventId").asText()).isEqualTo("evt_life_3");

            // nothing else went to the WMS, nothing is held
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> wms.received().size() == 1);
            assertThat(hub.api().get("/api/holds?status=open").json().get("holds")).isEmpty();
        }
    }

    /** A sample delivery for a second Shopify order: same content, another order id and name. */
    static byte[] second(String sample) {
        return new String(Lifecycle.sample(sample), java.nio.charset.StandardCharsets.UTF_8)
                .replace("5810038866001", "5810038866009").replace("#1001", "#1009")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static JsonNode history(JsonNode order, String to) {
        for (JsonNode h : order.get("history")) {
            if (h.get("to").asText().equals(to) && !h.get("from").asText().equals(to)) {
                return h;
            }
        }
        throw new AssertionError("no transition to " + to + " in " + order.get("history"));
    }

    /** The cancellation of DESIGN §7 through the channel's own webhook, before and after the pick. */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void cancellationBeforeThePickReleasesAndTellsTheWmsAfterItIsHeldForADecision(TestDb db) throws Exception {
        try (HttpReceiver wms = new HttpReceiver();
                TestHub hub = Lifecycle.hub(db).property("handoff.wms.url", wms.url() + "/wms/orders").start()) {
            Lifecycle.seed(hub, "TSHIRT-RED-M", 10);
            Lifecycle.seed(hub, "HOODIE-GREY-L", 10);
            Lifecycle.seed(hub, "MUG-WHITE", 10);

            // before the pick: the channel cancels, the reservation is released, the WMS gets a cancel
            String before = Lifecycle.shopify(hub, "orders/create", "ev-c-1", Lifecycle.sample("shopify-orders-create.json"))
                    .json().get("orderId").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received().size() == 1);
            // a new address before the pick: a replacement ticket (v2) replaces the first
            assertThat(Lifecycle.shopify(hub, "orders/updated", "ev-c-1b", Lifecycle.sample("shopify-orders-updated.json"))
                    .json().get("result").asText()).isEqualTo("accepted");
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received().size() == 2);
            JsonNode replacement = Json.MAPPER.readTree(wms.received().get(1).body());
            assertThat(replacement.get("type").asText()).isEqualTo("PICK_TICKET");
            assertThat(replacement.get("idempotencyKey").asText()).isEqualTo(before + "-v2");
            assertThat(replacement.get("replaces").asText()).isEqualTo(before + "-v1");
            assertThat(replacement.get("shipTo").toString()).isNotEqualTo(
                    Json.MAPPER.readTree(wms.received().get(0).body()).get("shipTo").toString());
            TestHub.Response cancelled = Lifecycle.shopify(hub, "orders/cancelled", "ev-c-2",
                    Lifecycle.sample("shopify-orders-cancelled.json"));
            assertThat(cancelled.json().get("result").asText()).as(cancelled.body()).isEqualTo("accepted");
            assertThat(Lifecycle.state(hub, before)).isEqualTo("CANCELLED");
            assertThat(Lifecycle.stock(hub, "reserved", "TSHIRT-RED-M")).isZero();
            assertThat(Lifecycle.stock(hub, "on_hand", "TSHIRT-RED-M")).isEqualTo(10);
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received().size() == 3);
            JsonNode cancel = Json.MAPPER.readTree(wms.received().get(2).body());
            assertThat(cancel.get("type").asText()).isEqualTo("CANCEL");
            assertThat(cancel.get("idempotencyKey").asText()).isEqualTo(before + "-v3");
            assertThat(cancel.get("cancels")).extracting(JsonNode::asText).containsExactly(before + "-v1", before + "-v2");

            // after the pick: the goods are off the shelf; the channel's cancellation waits for a person
            // a second Shopify order (same samples, another id), picked, then cancelled by the channel
            String after = Lifecycle.shopify(hub, "orders/create", "ev-c-3", second("shopify-orders-create.json"))
                    .json().get("orderId").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received().size() == 4);
            Lifecycle.dispatch(hub, after + ",PICKED,,," + Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS));
            assertThat(Lifecycle.state(hub, after)).isEqualTo("PICKED");
            assertThat(Lifecycle.stock(hub, "on_hand", "MUG-WHITE")).isEqualTo(9);
            // the operator API refuses it outright: 409 with the current state
            TestHub.Response refused = Lifecycle.event(hub, after, "CANCEL_REQUESTED", Map.of("reason", "customer"));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
            assertThat(refused.json().get("state").asText()).isEqualTo("PICKED");
            // the channel's cancellation is held for a person to decide (intercept the parcel or not)
            TestHub.Response held = Lifecycle.shopify(hub, "orders/cancelled", "ev-c-4", second("shopify-orders-cancelled.json"));
            assertThat(held.json().get("result").asText()).as(held.body()).isEqualTo("held");
            assertThat(hub.api().get("/api/holds/" + held.json().get("holdId").asLong()).json().get("reasonCode").asText())
                    .isEqualTo("CANCEL_AFTER_PICK");
            assertThat(Lifecycle.state(hub, after)).isEqualTo("PICKED");
            assertThat(Lifecycle.stock(hub, "on_hand", "MUG-WHITE")).isEqualTo(9);
            // no cancel goes to the WMS for a picked order: a person decides
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> wms.received().size() == 4);
        }
    }
}
