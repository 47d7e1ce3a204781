package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.handoff.order.OrderEvent;
import org.handoff.order.OrderState;
import org.handoff.order.OrderStateMachine;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Dispatch evidence by file and by API: every move the state machine forbids is refused, and nothing changes. */
class DispatchIT {

    /** The events an operator or a system may post, with evidence enough to pass the evidence check. */
    static final Map<OrderEvent, Map<String, Object>> POSTABLE = new LinkedHashMap<>();

    static {
        POSTABLE.put(OrderEvent.PAYMENT_CAPTURED, Map.of("paymentReference", "pi_x"));
        POSTABLE.put(OrderEvent.PICKED, Map.of("reference", "pick-x"));
        POSTABLE.put(OrderEvent.HANDED_OVER, Map.of("carrier", "usps", "trackingNumber", "9400X"));
        POSTABLE.put(OrderEvent.CARRIER_SCANNED, Map.of("carrier", "usps", "trackingNumber", "9400X"));
        POSTABLE.put(OrderEvent.DELIVERED, Map.of());
        POSTABLE.put(OrderEvent.CANCEL_REQUESTED, Map.of("reason", "test"));
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void everyIllegalMoveIsRefusedWithTheCurrentStateAndChangesNothing(TestDb db) {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "PEN-1", 50);
            // one order parked in each state the lifecycle reaches
            Map<OrderState, String> orders = new LinkedHashMap<>();
            orders.put(OrderState.READY_TO_PICK, Lifecycle.paidOrder(hub, "I-1", "PEN-1", 1));
            String picked = Lifecycle.paidOrder(hub, "I-2", "PEN-1", 1);
            Lifecycle.event(hub, picked, "PICKED", Map.of("reference", "p"));
            orders.put(OrderState.PICKED, picked);
            String handed = Lifecycle.paidOrder(hub, "I-3", "PEN-1", 1);
            Lifecycle.pickAndHandOver(hub, handed, "usps", "9400I3");
            orders.put(OrderState.HANDED_OVER, handed);
            String shipped = Lifecycle.paidOrder(hub, "I-4", "PEN-1", 1);
            Lifecycle.pickAndHandOver(hub, shipped, "usps", "9400I4");
            Lifecycle.carrierPost(hub, Lifecycle.trackerEvent("evt_i4", "USPS", "9400I4", "in_transit", Instant.now()));
            orders.put(OrderState.SHIPPED, shipped);
            String delivered = Lifecycle.paidOrder(hub, "I-5", "PEN-1", 1);
            Lifecycle.pickAndHandOver(hub, delivered, "usps", "9400I5");
            Lifecycle.carrierPost(hub, Lifecycle.trackerEvent("evt_i5", "USPS", "9400I5", "delivered", Instant.now()));
            orders.put(OrderState.DELIVERED, delivered);
            String cancelled = Lifecycle.paidOrder(hub, "I-6", "PEN-1", 1);
            Lifecycle.event(hub, cancelled, "CANCEL_REQUESTED", Map.of("reason", "test"));
            orders.put(OrderState.CANCELLED, cancelled);

            int refused = 0;
            for (Map.Entry<OrderState, String> e : orders.entrySet()) {
                assertThat(Lifecycle.state(hub, e.getValue())).isEqualTo(e.getKey().name());
                int historyBefore = hub.api().get("/api/orders/" + e.getValue()).json().get("history").size();
                for (Map.Entry<OrderEvent, Map<String, Object>> ev : POSTABLE.entrySet()) {
                    if (OrderStateMachine.allows(e.getKey(), ev.getKey())) {
                        continue;
                    }
                    TestHub.Response r = Lifecycle.event(hub, e.getValue(), ev.getKey().name(), ev.getValue());
                    assertThat(r.status()).as(ev.getKey() + " from " + e.getKey()).isEqualTo(409);
                    assertThat(r.json().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
                    assertThat(r.json().get("state").asText()).isEqualTo(e.getKey().name());
                    refused++;
                }
                JsonNode after = hub.api().get("/api/orders/" + e.getValue()).json();
                assertThat(after.get("state").asText()).isEqualTo(e.getKey().name());
                assertThat(after.get("history")).hasSize(historyBefore);
            }
            assertThat(refused).isGreaterThanOrEqualTo(25);
            // no stray shipment or WMS message came of any refused move
            assertThat(hub.jdbc().queryOne("select count(*) from shipments", rs -> rs.getLong(1)).orElseThrow()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aDispatchFileAppliesItsGoodRowsAndHoldsTheRestOneByOne(TestDb db) {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "PEN-2", 10);
            String ready = Lifecycle.paidOrder(hub, "D-1", "PEN-2", 2);
            String other = Lifecycle.paidOrder(hub, "D-2", "PEN-2", 1);
            String byChannel = Lifecycle.paidOrder(hub, "D-3", "PEN-2", 1);
            Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            JsonNode report = Lifecycle.dispatch(hub,
                    ready + ",PICKED,,," + t,                                   // row 2: applies
                    other + ",HANDED_OVER,usps,9400D2," + t,                    // row 3: not picked yet
                    "no-such-order,PICKED,,," + t,                              // row 4: unknown order
                    ready + ",PACKED,,," + t,                                   // row 5: not an event
                    ready + ",HANDED_OVER,,," + t,                              // row 6: no carrier
                    ready + ",HANDED_OVER,usps,9400D1," + t.plusSeconds(600),   // row 7: applies
                    "test-shop:D-3,PICKED,,," + t);                              // row 8: the channel's number
            assertThat(report.toString()).contains("\"rowsApplied\":3").contains("\"rowsHeld\":4");
            assertThat(Lifecycle.state(hub, byChannel)).isEqualTo("PICKED");
            assertThat(Lifecycle.state(hub, ready)).isEqualTo("HANDED_OVER");
            assertThat(Lifecycle.state(hub, other)).isEqualTo("READY_TO_PICK");

            List<JsonNode> holds = list(hub.api().get("/api/holds?status=open").json().get("holds"));
            assertThat(holds).extracting(h -> h.get("reasonCode").asText())
                    .containsExactlyInAnyOrder("ILLEGAL_TRANSITION", "UNKNOWN_ORDER", "BAD_ROW", "BAD_ROW");
            JsonNode illegal = holds.stream().filter(h -> h.get("reasonCode").asText().equals("ILLEGAL_TRANSITION"))
                    .findFirst().orElseThrow();
            assertThat(illegal.get("detail").asText()).contains("row 3").contains("READY_TO_PICK").contains("HANDED_OVER");

            // once the order is picked, releasing the held row applies it
            Lifecycle.dispatch(hub, other + ",PICKED,,," + t);
            TestHub.Response released = hub.api().post("/api/holds/" + illegal.get("holdId").asLong() + "/release",
                    Map.of("actor", "ops:lee", "note", "picked now"));
            assertThat(released.json().get("status").asText()).as(released.body()).isEqualTo("released");
            assertThat(Lifecycle.state(hub, other)).isEqualTo("HANDED_OVER");

            // the same facts sent again in a new file change nothing and hold nothing
            JsonNode again = Lifecycle.dispatch(hub, ready + ",PICKED,,," + t,
                    ready + ",HANDED_OVER,USPS,9400D1," + t.plusSeconds(600));
            assertThat(again.toString()).contains("\"rowsHeld\":0");
            assertThat(Lifecycle.openHolds(hub, "ILLEGAL_TRANSITION")).isZero();
            assertThat(hub.jdbc().queryOne("select count(*) from shipments where order_id = ?", rs -> rs.getLong(1), ready)
                    .orElseThrow()).isEqualTo(1);
            assertThat(EnumSet.of(OrderState.HANDED_OVER).contains(OrderState.valueOf(Lifecycle.state(hub, ready)))).isTrue();
        }
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
