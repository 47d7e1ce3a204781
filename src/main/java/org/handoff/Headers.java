package org.handoff;

/** Exchange headers the routes and beans agree on. All start with "Handoff" so they are easy to strip. */
public final class Headers {
    /** Set by release: the hold this exchange replays; a new failure updates that hold instead of opening another. */
    public static final String REPLAY_HOLD_ID = "HandoffReplayHoldId";
    /** Where a hold of this exchange should be replayed into (defaults to the direct: route it entered). */
    public static final String ENTRY_ENDPOINT = "HandoffEntryEndpoint";
    /** Who or what this record came from (channel, file name), for the hold's source column. */
    public static final String SOURCE = "HandoffSource";
    /** What the record is about (order id, file name and row), for the hold's subject column. */
    public static final String SUBJECT = "HandoffSubject";
    /** The outcome of a pipeline: accepted, held, duplicate, ignored, applied, received. */
    public static final String OUTCOME = "HandoffOutcome";
    /** The hold raised for this exchange, if any. */
    public static final String HOLD_ID = "HandoffHoldId";
    /** The canonical order this exchange touched, if any. */
    public static final String ORDER_ID = "HandoffOrderId";
    /** The reason code a failure should be held with (overrides the exception's own). */
    public static final String REASON = "HandoffReason";

    private Headers() {}
}
