package org.handoff.lifecycle;

import java.time.Instant;

/** One row of the WMS outbox, with its payload (null where it was read only to decide a transition). */
public record WmsMessage(long messageId, String orderId, int version, String kind, String idempotencyKey,
        String payload, String status, int attempts, Long holdId, Instant createdAt, Instant sentAt) {

    public static final String PICK_TICKET = "PICK_TICKET";
    public static final String CANCEL = "CANCEL";

    public static final String PENDING = "pending";
    public static final String SENDING = "sending";
    public static final String SENT = "sent";
    public static final String HELD = "held";
    public static final String SUPERSEDED = "superseded";

    /** {@code <orderId>-v<version>}: what the WMS sees as Idempotency-Key. */
    public static String key(String orderId, int version) {
        return orderId + "-v" + version;
    }

    /** The file name in {@code data/outbox/wms/} when no WMS URL is configured. */
    public String fileName() {
        return (PICK_TICKET.equals(kind) ? "pick-ticket_" : "cancel_") + orderId + "_v" + version + ".json";
    }

    /** As the drain's claim left it: being sent, one attempt more. */
    public WmsMessage claimed() {
        return new WmsMessage(messageId, orderId, version, kind, idempotencyKey, payload, SENDING, attempts + 1, holdId,
                createdAt, sentAt);
    }

    /** As marked after its send failed past its retries: held under {@code holdId}. */
    public WmsMessage held(Long holdId) {
        return new WmsMessage(messageId, orderId, version, kind, idempotencyKey, payload, HELD, attempts, holdId,
                createdAt, sentAt);
    }

    public String describe() {
        return (PICK_TICKET.equals(kind) ? "pick ticket " : "cancel ") + idempotencyKey;
    }
}
