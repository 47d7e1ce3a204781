package org.handoff.order;

import java.util.Map;

/**
 * The rules forbid this event in the order's current state (API: 409 ILLEGAL_TRANSITION): the state machine, or a
 * condition the move needs beyond it (DESIGN §7: CLOSED needs a reconciled settlement), which says why in its
 * message and {@link #details()} (e.g. the hold where it is decided).
 */
public class IllegalTransitionException extends RuntimeException {

    private final OrderState current;
    private final OrderEvent event;
    private final Map<String, Object> details;

    public IllegalTransitionException(OrderState current, OrderEvent event) {
        this(current, event, event + " is not allowed when the order is " + current, Map.of());
    }

    public IllegalTransitionException(OrderState current, OrderEvent event, String message, Map<String, Object> details) {
        super(message);
        this.current = current;
        this.event = event;
        this.details = Map.copyOf(details);
    }

    public OrderState current() {
        return current;
    }

    public OrderEvent event() {
        return event;
    }

    /** What the API answers besides error, message and state (empty for the state machine's refusals). */
    public Map<String, Object> details() {
        return details;
    }
}
