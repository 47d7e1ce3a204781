package org.handoff.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.handoff.store.Jdbc;

/** SQL for the carrier event log (V40): every signed delivery, keyed by the carrier's event id. */
public final class CarrierEventLog {

    public static final String ACCEPTED = "accepted";
    /** Signed and kept, but no shipment is known for it yet: applied when the handover arrives. */
    public static final String RECEIVED = "received";
    public static final String HELD = "held";
    public static final String IGNORED = "ignored";

    /** What was recorded for an event id. */
    public record Entry(String eventId, String fingerprint, String result, String orderId, Long holdId,
            String body) {}

    /** An event kept without a shipment, waiting for the handover it belongs to. */
    public record Waiting(String eventId, String body, Instant occurredAt) {}

    public Optional<Entry> find(Connection c, String eventId) throws SQLException {
        return Jdbc.queryOne(c, "select event_id, fingerprint, result, order_id, hold_id, body from carrier_events "
                + "where event_id = ?", rs -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), Jdbc.nullableLong(rs, "hold_id"), rs.getString(6)), eventId);
    }

    public void insert(Connection c, String source, String eventId, CarrierEvent e, String fingerprint, String body,
            Instant receivedAt) throws SQLException {
        Jdbc.update(c, "insert into carrier_events (event_id, source, topic, fingerprint, body, carrier, carrier_key, "
                        + "tracking_number, status, occurred_at, received_at, result) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'processing')",
                eventId, source, e == null ? null : e.topic(), fingerprint, body, e == null ? null : e.carrier(),
                e == null ? null : e.carrierKey(), e == null ? null : e.trackingNumber(), e == null ? null : e.status(),
                e == null ? null : e.occurredAt(), receivedAt);
    }

    /** Records the outcome (also when a replay or a later handover settles the event). */
    public void outcome(Connection c, String eventId, String result, Long shipmentId, String orderId, Long holdId,
            String detail) throws SQLException {
        Jdbc.update(c, "update carrier_events set result = ?, shipment_id = ?, order_id = ?, hold_id = ?, detail = ? "
                        + "where event_id = ?", result, shipmentId, orderId, holdId,
                detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 1990) + " [...]", eventId);
    }

    /** Replaces the stored body of a held event by the corrected one an operator released. */
    public void correct(Connection c, String eventId, CarrierEvent e, String fingerprint, String body)
            throws SQLException {
        Jdbc.update(c, "update carrier_events set topic = ?, fingerprint = ?, body = ?, carrier = ?, carrier_key = ?, "
                        + "tracking_number = ?, status = ?, occurred_at = ? where event_id = ?",
                e.topic(), fingerprint, body, e.carrier(), e.carrierKey(), e.trackingNumber(), e.status(),
                e.occurredAt(), eventId);
    }

    /** Events for this carrier and tracking number kept without a shipment, oldest first. */
    public List<Waiting> waiting(Connection c, String carrier, String trackingNumber) throws SQLException {
        return Jdbc.query(c, "select event_id, body, occurred_at from carrier_events where carrier_key = ? "
                        + "and tracking_number = ? and result = 'received' order by occurred_at, received_at",
                rs -> new Waiting(rs.getString(1), rs.getString(2), Jdbc.instant(rs, "occurred_at")),
                CarrierEvent.carrierKey(carrier), trackingNumber);
    }
}
