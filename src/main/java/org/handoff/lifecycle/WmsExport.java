package org.handoff.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.handoff.api.Json;
import org.handoff.order.HistoryEntry;
import org.handoff.order.Order;
import org.handoff.order.OrderEvent;
import org.handoff.order.OrderLine;
import org.handoff.order.OrderState;
import org.handoff.order.OrderStore;
import org.handoff.order.OrderView;

/**
 * What the WMS must be told when an order's history is written, decided in that same transaction:
 * <ul>
 *   <li>the order is READY_TO_PICK and the WMS has no ticket for it (or its address just changed): a pick ticket;</li>
 *   <li>the order left READY_TO_PICK for CANCELLED or HELD (or back to ACCEPTED) while a ticket stands: the
 *       ticket is withdrawn if it never left, otherwise a cancel is sent.</li>
 * </ul>
 * Nothing after PICKED: the goods are off the shelf and a cancellation then is a person's decision.
 */
public final class WmsExport implements OrderStore.HistoryListener {

    private static final Set<OrderState> NOT_FOR_PICKING = Set.of(OrderState.RECEIVED, OrderState.ACCEPTED,
            OrderState.HELD, OrderState.CANCELLED);

    private final WmsOutbox outbox;
    public WmsExport(WmsOutbox outbox) {
        this.outbox = outbox;
    }

    /**
     * A batch of orders: the first pick tickets of orders created in it (the common case under load) go in
     * as one insert; every other order is looked at on its own.
     */
    @Override
    public void written(Connection c, List<OrderStore.Written> batch) throws SQLException {
        List<WmsOutbox.Queued> firstTickets = new ArrayList<>();
        for (OrderStore.Written w : batch) {
            List<HistoryEntry> entries = w.entries();
            HistoryEntry last = entries.get(entries.size() - 1);
            boolean created = entries.get(0).from() == null;
            if (created && last.to() == OrderState.READY_TO_PICK) {
                firstTickets.add(new WmsOutbox.Queued(w.order().orderId(), 1, WmsMessage.PICK_TICKET,
                        (version, key) -> pickTicket(w.order(), version, key, null, last)));
            } else {
                written(c, w.order(), entries);
            }
        }
        outbox.insert(c, firstTickets);
    }

    @Override
    public void written(Connection c, Order written, List<HistoryEntry> entries) throws SQLException {
        String orderId = written.orderId();
        if (entries.isEmpty()) {
            return;
        }
        HistoryEntry last = entries.get(entries.size() - 1);
        OrderState now = last.to();
        // most history rows (a new order accepted, a stale update) concern no ticket: no query for them
        boolean entered = entries.stream().anyMatch(e -> e.to() == OrderState.READY_TO_PICK && e.from() != OrderState.READY_TO_PICK);
        boolean left = entries.stream().anyMatch(e -> e.from() == OrderState.READY_TO_PICK && e.to() != OrderState.READY_TO_PICK);
        boolean changed = entries.stream().anyMatch(e -> OrderEvent.ADDRESS_CHANGED.name().equals(e.reasonCode())
                || OrderEvent.LINES_CHANGED.name().equals(e.reasonCode()));
        if (now == OrderState.READY_TO_PICK && (entered || changed)) {
            // an order created in this very transaction cannot have tickets yet: no query for it
            boolean created = entries.get(0).from() == null;
            List<WmsMessage> live = created ? List.of() : outbox.liveTickets(c, orderId);
            if (live.isEmpty() || changed) {
                String replaces = live.isEmpty() ? null : live.get(live.size() - 1).idempotencyKey();
                for (WmsMessage m : live) {
                    outbox.withdraw(c, m, last.actor(), "replaced by a new pick ticket");
                }
                // the order as just written, lines included, is what the ticket carries
                outbox.enqueue(c, orderId, created, WmsMessage.PICK_TICKET, (version, key) -> pickTicket(written, version,
                        key, replaces, last));
            }
        } else if (left && NOT_FOR_PICKING.contains(now)) {
            List<WmsMessage> live = outbox.liveTickets(c, orderId);
            boolean mayBeThere = false;
            for (WmsMessage m : live) {
                if (!outbox.withdraw(c, m, last.actor(), "order " + now.name().toLowerCase() + " before its ticket was sent")) {
                    mayBeThere = true;
                }
            }
            if (mayBeThere) {
                List<String> cancels = live.stream().map(WmsMessage::idempotencyKey).toList();
                outbox.enqueue(c, orderId, false, WmsMessage.CANCEL, (version, key) -> cancel(orderId, version, key, cancels,
                        last));
            }
        }
    }

    static Map<String, Object> pickTicket(Order o, int version, String key, String replaces, HistoryEntry why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", WmsMessage.PICK_TICKET);
        m.put("idempotencyKey", key);
        m.put("orderId", o.orderId());
        m.put("version", version);
        if (replaces != null) {
            m.put("replaces", replaces);
        }
        m.put("channel", o.channel());
        m.put("externalId", o.externalId());
        m.put("placedAt", Json.time(o.placedAt()));
        m.put("shippingMethod", o.shippingMethod());
        m.put("shipTo", OrderView.shipTo(o.shipTo()));
        m.put("lines", o.lines().stream().map(WmsExport::line).toList());
        m.put("issuedAt", Json.time(why.decidedAt()));
        return m;
    }

    private static Map<String, Object> line(OrderLine l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sku", l.sku());
        m.put("quantity", l.quantity());
        return m;
    }

    static Map<String, Object> cancel(String orderId, int version, String key, List<String> cancels, HistoryEntry why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", WmsMessage.CANCEL);
        m.put("idempotencyKey", key);
        m.put("orderId", orderId);
        m.put("version", version);
        m.put("cancels", cancels);
        m.put("reason", why.reasonCode());
        m.put("issuedAt", Json.time(why.decidedAt()));
        return m;
    }
}
