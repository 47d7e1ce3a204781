package org.handoff.order;

/**
 * What can happen to an order. Each event names the evidence it needs (DESIGN §4, §7); which state it
 * may move an order from, and to, is decided in one place: {@link OrderStateMachine}.
 */
public enum OrderEvent {
    /** validation passed and the stock is reserved */
    ACCEPT,
    /** a rule or the stock refused it: it waits in the hold table */
    HOLD,
    /** the payment provider (or the channel's paid status) confirms payment */
    PAYMENT_CAPTURED("paymentReference"),
    /** the WMS picked it */
    PICKED("reference"),
    /** handed to the carrier; not shipped until the carrier scans it */
    HANDED_OVER("carrier", "trackingNumber"),
    /** the carrier's first scan: custody confirmed */
    CARRIER_SCANNED("carrier", "trackingNumber"),
    DELIVERED,
    /** delivered and the settlement reconciled */
    SETTLED("payoutId"),
    CANCEL_REQUESTED("reason"),
    /** the channel changed the ship-to address */
    ADDRESS_CHANGED,
    /** the channel changed the order's lines (SKUs or quantities): reserved again, a new pick ticket */
    LINES_CHANGED,
    /** an update older than the last applied one: recorded, not applied */
    STALE_UPDATE;

    private final String[] requiredEvidence;

    OrderEvent(String... requiredEvidence) {
        this.requiredEvidence = requiredEvidence;
    }

    /** Evidence fields an operator or system must supply with this event (checked by the Orders API). */
    public String[] requiredEvidence() {
        return requiredEvidence.clone();
    }
}
