package org.handoff.order;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.handoff.store.Jdbc;

/**
 * Stock reservations for accepted orders, against physical stock only ({@code on_hand - reserved};
 * safety stock lowers what channels are told, never what an arriving order may take). Rows are always
 * touched in sorted SKU order so concurrent transactions cannot deadlock on them.
 */
public final class Reservations {

    public static final String INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK";

    private Reservations() {}

    /** The quantity per master SKU of these lines, sorted by SKU. */
    public static TreeMap<String, Integer> quantities(Collection<OrderLine> lines) {
        TreeMap<String, Integer> out = new TreeMap<>();
        for (OrderLine line : lines) {
            if (line.sku() != null) {
                out.merge(line.sku(), line.quantity(), Integer::sum);
            }
        }
        return out;
    }

    /**
     * Reserves all or nothing. Returns the SKUs that could not be filled (empty: reserved). Each update
     * is conditional, so two transactions racing for the last unit cannot both win.
     */
    public static List<String> reserve(Connection c, TreeMap<String, Integer> quantities, Instant now)
            throws SQLException {
        List<String> done = new ArrayList<>();
        List<String> short_ = new ArrayList<>();
        for (Map.Entry<String, Integer> e : quantities.entrySet()) {
            int updated = Jdbc.update(c, "update stock set reserved = reserved + ?, updated_at = ? "
                    + "where sku = ? and on_hand - reserved >= ?", e.getValue(), now, e.getKey(), e.getValue());
            if (updated == 1) {
                done.add(e.getKey());
            } else {
                short_.add(e.getKey());
            }
        }
        if (!short_.isEmpty()) {
            for (String sku : done) {
                Jdbc.update(c, "update stock set reserved = reserved - ? where sku = ?", quantities.get(sku), sku);
            }
        }
        return short_;
    }

    /** The units left the shelf (PICKED): on-hand and reserved both go down, so available-to-sell does not move. */
    public static void consume(Connection c, TreeMap<String, Integer> quantities, Instant now) throws SQLException {
        for (Map.Entry<String, Integer> e : quantities.entrySet()) {
            Jdbc.update(c, "update stock set on_hand = case when on_hand >= ? then on_hand - ? else 0 end, "
                    + "reserved = case when reserved >= ? then reserved - ? else 0 end, updated_at = ? where sku = ?",
                    e.getValue(), e.getValue(), e.getValue(), e.getValue(), now, e.getKey());
        }
    }

    /** Gives the quantities back (cancellation). */
    public static void release(Connection c, TreeMap<String, Integer> quantities, Instant now) throws SQLException {
        for (Map.Entry<String, Integer> e : quantities.entrySet()) {
            Jdbc.update(c, "update stock set reserved = case when reserved >= ? then reserved - ? else 0 end, "
                    + "updated_at = ? where sku = ?", e.getValue(), e.getValue(), now, e.getKey());
        }
    }

    /**
     * Takes the row locks of these SKUs in sorted order before a transaction touches them in another
     * order (the webhook writer reserves for many orders in one transaction).
     */
    public static void lockSorted(Connection c, Collection<String> skus) throws SQLException {
        TreeSet<String> sorted = new TreeSet<>(skus);
        if (sorted.isEmpty()) {
            return;
        }
        List<String> list = new ArrayList<>(sorted);
        for (int from = 0; from < list.size(); from += 500) {
            List<String> chunk = list.subList(from, Math.min(list.size(), from + 500));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            Jdbc.query(c, "select sku from stock where sku in (" + marks + ") order by sku for update",
                    rs -> null, chunk.toArray());
        }
    }
}
