package org.handoff.order;

/** The state machine forbids this event in the order's current state (API: 409 ILLEGAL_TRANSITION). */
public class IllegalTransitionException extends RuntimeException {

    private final OrderState current;
    private final OrderEvent event;

    public IllegalTransitionException(OrderState current, OrderEvent event) {
        super(event + " is not allowed when the order is " + current);
        this.current = current;
        this.event = event;
    }

    public OrderState current() {
        return current;
    }

    public OrderEvent event() {
        return event;
    }
}
