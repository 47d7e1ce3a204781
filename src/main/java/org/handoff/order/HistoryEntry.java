package org.handoff.order;

import java.time.Instant;
import java.util.Map;

/**
 * One decision about an order: a transition (from → to) or a recorded non-change (from == to, e.g.
 * STALE_UPDATE), with its evidence, who decided, when the hub decided and when the fact was observed
 * at its source.
 */
public record HistoryEntry(OrderState from, OrderState to, String reasonCode, Map<String, Object> evidence,
        String actor, Instant decidedAt, Instant observedAt) {

    public HistoryEntry {
        evidence = evidence == null ? Map.of() : evidence;
    }
}
