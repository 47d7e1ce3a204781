package org.handoff.order;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.handoff.api.Json;

/** The JSON shape of DESIGN §7 for the Orders API: money as decimals, times as ISO 8601 UTC. */
public final class OrderView {

    private OrderView() {}

    public static Map<String, Object> full(Order o) {
        Map<String, Object> m = summary(o);
        m.put("lines", o.lines().stream().map(OrderView::line).toList());
        m.put("shipTo", shipTo(o.shipTo()));
        m.put("history", history(o.history()));
        return m;
    }

    /** The ship-to address as the API and the WMS pick ticket show it. */
    public static Map<String, Object> shipTo(ShipTo s) {
        Map<String, Object> shipTo = new LinkedHashMap<>();
        shipTo.put("name", s.name());
        shipTo.put("address1", s.address1());
        shipTo.put("address2", s.address2());
        shipTo.put("city", s.city());
        shipTo.put("postcode", s.postcode());
        shipTo.put("country", s.country());
        shipTo.put("phone", s.phone());
        return shipTo;
    }

    public static Map<String, Object> summary(Order o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("orderId", o.orderId());
        m.put("channel", o.channel());
        m.put("externalId", o.externalId());
        m.put("placedAt", Json.time(o.placedAt()));
        m.put("currency", o.currency());
        m.put("email", o.email());
        m.put("shippingMethod", o.shippingMethod());
        m.put("paymentStatus", o.paymentStatus());
        m.put("state", o.state().name());
        m.put("reserved", o.reserved());
        m.put("holdId", o.holdId());
        m.put("createdAt", Json.time(o.createdAt()));
        m.put("updatedAt", Json.time(o.updatedAt()));
        return m;
    }

    private static Map<String, Object> line(OrderLine l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sku", l.sku());
        m.put("channelSku", l.channelSku());
        m.put("quantity", l.quantity());
        m.put("unitPrice", l.unitPrice() == null ? null : l.unitPrice().stripTrailingZeros().scale() < 2
                ? l.unitPrice().setScale(2) : l.unitPrice().stripTrailingZeros());
        return m;
    }

    private static List<Map<String, Object>> history(List<HistoryEntry> entries) {
        return entries.stream().map(h -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", h.from() == null ? null : h.from().name());
            m.put("to", h.to().name());
            m.put("reasonCode", h.reasonCode());
            m.put("evidence", h.evidence());
            m.put("actor", h.actor());
            m.put("decidedAt", Json.time(h.decidedAt()));
            m.put("observedAt", Json.time(h.observedAt()));
            return m;
        }).toList();
    }
}
