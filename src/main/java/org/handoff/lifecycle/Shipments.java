package org.handoff.lifecycle;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.handoff.store.Jdbc;

/** SQL for shipments (V40). Every method runs in the caller's transaction. */
public final class Shipments {

    private static final String COLUMNS = "shipment_id, order_id, carrier, tracking_number, handed_over_at, "
            + "first_scan_at, last_status, last_event_at, delivered_at, silent_hold_id";
    /** The same, of the shipments table joined as {@code s}. */
    private static final String S_COLUMNS = "s." + COLUMNS.replace(", ", ", s.");

    /**
     * How far a carrier's clock may run ahead of the WMS's: a scan this much before the recorded handover
     * still belongs to it (the dock scan and the WMS's dispatch confirmation happen minutes apart).
     */
    private final Duration clockTolerance;

    public Shipments(Duration clockTolerance) {
        this.clockTolerance = clockTolerance;
    }

    public long insert(Connection c, String orderId, String carrier, String trackingNumber, Instant handedOverAt,
            Instant recordedAt) throws SQLException {
        return Jdbc.insertReturningId(c, "insert into shipments (order_id, carrier, carrier_key, tracking_number, "
                        + "handed_over_at, recorded_at) values (?, ?, ?, ?, ?, ?)", "shipment_id",
                orderId, carrier, CarrierEvent.carrierKey(carrier), trackingNumber, handedOverAt, recordedAt);
    }

    /**
     * The shipment a carrier event at {@code occurredAt} is about: same carrier and tracking number, the
     * newest handover at or before the event (within the clock tolerance). A tracking number the carrier
     * used for an older parcel therefore never reaches a newer order, and vice versa.
     */
    public Optional<Shipment> match(Connection c, String carrier, String trackingNumber, Instant occurredAt)
            throws SQLException {
        return Jdbc.queryOne(c, "select " + COLUMNS + " from shipments where carrier_key = ? and tracking_number = ? "
                        + "and handed_over_at <= ? order by handed_over_at desc, shipment_id desc limit 1",
                Shipments::map, CarrierEvent.carrierKey(carrier), trackingNumber, occurredAt.plus(clockTolerance));
    }

    /** Whether the event at {@code occurredAt} can belong to a shipment handed over at {@code handedOverAt}. */
    public boolean couldBelong(Instant handedOverAt, Instant occurredAt) {
        return !handedOverAt.isAfter(occurredAt.plus(clockTolerance));
    }

    public Optional<Shipment> find(Connection c, long shipmentId) throws SQLException {
        return Jdbc.queryOne(c, "select " + COLUMNS + " from shipments where shipment_id = ?", Shipments::map,
                shipmentId);
    }

    /** The order's latest shipment. */
    public Optional<Shipment> latestOf(Connection c, String orderId) throws SQLException {
        return Jdbc.queryOne(c, "select " + COLUMNS + " from shipments where order_id = ? "
                + "order by handed_over_at desc, shipment_id desc limit 1", Shipments::map, orderId);
    }

    public List<Shipment> ofOrder(Connection c, String orderId) throws SQLException {
        return Jdbc.query(c, "select " + COLUMNS + " from shipments where order_id = ? order by handed_over_at, "
                + "shipment_id", Shipments::map, orderId);
    }

    /** Records a carrier event; the first custody scan is kept as the proof of custody. */
    public void recordEvent(Connection c, long shipmentId, String status, Instant occurredAt, String eventId,
            boolean custody) throws SQLException {
        Jdbc.update(c, "update shipments set last_status = ?, last_event_at = ? where shipment_id = ? "
                + "and (last_event_at is null or last_event_at <= ?)", status, occurredAt, shipmentId, occurredAt);
        if (custody) {
            Jdbc.update(c, "update shipments set first_scan_at = ?, first_scan_event = ? where shipment_id = ? "
                    + "and first_scan_at is null", occurredAt, eventId, shipmentId);
        }
        if (TrackerStatus.isDelivered(status)) {
            Jdbc.update(c, "update shipments set delivered_at = ? where shipment_id = ? and delivered_at is null",
                    occurredAt, shipmentId);
        }
    }

    /** A shipment the silence check looks at, with its order's shipping method (the cut-off's second choice). */
    public record AwaitingScan(Shipment shipment, String shippingMethod) {}

    /**
     * One page of the shipments still awaiting their first scan: no scan, no silence hold, handed over before
     * {@code before}, and their order still HANDED_OVER (an order moved on without a scan, e.g. by the operator
     * API, is no longer waiting for one). In handover order, after {@code after} (null: from the first), so the
     * caller pages through them all: a page of parcels still inside a long cut-off never hides one past its own.
     */
    public List<AwaitingScan> awaitingScan(Connection c, Instant before, Shipment after, int limit) throws SQLException {
        String sql = "select " + S_COLUMNS + ", o.shipping_method from shipments s "
                + "join orders o on o.order_id = s.order_id "
                + "where s.first_scan_at is null and s.silent_hold_id is null and s.handed_over_at < ? "
                + "and o.state = 'HANDED_OVER' "
                + (after == null ? "" : "and (s.handed_over_at > ? or (s.handed_over_at = ? and s.shipment_id > ?)) ")
                + "order by s.handed_over_at, s.shipment_id limit " + limit;
        Object[] params = after == null ? new Object[] {before}
                : new Object[] {before, after.handedOverAt(), after.handedOverAt(), after.shipmentId()};
        return Jdbc.query(c, sql, rs -> new AwaitingScan(map(rs), rs.getString("shipping_method")), params);
    }

    /** Marks the silence hold; false when another instance got there first. */
    public boolean markSilent(Connection c, long shipmentId, long holdId) throws SQLException {
        return Jdbc.update(c, "update shipments set silent_hold_id = ? where shipment_id = ? and silent_hold_id is null",
                holdId, shipmentId) == 1;
    }

    private static Shipment map(ResultSet rs) throws SQLException {
        return new Shipment(rs.getLong("shipment_id"), rs.getString("order_id"), rs.getString("carrier"),
                rs.getString("tracking_number"), Jdbc.instant(rs, "handed_over_at"), Jdbc.instant(rs, "first_scan_at"),
                rs.getString("last_status"), Jdbc.instant(rs, "last_event_at"), Jdbc.instant(rs, "delivered_at"),
                Jdbc.nullableLong(rs, "silent_hold_id"));
    }
}
