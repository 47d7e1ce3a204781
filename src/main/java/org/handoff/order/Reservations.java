package org.handoff.order;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.handoff.store.Jdbc;

/**
 * The stock rows one transaction reserves against, physical stock only ({@code on_hand - reserved};
 * safety stock lowers what channels are told, never what an arriving order may take).
 *
 * <p>{@link #lock} reads the rows {@code for update}, in sorted SKU order, so two transactions cannot
 * deadlock on them and no other writer can move them until commit. Reservations, releases and picks are
 * then decided in memory against those locked figures — all or nothing per order, so two orders racing
 * for the last unit cannot both win — and {@link #flush} writes each touched row once. A transaction that
 * accepts 64 orders over 4 hot SKUs thus writes 4 stock rows, not 64 × 4.
 */
public final class Reservations {

    public static final String INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK";

    /** One locked row: the figures read, and what this transaction has moved since. */
    private static final class Row {
        final long onHand;
        final long reserved;
        long onHandDelta;
        long reservedDelta;

        Row(long onHand, long reserved) {
            this.onHand = onHand;
            this.reserved = reserved;
        }

        long onHandNow() {
            return onHand + onHandDelta;
        }

        long reservedNow() {
            return reserved + reservedDelta;
        }
    }

    /** Locked rows by SKU; a SKU read and found without a stock row maps to null. */
    private final TreeMap<String, Row> rows = new TreeMap<>();

    private Reservations() {}

    /** The quantity per master SKU of these lines, sorted by SKU. */
    public static TreeMap<String, Integer> quantities(Collection<OrderLine> lines) {
        TreeMap<String, Integer> out = new TreeMap<>();
        for (OrderLine line : lines) {
            if (line.sku() != null) {
                // saturating: lines of one SKU that add up past int are more than any stock, not a negative quantity
                out.merge(line.sku(), line.quantity(), (a, b) -> (int) Math.min((long) a + b, Integer.MAX_VALUE));
            }
        }
        return out;
    }

    /** Locks and reads the stock rows of these SKUs, in sorted order, for the rest of the transaction. */
    public static Reservations lock(Connection c, Collection<String> skus) throws SQLException {
        Reservations r = new Reservations();
        r.ensure(c, skus);
        return r;
    }

    /**
     * Locks rows not locked yet (an order's stored lines may name SKUs the batch did not foresee). Those come
     * after the sorted first lock; such late locks are rare and a deadlock only fails the batch, which its
     * caller then redoes order by order.
     */
    public void ensure(Connection c, Collection<String> skus) throws SQLException {
        TreeSet<String> missing = new TreeSet<>();
        for (String sku : skus) {
            if (sku != null && !rows.containsKey(sku)) {
                missing.add(sku);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        // sorted chunks in sorted order: every writer locks stock rows in the same order
        Jdbc.queryIn(c, "select sku, on_hand, reserved from stock where sku in (%s) order by sku for update",
                missing, rs -> rows.put(rs.getString(1), new Row(rs.getLong(2), rs.getLong(3))));
        for (String sku : missing) {
            rows.putIfAbsent(sku, null);
        }
    }

    /** Reserves all or nothing. Returns the SKUs that could not be filled (empty: reserved). */
    public List<String> reserve(Connection c, TreeMap<String, Integer> quantities) throws SQLException {
        ensure(c, quantities.keySet());
        List<String> shortSkus = new ArrayList<>();
        for (Map.Entry<String, Integer> e : quantities.entrySet()) {
            Row row = rows.get(e.getKey());
            if (row == null || row.onHandNow() - row.reservedNow() < e.getValue()) {
                shortSkus.add(e.getKey());
            }
        }
        if (shortSkus.isEmpty()) {
            for (Map.Entry<String, Integer> e : quantities.entrySet()) {
                rows.get(e.getKey()).reservedDelta += e.getValue();
            }
        }
        return shortSkus;
    }

    /** Gives the quantities back (cancellation); never below zero. */
    public void release(Connection c, TreeMap<String, Integer> quantities) throws SQLException {
        ensure(c, quantities.keySet());
        for (Map.Entry<String, Integer> e : quantities.entrySet()) {
            Row row = rows.get(e.getKey());
            if (row != null) {
                row.reservedDelta -= Math.min(e.getValue(), row.reservedNow());
            }
        }
    }

    /**
     * The units left the shelf (PICKED): reserved goes down, and on-hand with it, so available-to-sell does not
     * move, except for the SKUs in {@code alreadyCounted}: a count taken after the pick no longer lists them.
     * Returns how much on-hand dropped per SKU.
     */
    public Map<String, Long> consume(Connection c, TreeMap<String, Integer> quantities, java.util.Set<String> alreadyCounted)
            throws SQLException {
        ensure(c, quantities.keySet());
        Map<String, Long> dropped = new TreeMap<>();
        for (Map.Entry<String, Integer> e : quantities.entrySet()) {
            Row row = rows.get(e.getKey());
            if (row != null) {
                if (!alreadyCounted.contains(e.getKey())) {
                    long drop = Math.min(e.getValue(), row.onHandNow());
                    row.onHandDelta -= drop;
                    dropped.put(e.getKey(), drop);
                }
                row.reservedDelta -= Math.min(e.getValue(), row.reservedNow());
            }
        }
        return dropped;
    }

    /** Physical units still free for an order ({@code on_hand - reserved}), or empty when the SKU has no stock row. */
    public Optional<Long> available(String sku) {
        Row row = rows.get(sku);
        return row == null ? Optional.empty() : Optional.of(row.onHandNow() - row.reservedNow());
    }

    /** Writes every row this transaction moved, once, and starts counting afresh. */
    public void flush(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update stock set on_hand = on_hand + ?, "
                + "reserved = reserved + ?, updated_at = ? where sku = ?")) {
            boolean any = false;
            for (Map.Entry<String, Row> e : rows.entrySet()) {
                Row row = e.getValue();
                if (row != null && (row.onHandDelta != 0 || row.reservedDelta != 0)) {
                    Jdbc.bind(ps, row.onHandDelta, row.reservedDelta, now, e.getKey());
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
        rows.replaceAll((sku, row) -> row == null ? null : new Row(row.onHandNow(), row.reservedNow()));
    }
}
