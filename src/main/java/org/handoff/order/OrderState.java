package org.handoff.order;

/** DESIGN §7: the order's life, plus HELD (waiting on a person or a later fact) and CANCELLED. */
public enum OrderState {
    RECEIVED, ACCEPTED, READY_TO_PICK, PICKED, HANDED_OVER, SHIPPED, DELIVERED, CLOSED, HELD, CANCELLED;

    /** Before PICKED the warehouse has not touched the goods: cancellation and address changes still apply. */
    public boolean beforePick() {
        return this == RECEIVED || this == HELD || this == ACCEPTED || this == READY_TO_PICK;
    }
}
