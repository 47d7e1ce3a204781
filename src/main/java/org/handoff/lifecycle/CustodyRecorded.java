package org.handoff.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.handoff.order.HistoryEntry;
import org.handoff.order.Order;
import org.handoff.order.OrderState;
import org.handoff.order.OrderStore;

/**
 * An order that moves on to SHIPPED or DELIVERED has its carrier's custody on record, whoever recorded it: the
 * signed carrier webhook (which resolved the hold already, at the scan) or the operator API's CARRIER_SCANNED /
 * DELIVERED. Its latest shipment's CARRIER_SILENT hold waited for that fact and is resolved the way the scan
 * resolves it ({@link CarrierCustody#resolveSilence}), in the same transaction.
 */
final class CustodyRecorded implements OrderStore.HistoryListener {

    private final Shipments shipments;
    private final CarrierCustody custody;

    CustodyRecorded(Shipments shipments, CarrierCustody custody) {
        this.shipments = shipments;
        this.custody = custody;
    }

    @Override
    public void written(Connection c, Order order, List<HistoryEntry> entries) throws SQLException {
        for (HistoryEntry e : entries) {
            boolean custodyMove = (e.to() == OrderState.SHIPPED || e.to() == OrderState.DELIVERED) && e.from() != e.to();
            if (!custodyMove || CarrierCustody.ACTOR.equals(e.actor())) {
                // the carrier's own scan resolved the hold already, before moving the order
                continue;
            }
            Optional<Shipment> latest = shipments.latestOf(c, order.orderId());
            if (latest.isPresent() && latest.get().silentHoldId() != null) {
                custody.resolveSilence(c, latest.get(), e.actor(), "order moved from " + e.from() + " to " + e.to() + " by "
                        + e.reasonCode() + " (" + e.actor() + ")", e.reasonCode() + " of order " + order.orderId());
            }
            return;
        }
    }
}
