package org.handoff.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.handoff.api.Json;
import org.handoff.holds.HoldRequest;
import org.handoff.holds.HoldStore;
import org.handoff.mapping.Mappings;
import org.handoff.order.HistoryEntry;
import org.handoff.order.Order;
import org.handoff.order.OrderState;
import org.handoff.order.OrderStore;
import org.handoff.store.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices silence before the customer does: an order HANDED_OVER longer than its carrier's cut-off
 * ({@code mappings/carriers.yaml} silenceCutoff, by carrier name or the order's shipping method) with no
 * carrier scan gets one CARRIER_SILENT hold — one per shipment, ever, by the hold's dedupe key. The first
 * custody scan resolves it ({@link CarrierCustody}).
 */
public final class SilenceDetector {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceDetector.class);

    public static final String CARRIER_SILENT = "CARRIER_SILENT";
    public static final String ACTOR = "system:silence-check";

    private final Jdbc jdbc;
    private final Shipments shipments;
    private final OrderStore orders;
    private final HoldStore holds;
    private final Mappings mappings;
    private final Clock clock;
    private final Duration fallbackCutoff;

    public SilenceDetector(Jdbc jdbc, Shipments shipments, OrderStore orders, HoldStore holds, Mappings mappings,
            Clock clock, Duration fallbackCutoff) {
        this.jdbc = jdbc;
        this.shipments = shipments;
        this.orders = orders;
        this.holds = holds;
        this.mappings = mappings;
        this.clock = clock;
        this.fallbackCutoff = fallbackCutoff;
    }

    /**
     * One pass (the carrier-silence route calls it on a timer); returns how many holds it raised. It pages through
     * every shipment awaiting a scan: cut-offs differ per carrier, so the oldest parcels may all be inside theirs
     * while a younger one is past its own. Only those past their cut-off are looked at under their order's lock.
     */
    public int check() {
        Instant now = clock.instant();
        int raised = 0;
        Shipment after = null;
        List<Shipments.AwaitingScan> page;
        do {
            Shipment from = after;
            page = jdbc.inTransaction(c -> shipments.awaitingScan(c, now, from, PAGE));
            for (Shipments.AwaitingScan candidate : page) {
                Shipment s = candidate.shipment();
                if (now.isAfter(s.handedOverAt().plus(cutoff(s.carrier(), candidate.shippingMethod())))
                        && jdbc.inTransaction(c -> raiseIfSilent(c, s.shipmentId(), now)) != null) {
                    raised++;
                }
                after = s;
            }
        } while (page.size() == PAGE);
        return raised;
    }

    /** Shipments read per query of a pass. */
    static final int PAGE = 500;

    private Long raiseIfSilent(Connection c, long shipmentId, Instant now) throws SQLException {
        Optional<Shipment> found = shipments.find(c, shipmentId);
        if (found.isEmpty()) {
            return null;
        }
        Shipment s = found.get();
        Order order = orders.find(c, s.orderId(), false, true).orElse(null);
        // re-read under the order's lock: a scan may have arrived since the candidates were listed
        s = shipments.find(c, shipmentId).orElseThrow();
        if (order == null || order.state() != OrderState.HANDED_OVER || s.scanned() || s.silentHoldId() != null) {
            return null;
        }
        Duration cutoff = cutoff(s, order);
        if (!now.isAfter(s.handedOverAt().plus(cutoff))) {
            return null;
        }
        Duration silentFor = Duration.between(s.handedOverAt(), now);
        long holdId = holds.raise(c, new HoldRequest(CARRIER_SILENT, "carrier:" + s.carrier(),
                CarrierCustody.subject(order, s),
                "no carrier scan for " + human(silentFor) + " since handover at " + Json.time(s.handedOverAt())
                        + " (cut-off " + cutoff + "); ask " + s.carrier() + " where tracking number "
                        + s.trackingNumber() + " is", null, Map.of(), null, null)
                .withDedupeKey(CARRIER_SILENT + ":" + order.orderId() + ":" + s.shipmentId()), null);
        if (!shipments.markSilent(c, s.shipmentId(), holdId)) {
            return null;
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("holdId", holdId);
        evidence.put("carrier", s.carrier());
        evidence.put("trackingNumber", s.trackingNumber());
        evidence.put("handedOverAt", Json.time(s.handedOverAt()));
        evidence.put("cutoff", cutoff.toString());
        Instant decided = clock.instant();
        orders.addHistory(c, order, List.of(new HistoryEntry(order.state(), order.state(), CARRIER_SILENT,
                evidence, ACTOR, decided, decided)));
        LOG.info("order {}: CARRIER_SILENT hold {} (no scan {} after handover)", order.orderId(), holdId, cutoff);
        return holdId;
    }

    /** The carrier's cut-off, else the order's shipping method's, else handoff.carrier.default-silence-cutoff. */
    Duration cutoff(Shipment s, Order order) {
        return cutoff(s.carrier(), order.shippingMethod());
    }

    private Duration cutoff(String carrier, String shippingMethod) {
        return mappings.silenceCutoff(carrier)
                .or(() -> mappings.silenceCutoff(shippingMethod))
                .orElse(fallbackCutoff);
    }

    private static String human(Duration d) {
        long hours = d.toHours();
        return hours >= 1 ? hours + " h " + d.toMinutesPart() + " min" : d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
}
