package org.handoff.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.handoff.store.Jdbc;

/**
 * SQL for the stock table (one row per master SKU). Every change is a delta ({@code on_hand = on_hand + ?}),
 * so the WMS's counts, the hub's reservations and returns never overwrite each other. Rows are
 * updated in SKU order: concurrent transactions touching the same SKUs then cannot deadlock.
 */
public final class StockStore {

    /** The stock columns file sync moves. */
    public enum Column { on_hand, quarantined, inbound }

    public record Stock(String sku, long onHand, long reserved, long quarantined, long inbound, Instant lastCountAt) {}

    private final Jdbc jdbc;
    private final Clock clock;
    private final SkuOrder skuOrder = new SkuOrder();

    public StockStore(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    /**
     * Adds each delta to the column (creating the SKU's row when it has none; another transaction creating it first
     * makes this one a transient fault, {@link Jdbc#addedMeanwhile}, to be taken again).
     * {@code countedAt} non-null also sets {@code last_count_at} (a WMS count).
     */
    public void add(Connection c, Column column, SortedMap<String, Long> deltas, Instant countedAt) throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        if (PgSetUpdate.applies(c, deltas.size())) {
            addAll(c, column, deltas, countedAt, now);
            return;
        }
        String col = column.name();
        List<String> skus = new ArrayList<>(deltas.keySet());
        try (PreparedStatement ps = c.prepareStatement("update stock set " + col + " = " + col + " + ?, updated_at = ?"
                + (countedAt != null ? ", last_count_at = ?" : "") + " where sku = ?")) {
            bindDeltas(ps, deltas, now, countedAt);
            List<String> missing = missing(ps.executeBatch(), skus);
            if (!missing.isEmpty()) {
                insert(c, column, missing, deltas, countedAt, now);
            }
        }
    }

    // loops apart from executeBatch, as in WarehouseStock: the JIT compiles them without H2's update path

    private static void bindDeltas(PreparedStatement ps, SortedMap<String, Long> deltas, Instant now, Instant countedAt)
            throws SQLException {
        for (Map.Entry<String, Long> e : deltas.entrySet()) {
            if (countedAt != null) {
                Jdbc.bind(ps, e.getValue(), now, countedAt, e.getKey());
            } else {
                Jdbc.bind(ps, e.getValue(), now, e.getKey());
            }
            ps.addBatch();
        }
    }

    private static List<String> missing(int[] counts, List<String> skus) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                missing.add(skus.get(i));
            }
        }
        return missing;
    }

    /** PostgreSQL: {@link #add} as few statements ({@link PgSetUpdate}), the SKUs with no row inserted after. */
    private static void addAll(Connection c, Column column, SortedMap<String, Long> deltas, Instant countedAt,
                               Instant now) throws SQLException {
        String col = column.name();
        List<String> skus = new ArrayList<>(deltas.keySet());
        List<String> missing = new ArrayList<>();
        for (int from = 0; from < skus.size(); from += PgSetUpdate.ROWS) {
            List<String> part = skus.subList(from, Math.min(skus.size(), from + PgSetUpdate.ROWS));
            PgSetUpdate.lockInOrder(c, "stock", "sku", part, "");
            long[] delta = new long[part.size()];
            for (int k = 0; k < part.size(); k++) {
                delta[k] = deltas.get(part.get(k));
            }
            try (PreparedStatement ps = c.prepareStatement("update stock t set " + col + " = t." + col + " + v.delta, "
                    + "updated_at = ?" + (countedAt != null ? ", last_count_at = ?" : "") + " from unnest(cast(? as "
                    + "varchar[]), cast(? as bigint[])) as v(sku, delta) where t.sku = v.sku returning t.sku")) {
                int i = 1;
                ps.setObject(i++, Jdbc.utc(now));
                if (countedAt != null) {
                    ps.setObject(i++, Jdbc.utc(countedAt));
                }
                ps.setArray(i++, PgSetUpdate.texts(c, part));
                ps.setArray(i, PgSetUpdate.numbers(c, delta));
                java.util.Set<String> updated = PgSetUpdate.updatedKeys(ps);
                for (String sku : part) {
                    if (!updated.contains(sku)) {
                        missing.add(sku);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            insert(c, column, missing, deltas, countedAt, now);
        }
    }

    /**
     * As {@link #add}, for a batch of SKUs that mostly have no stock row yet (a warehouse's first snapshot):
     * one range read finds the rows that exist, instead of an update per SKU that finds nothing.
     */
    public void addMostlyNew(Connection c, Column column, SortedMap<String, Long> deltas, Instant countedAt)
            throws SQLException {
        if (deltas.size() < 50 || !skuOrder.binary(c)) {
            add(c, column, deltas, countedAt);
            return;
        }
        java.util.TreeMap<String, Long> existing = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select sku from stock where sku >= ? and sku <= ?")) {
            Jdbc.bind(ps, deltas.firstKey(), deltas.lastKey());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long d = deltas.get(rs.getString(1));
                    if (d != null) {
                        existing.put(rs.getString(1), d);
                    }
                }
            }
        }
        add(c, column, existing, countedAt);
        List<String> fresh = new ArrayList<>();
        for (String sku : deltas.keySet()) {
            if (!existing.containsKey(sku)) {
                fresh.add(sku);
            }
        }
        if (!fresh.isEmpty()) {
            insert(c, column, fresh, deltas, countedAt, clock.instant());
        }
    }

    private static void insert(Connection c, Column column, List<String> skus, Map<String, Long> deltas,
                               Instant countedAt, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into stock (sku, on_hand, reserved, quarantined, inbound, "
                + "last_count_at, updated_at) values (?, ?, 0, ?, ?, ?, ?)")) {
            for (String sku : skus) {
                long d = deltas.get(sku);
                Jdbc.bind(ps, sku, column == Column.on_hand ? d : 0L, column == Column.quarantined ? d : 0L,
                        column == Column.inbound ? d : 0L, countedAt, now);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            // another transaction added a SKU's first row between this one's update (no row) and this insert: taken
            // again, the update finds it and adds to it
            throw Jdbc.addedMeanwhile(e, "the stock row of " + (skus.size() == 1 ? "SKU " + skus.get(0)
                    : skus.size() + " SKUs"));
        }
    }

    public Optional<Stock> find(String sku) {
        return jdbc.queryOne("select sku, on_hand, reserved, quarantined, inbound, last_count_at from stock where sku = ?",
                rs -> new Stock(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        Jdbc.instant(rs, "last_count_at")), sku);
    }
}
