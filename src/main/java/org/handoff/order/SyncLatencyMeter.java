package org.handoff.order;

import java.time.Duration;
import org.handoff.HandoffMetrics;

/**
 * DESIGN §4's "sync latency from event time to applied": every history row knows when the fact was
 * observed at its source (the channel's order time, the WMS's dispatch time, the carrier's scan) and
 * when the hub decided on it. Recorded per reason (ACCEPTED, PICKED, CARRIER_SCANNED, ...).
 */
public final class SyncLatencyMeter {

    private SyncLatencyMeter() {}

    public static void watch(OrderStore orders, HandoffMetrics metrics) {
        orders.onHistory((c, order, entries) -> {
            for (HistoryEntry e : entries) {
                if (e.observedAt() != null && e.decidedAt() != null) {
                    String flow = e.reasonCode() != null ? e.reasonCode() : String.valueOf(e.to());
                    metrics.syncLatency(flow, Duration.between(e.observedAt(), e.decidedAt()));
                }
            }
        });
    }
}
