package org.handoff.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.handoff.files.FileContext;
import org.handoff.mapping.Mappings;
import org.handoff.mapping.SkuResolution;
import org.handoff.files.FileKind;
import org.handoff.files.FileRejected;
import org.handoff.files.FileRow;
import org.handoff.files.RowBatch;
import org.handoff.files.RowHandler;
import org.handoff.files.RowRejected;
import org.handoff.files.RowValues;
import org.handoff.store.Jdbc;

/**
 * {@code inventory_<WAREHOUSE>_<ts>.csv}: the WMS's full count of one warehouse. The count wins: every
 * listed location gets the counted on-hand, every location of the warehouse the file does not list drops
 * to 0. Only the locations whose count differs from the stored one are written, and stock.on_hand moves
 * by the difference, so the daily snapshot with a few changes writes only those few.
 */
public final class InventorySnapshotHandler implements RowHandler<InventorySnapshotHandler.Count> {

    public static final List<String> HEADER = List.of("sku", "location", "on_hand");

    public record Count(String sku, String location, long onHand) {}

    /** Per file: the keys seen (duplicates, and which stored locations the file left out). */
    private static final class Snapshot {
        final LongHashSet seen = new LongHashSet();
        long nonZeroRows;
        /** The warehouse had no locations when the file began (its first snapshot): nothing to compare. */
        boolean firstOfWarehouse;
    }

    private static final int IN_LIST = 100;

    private final Mappings mappings;
    private final StockStore stock;
    private final AtsPushes ats;
    private final Clock clock;

    public InventorySnapshotHandler(Mappings mappings, StockStore stock, AtsPushes ats, Clock clock) {
        this.mappings = mappings;
        this.stock = stock;
        this.ats = ats;
        this.clock = clock;
    }

    public FileKind kind() {
        return new FileKind("inventory", Pattern.compile("inventory_(?<warehouse>[A-Za-z0-9-]+)_" + FileKind.TS + "\\.csv"),
                "inventory_<WAREHOUSE>_<ts>.csv", HEADER, this);
    }

    @Override
    public void begin(FileContext file, Connection c) throws SQLException {
        String warehouse = file.part("warehouse");
        Instant taken = file.fileTime();
        if (warehouse == null || taken == null) {
            throw new FileRejected("BAD_FILE_NAME", "no warehouse or time in the file name " + file.name());
        }
        Optional<Instant> last = Jdbc.queryOne(c, "select snapshot_at from inventory_watermarks where warehouse = ?",
                rs -> Jdbc.instant(rs, "snapshot_at"), warehouse);
        if (last.isPresent() && taken.isBefore(last.get())) {
            throw new FileRejected("STALE_SNAPSHOT", "snapshot of " + warehouse + " taken at " + taken
                    + " is older than the last one applied (" + last.get() + "); not applied");
        }
        if (!file.isReplay()) {
            file.state(Snapshot.class, Snapshot::new).firstOfWarehouse = Jdbc.queryOne(c,
                    "select 1 from stock_location where warehouse = ? limit 1", rs -> 1, warehouse).isEmpty();
        }
    }

    @Override
    public Count parse(FileRow row, FileContext file) {
        String code = row.get("sku");
        String location = row.get("location");
        if (code.isEmpty()) {
            throw RowRejected.badRow("row " + row.row() + ": sku is empty");
        }
        if (location.isEmpty()) {
            throw RowRejected.badRow("row " + row.row() + ": location is empty");
        }
        long onHand = RowValues.wholeNumber(row, "on_hand", 0);
        SkuResolution resolved = mappings.resolveSku(code, file.fileTime());
        if (!resolved.known()) {
            throw new RowRejected("UNKNOWN_SKU", "row " + row.row() + ": sku '" + code + "' is not known"
                    + (resolved.detail() == null ? "" : " (" + resolved.detail() + ")"));
        }
        if (!file.isReplay()) {
            Snapshot s = file.state(Snapshot.class, Snapshot::new);
            if (!s.seen.add(LongHashSet.hash(resolved.sku(), location))) {
                throw RowRejected.badRow("row " + row.row() + ": sku '" + resolved.sku() + "' at location '" + location
                        + "' is listed twice in this snapshot; the first count applies");
            }
            if (onHand != 0) {
                s.nonZeroRows++;
            }
        }
        return new Count(resolved.sku(), location, onHand);
    }

    @Override
    public void apply(RowBatch<Count> batch, Connection c) throws SQLException {
        String warehouse = batch.file().part("warehouse");
        Instant countedAt = batch.file().fileTime();
        boolean first = !batch.file().isReplay() && batch.file().state(Snapshot.class, Snapshot::new).firstOfWarehouse;
        // a key cannot repeat within a file (parse holds the second one), so a first snapshot only inserts
        Map<String, Long> stored = first ? new HashMap<>() : stored(c, warehouse, batch.rows());
        TreeMap<String, Long> deltas = new TreeMap<>();
        try (PreparedStatement insert = c.prepareStatement("insert into stock_location (warehouse, sku, location, "
                + "on_hand, counted_at) values (?, ?, ?, ?, ?)");
             PreparedStatement update = c.prepareStatement("update stock_location set on_hand = ?, counted_at = ? "
                     + "where sku = ? and warehouse = ? and location = ?")) {
            boolean inserts = false;
            boolean updates = false;
            for (RowBatch.Parsed<Count> p : batch.rows()) {
                Count count = p.value();
                String key = key(count.sku(), count.location());
                Long before = stored.get(key);
                if (before == null) {
                    Jdbc.bind(insert, warehouse, count.sku(), count.location(), count.onHand(), countedAt);
                    insert.addBatch();
                    inserts = true;
                } else if (before != count.onHand()) {
                    Jdbc.bind(update, count.onHand(), countedAt, count.sku(), warehouse, count.location());
                    update.addBatch();
                    updates = true;
                } else {
                    continue;
                }
                // a replayed row or a re-listed key in the same batch sees the value just written
                stored.put(key, count.onHand());
                long delta = count.onHand() - (before == null ? 0 : before);
                if (delta != 0) {
                    deltas.merge(count.sku(), delta, Long::sum);
                }
            }
            if (inserts) {
                insert.executeBatch();
            }
            if (updates) {
                update.executeBatch();
            }
        }
        changed(batch.file(), c, deltas, countedAt);
    }

    private void changed(FileContext file, Connection c, TreeMap<String, Long> deltas, Instant countedAt)
            throws SQLException {
        deltas.values().removeIf(d -> d == 0);
        stock.add(c, StockStore.Column.on_hand, deltas, countedAt);
        if (!deltas.isEmpty()) {
            Set<String> skus = new TreeSet<>(deltas.keySet());
            file.afterCommit(() -> ats.changed(skus));
        }
    }

    /**
     * The stored counts of this batch's SKUs in the warehouse (all their locations), by key. WMS exports
     * come sorted by SKU: then one range read covers the batch. Otherwise the SKUs are looked up in small
     * IN lists (H2 re-checks an IN list linearly for every row it returns, so long lists cost more).
     */
    private static Map<String, Long> stored(Connection c, String warehouse, List<RowBatch.Parsed<Count>> rows)
            throws SQLException {
        Set<String> skus = new LinkedHashSet<>();
        boolean sorted = true;
        String previous = null;
        for (RowBatch.Parsed<Count> p : rows) {
            String sku = p.value().sku();
            if (previous != null && sku.compareTo(previous) < 0) {
                sorted = false;
            }
            previous = sku;
            skus.add(sku);
        }
        Map<String, Long> out = new HashMap<>(rows.size() * 2);
        List<String> all = new ArrayList<>(skus);
        if (sorted) {
            Set<String> found = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("select sku, location, on_hand from stock_location "
                    + "where sku >= ? and sku <= ? and warehouse = ?")) {
                Jdbc.bind(ps, rows.get(0).value().sku(), previous, warehouse);
                read(ps, out, skus, found);
            }
            // the database's collation may order codes differently from Java (e.g. en_US vs C): a SKU the
            // range did not return is looked up by name, so the comparison never depends on the collation
            all.removeAll(found);
        }
        for (int from = 0; from < all.size(); from += IN_LIST) {
            List<String> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
            try (PreparedStatement ps = c.prepareStatement("select sku, location, on_hand from stock_location "
                    + "where sku in (" + StockStore.marks(part.size()) + ") and warehouse = ?")) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 1, part.get(i));
                }
                ps.setString(part.size() + 1, warehouse);
                read(ps, out, skus, new java.util.HashSet<>());
            }
        }
        return out;
    }

    private static void read(PreparedStatement ps, Map<String, Long> out, Set<String> skus, Set<String> found)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String sku = rs.getString(1);
                if (skus.contains(sku)) {
                    found.add(sku);
                    out.put(key(sku, rs.getString(2)), rs.getLong(3));
                }
            }
        }
    }

    private static String key(String sku, String location) {
        return sku + '\u0000' + location;
    }

    /**
     * Locations of the warehouse the snapshot did not list drop to 0. Cheap in the steady state: when the
     * warehouse has no more non-zero locations than the file listed, none can be missing and nothing is read.
     */
    @Override
    public void end(FileContext file, Connection c) throws SQLException {
        String warehouse = file.part("warehouse");
        Instant countedAt = file.fileTime();
        Snapshot s = file.state(Snapshot.class, Snapshot::new);
        long nonZero = Jdbc.queryOne(c, "select count(*) from stock_location where warehouse = ? and on_hand <> 0",
                rs -> rs.getLong(1), warehouse).orElse(0L);
        if (nonZero > s.nonZeroRows) {
            zeroMissing(file, c, warehouse, countedAt, s);
        }
        Instant now = clock.instant();
        int updated = Jdbc.update(c, "update inventory_watermarks set snapshot_at = ?, receipt_id = ?, applied_at = ? "
                + "where warehouse = ?", countedAt, file.receiptId(), now, warehouse);
        if (updated == 0) {
            Jdbc.update(c, "insert into inventory_watermarks (warehouse, snapshot_at, receipt_id, applied_at) "
                    + "values (?, ?, ?, ?)", warehouse, countedAt, file.receiptId(), now);
        }
    }

    private void zeroMissing(FileContext file, Connection c, String warehouse, Instant countedAt, Snapshot s)
            throws SQLException {
        List<Count> missing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select sku, location, on_hand from stock_location "
                + "where warehouse = ? and on_hand <> 0")) {
            ps.setFetchSize(5_000);
            ps.setString(1, warehouse);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String sku = rs.getString(1);
                    String location = rs.getString(2);
                    if (!s.seen.contains(LongHashSet.hash(sku, location))) {
                        missing.add(new Count(sku, location, rs.getLong(3)));
                        if (missing.size() >= 5_000) {
                            zero(file, c, warehouse, countedAt, missing);
                            missing.clear();
                        }
                    }
                }
            }
        }
        zero(file, c, warehouse, countedAt, missing);
    }

    private void zero(FileContext file, Connection c, String warehouse, Instant countedAt, List<Count> rows)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        TreeMap<String, Long> deltas = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("update stock_location set on_hand = 0, counted_at = ? "
                + "where sku = ? and warehouse = ? and location = ?")) {
            for (Count row : rows) {
                Jdbc.bind(ps, countedAt, row.sku(), warehouse, row.location());
                ps.addBatch();
                deltas.merge(row.sku(), -row.onHand(), Long::sum);
            }
            ps.executeBatch();
        }
        changed(file, c, deltas, countedAt);
    }
}
