package org.handoff.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.handoff.store.Jdbc;

/**
 * SQL for {@code warehouse_stock}: one row per SKU and warehouse with the SKU's {@link LocationCounts packed}
 * location counts there, their total and when they last changed. {@code stock.on_hand} is the sum of a
 * SKU's totals over warehouses; every writer moves it by the difference in the same transaction.
 *
 * <p>Rows are written with an optimistic check ({@code where locations = <the value read>}): a writer that
 * read a row another transaction changed since finds no row to update, reads it again and redoes that SKU,
 * so two writers never lose each other's counts or move on-hand by a stale difference.
 */
public final class WarehouseStock {

    /** A stored row: the packed counts and their total. */
    public record Stored(String locations, long onHand) {}

    /** A row to write: {@code before} null for a SKU with no row in the warehouse yet. */
    public record Change(String sku, Stored before, LocationCounts.Packed after) {
        long delta() {
            return after.total() - (before == null ? 0 : before.onHand());
        }
    }

    private static final String INSERT = "insert into warehouse_stock (sku, warehouse, on_hand, locations, counted_at) "
            + "values (?, ?, ?, ?, ?)";
    private static final String UPDATE = "update warehouse_stock set on_hand = ?, locations = ?, counted_at = ? "
            + "where sku = ? and warehouse = ? and locations = ?";

    private final SkuOrder skuOrder = new SkuOrder();

    /**
     * The stored rows of these SKUs in the warehouse. {@code sorted}: the SKUs are in Java's order and dense
     * (a sorted snapshot's batch): one range read covers them. Otherwise small IN lists (H2 re-checks an IN
     * list linearly for every row it returns, so long lists cost more).
     */
    Map<String, Stored> read(Connection c, String warehouse, List<String> skus, boolean sorted) throws SQLException {
        return read(c, warehouse, skus, sorted, null);
    }

    /**
     * What a sorted snapshot's range reads saw of the warehouse besides the SKUs they were for. A snapshot whose
     * batches come in order reads each batch from the previous batch's last SKU (the first batch from the
     * warehouse's first SKU), so together the reads pass over every row of the warehouse up to the snapshot's last
     * SKU: a row with stock among them that the snapshot does not list is counted here, and when none is (and
     * nothing with stock lies after the last SKU) no SKU is missing and the end of the file reads nothing more.
     */
    static final class Coverage {
        /** The previous batch's last SKU (listed there): where the next read starts; null before the first batch. */
        String from;
        /** False once a batch was not read by range from {@link #from} (unsorted, out of order, another collation). */
        boolean whole = true;
        /** Rows with stock the reads passed over that no batch lists. */
        long unlistedWithStock;
    }

    /**
     * {@link #read(Connection, String, List, boolean)}; with {@code coverage} (a sorted batch of a snapshot whose
     * batches came in order so far) the range starts at {@code coverage.from} and unlisted rows are counted.
     */
    Map<String, Stored> read(Connection c, String warehouse, List<String> skus, boolean sorted, Coverage coverage)
            throws SQLException {
        Map<String, Stored> out = new HashMap<>(skus.size() * 2);
        List<String> rest = skus;
        boolean covering = coverage != null && coverage.whole && sorted && skuOrder.binary(c);
        if (coverage != null && !covering) {
            coverage.whole = false;
        }
        if (covering || (sorted && skus.size() > 1)) {
            Set<String> wanted = new HashSet<>(skus);
            String from = covering ? coverage.from : skus.get(0);
            String last = skus.get(skus.size() - 1);
            try (PreparedStatement ps = c.prepareStatement(from == null
                    ? "select sku, on_hand, locations from warehouse_stock where sku <= ? and warehouse = ?"
                    : "select sku, on_hand, locations from warehouse_stock where sku >= ? and sku <= ? and warehouse = ?")) {
                if (from == null) {
                    Jdbc.bind(ps, last, warehouse);
                } else {
                    Jdbc.bind(ps, from, last, warehouse);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    readInto(rs, out, wanted, covering ? coverage : null);
                }
            }
            if (covering) {
                coverage.from = last;
            }
            // a SKU the range did not return simply has no row; only a database that orders codes otherwise
            // than Java (a linguistic collation) needs the by-name look-up
            rest = skuOrder.binary(c) ? List.of() : skus.stream().filter(sku -> !out.containsKey(sku)).toList();
        }
        Jdbc.queryIn(c, "select sku, on_hand, locations from warehouse_stock where sku in (%s) and warehouse = ?",
                rest, rs -> out.put(rs.getString(1), new Stored(rs.getString(3), rs.getLong(2))), warehouse);
        return out;
    }

    /** The range's rows (the query runs in the caller: this loop is compiled without H2's query path). */
    private static void readInto(ResultSet rs, Map<String, Stored> out, Set<String> wanted, Coverage coverage)
            throws SQLException {
        String from = coverage == null ? null : coverage.from;
        while (rs.next()) {
            String sku = rs.getString(1);
            if (wanted.contains(sku)) {
                out.put(sku, new Stored(rs.getString(3), rs.getLong(2)));
            } else if (coverage != null && !sku.equals(from) && rs.getLong(2) != 0) {
                coverage.unlistedWithStock++;
            }
        }
    }

    /**
     * Writes the changes (inserts, and updates checked against the value read). Returns the SKUs whose row
     * another transaction changed or created since it was read: nothing was written for them.
     */
    List<String> write(Connection c, String warehouse, Instant countedAt, List<Change> changes) throws SQLException {
        List<Change> inserts = new ArrayList<>();
        List<Change> updates = new ArrayList<>();
        split(changes, inserts, updates);
        OffsetDateTime at = Jdbc.utc(countedAt);
        List<String> conflicts = new ArrayList<>();
        if (PgSetUpdate.applies(c, updates.size())) {
            conflicts.addAll(updateAll(c, warehouse, at, updates));
        } else if (!updates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                bindUpdates(ps, warehouse, at, updates);
                notUpdated(ps.executeBatch(), updates, conflicts);
            }
        }
        if (inserts.isEmpty()) {
            return conflicts;
        }
        if (PgCopy.available(c)) {
            PgCopy.copy(c, "warehouse_stock", "sku, warehouse, on_hand, locations, counted_at",
                    copyRows(warehouse, countedAt, inserts));
            return conflicts;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bindInserts(ps, warehouse, at, inserts);
            ps.executeBatch();
        }
        return conflicts;
    }

    // The loops below are methods of their own, and write() has none: the JIT compiles a loop's method with
    // what it calls, and a method holding both a loop and executeBatch took H2's whole update path with it,
    // recompiled whole (0.3-0.5 s of C2 each time) whenever any branch deep in H2 was first taken.

    private static void split(List<Change> changes, List<Change> inserts, List<Change> updates) {
        for (Change change : changes) {
            (change.before() == null ? inserts : updates).add(change);
        }
    }

    private static void bindUpdates(PreparedStatement ps, String warehouse, OffsetDateTime at, List<Change> updates)
            throws SQLException {
        for (Change change : updates) {
            ps.setLong(1, change.after().total());
            ps.setString(2, change.after().text());
            ps.setObject(3, at);
            ps.setString(4, change.sku());
            ps.setString(5, warehouse);
            ps.setString(6, change.before().locations());
            ps.addBatch();
        }
    }

    private static void notUpdated(int[] counts, List<Change> updates, List<String> conflicts) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                conflicts.add(updates.get(i).sku());
            }
        }
    }

    /** Typed setters and one converted time: a warehouse's first snapshot inserts a row per SKU. */
    private static void bindInserts(PreparedStatement ps, String warehouse, OffsetDateTime at, List<Change> inserts)
            throws SQLException {
        for (Change change : inserts) {
            ps.setString(1, change.sku());
            ps.setString(2, warehouse);
            ps.setLong(3, change.after().total());
            ps.setString(4, change.after().text());
            ps.setObject(5, at);
            ps.addBatch();
        }
    }

    private static List<Object[]> copyRows(String warehouse, Instant countedAt, List<Change> inserts) {
        List<Object[]> rows = new ArrayList<>(inserts.size());
        for (Change change : inserts) {
            rows.add(new Object[] {change.sku(), warehouse, change.after().total(), change.after().text(), countedAt});
        }
        return rows;
    }

    /** PostgreSQL: the updates as few statements ({@link PgSetUpdate}). Returns the SKUs not updated. */
    private static List<String> updateAll(Connection c, String warehouse, OffsetDateTime at, List<Change> updates)
            throws SQLException {
        List<Change> sorted = new ArrayList<>(updates);
        sorted.sort(java.util.Comparator.comparing(Change::sku));
        List<String> conflicts = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += PgSetUpdate.ROWS) {
            List<Change> part = sorted.subList(from, Math.min(sorted.size(), from + PgSetUpdate.ROWS));
            List<String> skus = part.stream().map(Change::sku).toList();
            PgSetUpdate.lockInOrder(c, "warehouse_stock", "sku", skus, " and warehouse = ?", warehouse);
            long[] onHand = new long[part.size()];
            List<String> locations = new ArrayList<>(part.size());
            List<String> old = new ArrayList<>(part.size());
            for (int k = 0; k < part.size(); k++) {
                Change change = part.get(k);
                onHand[k] = change.after().total();
                locations.add(change.after().text());
                old.add(change.before().locations());
            }
            try (PreparedStatement ps = c.prepareStatement("update warehouse_stock t set on_hand = v.on_hand, "
                    + "locations = v.locations, counted_at = ? from unnest(cast(? as varchar[]), cast(? as bigint[]), "
                    + "cast(? as varchar[]), cast(? as varchar[])) as v(sku, on_hand, locations, old) "
                    + "where t.sku = v.sku and t.warehouse = ? and t.locations = v.old returning t.sku")) {
                ps.setObject(1, at);
                ps.setArray(2, PgSetUpdate.texts(c, skus));
                ps.setArray(3, PgSetUpdate.numbers(c, onHand));
                ps.setArray(4, PgSetUpdate.texts(c, locations));
                ps.setArray(5, PgSetUpdate.texts(c, old));
                ps.setString(6, warehouse);
                java.util.Set<String> updated = PgSetUpdate.updatedKeys(ps);
                for (String sku : skus) {
                    if (!updated.contains(sku)) {
                        conflicts.add(sku);
                    }
                }
            }
        }
        return conflicts;
    }

    /** Gives up when the same rows keep changing under this transaction (they would not for long). */
    static void checkAttempts(int attempt, List<String> conflicts) {
        if (!conflicts.isEmpty() && attempt >= 10) {
            throw new IllegalStateException("warehouse_stock rows kept changing while being written: " + conflicts);
        }
    }
}
