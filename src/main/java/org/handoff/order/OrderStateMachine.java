package org.handoff.order;

import static org.handoff.order.OrderState.ACCEPTED;
import static org.handoff.order.OrderState.CANCELLED;
import static org.handoff.order.OrderState.CLOSED;
import static org.handoff.order.OrderState.DELIVERED;
import static org.handoff.order.OrderState.HANDED_OVER;
import static org.handoff.order.OrderState.HELD;
import static org.handoff.order.OrderState.PICKED;
import static org.handoff.order.OrderState.READY_TO_PICK;
import static org.handoff.order.OrderState.RECEIVED;
import static org.handoff.order.OrderState.SHIPPED;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that says which transition is legal (DESIGN §7). Everything else asks here:
 * {@code next(state, event)} is the state the event moves the order to, or empty when the rules
 * forbid it (the API answers 409 ILLEGAL_TRANSITION). A result equal to the current state means the
 * event is recorded in the history without moving the order (e.g. payment arriving while held).
 */
public final class OrderStateMachine {

    private static final Map<OrderEvent, Map<OrderState, OrderState>> RULES = new EnumMap<>(OrderEvent.class);

    static {
        allow(OrderEvent.ACCEPT, RECEIVED, ACCEPTED);
        allow(OrderEvent.ACCEPT, HELD, ACCEPTED);

        allow(OrderEvent.HOLD, RECEIVED, HELD);
        allow(OrderEvent.HOLD, HELD, HELD);
        // an address change before the pick is re-validated, and may send an accepted order back to the hold
        allow(OrderEvent.HOLD, ACCEPTED, HELD);
        allow(OrderEvent.HOLD, READY_TO_PICK, HELD);

        // 'paid' is not 'ready to pick' on its own: the order must be accepted (stock reserved) first
        allow(OrderEvent.PAYMENT_CAPTURED, ACCEPTED, READY_TO_PICK);
        allow(OrderEvent.PAYMENT_CAPTURED, RECEIVED, RECEIVED);
        allow(OrderEvent.PAYMENT_CAPTURED, HELD, HELD);

        allow(OrderEvent.PICKED, READY_TO_PICK, PICKED);
        allow(OrderEvent.HANDED_OVER, PICKED, HANDED_OVER);
        // 'handed over' is not 'shipped' until the carrier confirms custody
        allow(OrderEvent.CARRIER_SCANNED, HANDED_OVER, SHIPPED);
        allow(OrderEvent.DELIVERED, SHIPPED, DELIVERED);
        allow(OrderEvent.SETTLED, DELIVERED, CLOSED);

        // cancellation is allowed until PICKED (and releases the reservation)
        for (OrderState s : OrderState.values()) {
            if (s.beforePick()) {
                allow(OrderEvent.CANCEL_REQUESTED, s, CANCELLED);
                allow(OrderEvent.ADDRESS_CHANGED, s, s);
                allow(OrderEvent.LINES_CHANGED, s, s);
            }
            // a stale update is recorded whatever the state, and changes nothing
            allow(OrderEvent.STALE_UPDATE, s, s);
        }
    }

    private OrderStateMachine() {}

    private static void allow(OrderEvent event, OrderState from, OrderState to) {
        RULES.computeIfAbsent(event, e -> new EnumMap<>(OrderState.class)).put(from, to);
    }

    /** The state {@code event} moves an order in {@code from} to; empty when the rules forbid it. */
    public static Optional<OrderState> next(OrderState from, OrderEvent event) {
        return Optional.ofNullable(RULES.getOrDefault(event, Map.of()).get(from));
    }

    public static boolean allows(OrderState from, OrderEvent event) {
        return next(from, event).isPresent();
    }

    /** Like {@link #next} but throws {@link IllegalTransitionException} carrying the current state. */
    public static OrderState require(OrderState from, OrderEvent event) {
        return next(from, event).orElseThrow(() -> new IllegalTransitionException(from, event));
    }
}
