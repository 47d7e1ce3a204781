package org.handoff.lifecycle;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.handoff.Headers;
import org.handoff.HandoffMetrics;
import org.handoff.holds.HoldRequest;
import org.handoff.holds.HoldService;
import org.handoff.holds.HoldStatus;
import org.handoff.holds.HoldStore;
import org.handoff.order.HistoryEntry;
import org.handoff.order.Order;
import org.handoff.order.OrderEvent;
import org.handoff.order.OrderPipeline;
import org.handoff.order.OrderState;
import org.handoff.order.OrderStateMachine;
import org.handoff.order.OrderStore;
import org.handoff.store.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Custody from the carrier (DESIGN §3, §7): one signed EasyPost tracker event is recorded once by its id,
 * matched to a shipment by carrier + tracking number + handover time, and moves the order through the
 * state machine — the first scan after handover (in_transit or later) HANDED_OVER → SHIPPED, delivered →
 * DELIVERED, return_to_sender and failure raise a CARRIER_EXCEPTION hold. A custody scan resolves the
 * shipment's CARRIER_SILENT hold. Recording and every effect commit together, before the sender's 200.
 */
public final class CarrierCustody {

    private static final Logger LOG = LoggerFactory.getLogger(CarrierCustody.class);

    public static final String SOURCE = "easypost";
    public static final String ACTOR = "carrier:easypost";
    /** Where a held event is replayed into on release. */
    public static final String ENTRY = "direct:carrier-event";
    /** The carrier sends the parcel back or gave up on it (extends DESIGN §7's reason codes). */
    public static final String CARRIER_EXCEPTION = "CARRIER_EXCEPTION";
    public static final String MALFORMED_PAYLOAD = "MALFORMED_PAYLOAD";
    public static final String IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT";

    /** What became of one event: accepted, received (no shipment yet), held, duplicate, ignored. */
    public record Outcome(String result, String orderId, Long holdId) {}

    private final Jdbc jdbc;
    private final CarrierEventLog log;
    private final Shipments shipments;
    private final OrderStore orders;
    private final OrderPipeline pipeline;
    private final HoldStore holds;
    private final HandoffMetrics metrics;
    private final Clock clock;

    public CarrierCustody(Jdbc jdbc, CarrierEventLog log, Shipments shipments, OrderStore orders,
            OrderPipeline pipeline, HoldStore holds, HandoffMetrics metrics, Clock clock) {
        this.jdbc = jdbc;
        this.log = log;
        this.shipments = shipments;
        this.orders = orders;
        this.pipeline = pipeline;
        this.holds = holds;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Route step of {@code direct:carrier-event}: the verified body in, outcome headers out. */
    public void receive(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        Outcome o = receive(body == null ? new byte[0] : body, HoldService.replayOf(exchange));
        exchange.getMessage().setHeader(Headers.OUTCOME, o.result());
        if (o.orderId() != null) {
            exchange.getMessage().setHeader(Headers.ORDER_ID, o.orderId());
        }
        if (o.holdId() != null) {
            exchange.getMessage().setHeader(Headers.HOLD_ID, o.holdId());
        }
    }

    public Outcome receive(byte[] body, Long replayOf) {
        return jdbc.inTransaction(c -> receive(c, body, replayOf));
    }

    private Outcome receive(Connection c, byte[] body, Long replayOf) throws SQLException {
        Instant now = clock.instant();
        String text = org.handoff.store.StoredText.of(body);
        CarrierEvent event;
        try {
            event = CarrierEvent.parse(body);
        } catch (CarrierEvent.Malformed m) {
            return malformed(c, m, text, replayOf, now);
        }
        Optional<CarrierEventLog.Entry> seen = log.find(c, event.eventId());
        if (seen.isPresent()) {
            CarrierEventLog.Entry entry = seen.get();
            boolean replayOfItsHold = replayOf != null && Objects.equals(entry.holdId(), replayOf)
                    && CarrierEventLog.HELD.equals(entry.result());
            if (replayOfItsHold) {
                log.correct(c, event.eventId(), event, event.fingerprint(), text);
            } else if (entry.fingerprint().equals(event.fingerprint())) {
                return new Outcome("duplicate", entry.orderId(), null);
            } else {
                long holdId = holds.raise(c, new HoldRequest(IDEMPOTENCY_CONFLICT, SOURCE, "carrier event " + event.eventId(),
                        "event " + event.eventId() + " was delivered before with different content; the first "
                                + "version was applied, this one is kept here", text, Map.of(), null, null)
                        .withDedupeKey(IDEMPOTENCY_CONFLICT + ":" + SOURCE + ":" + event.eventId() + ":"
                                + event.fingerprint()), null);
                return new Outcome("held", entry.orderId(), holdId);
            }
        } else if (!insert(c, event.eventId(), event, event.fingerprint(), text, now)) {
            // another delivery of the same event won the race: it is a duplicate of that one
            return new Outcome("duplicate", null, null);
        }
        if (!event.handled()) {
            log.outcome(c, event.eventId(), CarrierEventLog.IGNORED, null, null, null, "topic not handled");
            return new Outcome("ignored", null, null);
        }
        Instant at = event.occurredAt() != null ? event.occurredAt() : now;
        Optional<Shipment> shipment = shipments.match(c, event.carrier(), event.trackingNumber(), at);
        if (shipment.isEmpty()) {
            log.outcome(c, event.eventId(), CarrierEventLog.RECEIVED, null, null, null,
                    "no shipment handed over with this carrier and tracking number by " + at
                            + "; kept until its handover is recorded");
            LOG.info("carrier event {}: no shipment yet for its tracking number; kept", event.eventId());
            return new Outcome("received", null, null);
        }
        return apply(c, event, at, shipment.get(), text);
    }

    private Outcome malformed(Connection c, CarrierEvent.Malformed m, String text, Long replayOf, Instant now)
            throws SQLException {
        String key = m.eventId() != null ? m.eventId() : "sha256:" + CarrierEvent.sha256(text);
        Optional<CarrierEventLog.Entry> seen = log.find(c, key);
        if (seen.isPresent() && !(replayOf != null && Objects.equals(seen.get().holdId(), replayOf))) {
            return new Outcome("duplicate", seen.get().orderId(), null);
        }
        long holdId = holds.raise(c, new HoldRequest(MALFORMED_PAYLOAD, SOURCE, "carrier event " + key, m.getMessage(),
                text, Map.of(), ENTRY, null), replayOf);
        if (seen.isEmpty() && !insert(c, key, null, CarrierEvent.sha256(text), text, now)) {
            return new Outcome("duplicate", null, null);
        }
        log.outcome(c, key, CarrierEventLog.HELD, null, null, holdId, m.getMessage());
        return new Outcome("held", null, holdId);
    }

    /** Records the event; false when a concurrent delivery of the same id committed first. */
    private boolean insert(Connection c, String eventId, CarrierEvent event, String fingerprint, String text,
            Instant now) throws SQLException {
        Savepoint savepoint = c.setSavepoint();
        try {
            log.insert(c, SOURCE, eventId, event, fingerprint, text, now);
            c.releaseSavepoint(savepoint);
            return true;
        } catch (SQLException e) {
            if (!Jdbc.isDuplicateKey(e)) {
                throw e;
            }
            c.rollback(savepoint);
            return false;
        }
    }

    /**
     * Applies a matched event to its shipment and order. Only the order's latest shipment moves the order:
     * an event for an older handover is recorded against that shipment and nothing else.
     */
    Outcome apply(Connection c, CarrierEvent event, Instant at, Shipment shipment, String text) throws SQLException {
        Order order = orders.find(c, shipment.orderId(), false, true).orElse(null);
        String status = event.status();
        boolean custody = TrackerStatus.provesCustody(status);
        shipments.recordEvent(c, shipment.shipmentId(), status, at, event.eventId(), custody);
        if (custody && !shipment.scanned()) {
            resolveSilence(c, shipment, ACTOR, "carrier scan " + event.eventId() + " (" + status + ") at " + at,
                    "carrier event " + event.eventId());
        }
        if (order == null) {
            log.outcome(c, event.eventId(), CarrierEventLog.ACCEPTED, shipment.shipmentId(), shipment.orderId(), null,
                    "order not found");
            return new Outcome("accepted", shipment.orderId(), null);
        }
        boolean latest = shipments.latestOf(c, order.orderId()).map(s -> s.shipmentId() == shipment.shipmentId())
                .orElse(false);
        Map<String, Object> evidence = evidence(event, shipment);
        OrderState state = order.state();
        List<String> moves = new java.util.ArrayList<>();
        if (latest && custody && OrderStateMachine.allows(state, OrderEvent.CARRIER_SCANNED)) {
            state = pipeline.applyEvent(c, order.orderId(), OrderEvent.CARRIER_SCANNED, evidence, ACTOR, at,
                    new HashSet<>()).state();
            moves.add(state.name());
        }
        if (latest && TrackerStatus.isDelivered(status) && OrderStateMachine.allows(state, OrderEvent.DELIVERED)) {
            state = pipeline.applyEvent(c, order.orderId(), OrderEvent.DELIVERED, evidence, ACTOR, at,
                    new HashSet<>()).state();
            moves.add(state.name());
        }
        Long holdId = null;
        // out of order: an exception the carrier already moved past (a later scan, the delivery) is history
        boolean stale = shipment.lastEventAt() != null && at.isBefore(shipment.lastEventAt());
        if (TrackerStatus.isException(status) && !stale) {
            ExceptionKey key = exceptionKey(c, shipment, status);
            holdId = holds.raise(c, new HoldRequest(CARRIER_EXCEPTION, SOURCE, subject(order, shipment),
                    "the carrier reports " + status + (event.statusDetail() == null ? "" : " (" + event.statusDetail() + ")")
                            + " for tracking number " + shipment.trackingNumber() + "; contact the carrier and the customer",
                    text, Map.of(), null, null).withDedupeKey(key.key()), null);
            if (!key.open()) {
                Map<String, Object> held = new LinkedHashMap<>(evidence);
                held.put("holdId", holdId);
                // decided now, after any move above: the history reads in the order things were decided
                orders.addHistory(c, order, List.of(new HistoryEntry(state, state, CARRIER_EXCEPTION, held,
                        ACTOR, clock.instant(), at)));
            }
        }
        String detail = moves.isEmpty() ? (latest ? "recorded; the order stays " + state
                : "recorded against an earlier shipment of this tracking number; the order is not moved")
                : "order moved to " + String.join(", then ", moves);
        if (stale && TrackerStatus.isException(status)) {
            detail += "; older than the shipment's latest event (" + shipment.lastStatus() + " at "
                    + shipment.lastEventAt() + "): no exception hold";
        }
        log.outcome(c, event.eventId(), holdId != null ? CarrierEventLog.HELD : CarrierEventLog.ACCEPTED,
                shipment.shipmentId(), order.orderId(), holdId, detail);
        LOG.info("carrier event {} ({}): order {} {}", event.eventId(), status, order.orderId(), detail);
        return new Outcome(holdId != null ? "held" : "accepted", order.orderId(), holdId);
    }

    /**
     * Custody of the shipment is now on record (the carrier's scan, or the order moved on past HANDED_OVER by
     * recorded evidence, e.g. the operator API): its open CARRIER_SILENT hold waited for exactly that and is
     * resolved, by {@code actor} with {@code fact}. {@code by} names what did it in the log (ids only).
     */
    void resolveSilence(Connection c, Shipment shipment, String actor, String fact, String by) throws SQLException {
        if (shipment.silentHoldId() != null && holds.close(c, shipment.silentHoldId(), HoldStatus.resolved)) {
            holds.recordAction(c, shipment.silentHoldId(), "resolve", actor, null, fact);
            LOG.info("order {}: CARRIER_SILENT hold {} resolved by {}", shipment.orderId(), shipment.silentHoldId(), by);
        }
    }

    /** The dedupe key of a shipment's exception hold, and whether a hold under it is open. */
    private record ExceptionKey(String key, boolean open) {}

    /**
     * One open hold per shipment and status: a second event saying the same while it is open joins it. Once that
     * hold is closed (the operator handled and discarded it), a later event saying it again is news: it gets the
     * next key of the series ({@code ...:failure}, {@code ...:failure:2}, ...) and a hold of its own, where
     * reusing the key would hand back the closed hold and nobody would see it.
     */
    private static ExceptionKey exceptionKey(Connection c, Shipment shipment, String status) throws SQLException {
        String first = CARRIER_EXCEPTION + ":" + shipment.shipmentId() + ":" + status;
        for (int n = 1; ; n++) {
            String key = n == 1 ? first : first + ":" + n;
            Optional<String> held = Jdbc.queryOne(c, "select status from holds where dedupe_key = ?",
                    rs -> rs.getString(1), key);
            if (held.isEmpty() || HoldStatus.open.name().equals(held.get())) {
                return new ExceptionKey(key, held.isPresent());
            }
        }
    }

    /**
     * A shipment was just handed over: events the carrier sent before the WMS's dispatch reached the hub
     * (kept as {@code received}) are applied now, oldest first, if they belong to this handover.
     */
    public void applyWaiting(Connection c, Shipment shipment) throws SQLException {
        for (CarrierEventLog.Waiting w : log.waiting(c, shipment.carrier(), shipment.trackingNumber())) {
            if (w.occurredAt() == null || !shipments.couldBelong(shipment.handedOverAt(), w.occurredAt())) {
                continue;
            }
            CarrierEvent event = CarrierEvent.parse(w.body().getBytes(StandardCharsets.UTF_8));
            Optional<Shipment> current = shipments.find(c, shipment.shipmentId());
            if (current.isPresent()) {
                apply(c, event, w.occurredAt(), current.get(), w.body());
            }
        }
    }

    private static Map<String, Object> evidence(CarrierEvent e, Shipment s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("carrier", s.carrier());
        m.put("trackingNumber", s.trackingNumber());
        m.put("eventId", e.eventId());
        m.put("trackerStatus", e.status());
        if (e.statusDetail() != null) {
            m.put("statusDetail", e.statusDetail());
        }
        m.put("shipmentId", s.shipmentId());
        m.put("handedOverAt", org.handoff.api.Json.time(s.handedOverAt()));
        return m;
    }

    static String subject(Order order, Shipment s) {
        String subject = order.channel() + " order " + order.externalId() + " (" + order.orderId() + "), " + s.carrier()
                + " " + s.trackingNumber();
        // a long order number and tracking number together can exceed what a hold's subject stores (V1: 400)
        return subject.length() <= 400 ? subject : subject.substring(0, 399) + "\u2026";
    }
}
