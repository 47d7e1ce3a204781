package org.handoff.lifecycle;

import java.time.Instant;

/** One handover of an order to a carrier, and what the carrier has said about it since. */
public record Shipment(long shipmentId, String orderId, String carrier, String trackingNumber, Instant handedOverAt,
        Instant firstScanAt, String lastStatus, Instant lastEventAt, Instant deliveredAt, Long silentHoldId) {

    public boolean scanned() {
        return firstScanAt != null;
    }
}
