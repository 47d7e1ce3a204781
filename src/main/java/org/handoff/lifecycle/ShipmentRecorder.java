package org.handoff.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.handoff.order.HistoryEntry;
import org.handoff.order.Order;
import org.handoff.order.OrderState;
import org.handoff.order.OrderStore;
import org.handoff.order.StoredWidths;

/**
 * A HANDED_OVER transition (dispatch file or API) records the shipment in the same transaction: carrier,
 * tracking number and the handover time as the WMS observed it — the time carrier events are matched
 * against. Carrier events that arrived before the handover was known are applied right away.
 */
public final class ShipmentRecorder implements OrderStore.HistoryListener {

    private final Shipments shipments;
    private final CarrierCustody custody;
    private final java.time.Clock clock;

    public ShipmentRecorder(Shipments shipments, CarrierCustody custody, java.time.Clock clock) {
        this.shipments = shipments;
        this.custody = custody;
        this.clock = clock;
    }

    @Override
    public void written(Connection c, Order order, List<HistoryEntry> entries) throws SQLException {
        String orderId = order.orderId();
        for (HistoryEntry e : entries) {
            if (e.to() != OrderState.HANDED_OVER || e.from() == OrderState.HANDED_OVER) {
                continue;
            }
            String carrier = text(e.evidence().get("carrier"));
            String tracking = text(e.evidence().get("trackingNumber"));
            if (carrier == null || tracking == null) {
                continue;
            }
            List<String> overlong = StoredWidths.overlongShipment(carrier, tracking);
            if (!overlong.isEmpty()) {
                // the sender's bad data, not a store failure: the API answers 400, a dispatch row is held BAD_ROW
                throw new IllegalArgumentException(e.reasonCode() + " evidence: " + String.join("; ", overlong));
            }
            Instant handedOverAt = e.observedAt() != null ? e.observedAt() : e.decidedAt();
            long id = shipments.insert(c, orderId, carrier, tracking, handedOverAt, clock.instant());
            shipments.find(c, id).ifPresent(s -> {
                try {
                    custody.applyWaiting(c, s);
                } catch (SQLException ex) {
                    throw new IllegalStateException(ex);
                }
            });
        }
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }
}
