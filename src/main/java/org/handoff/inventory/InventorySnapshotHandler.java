package org.handoff.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 *
 * <p>How a batch finds what changed without reading every stored count: each SKU's listed counts are
 * summed into a {@link LocationDigests digest} and compared with the SKU's stored digest (one small row
 * per SKU). Equal: nothing to write for that SKU. Different (or none stored): the SKU's location rows are
 * read and compared one by one. A warehouse's first snapshot, sorted by SKU as WMS exports come, only
 * inserts. Rows are parsed on a thread of their own ({@link #parseAhead}), a batch ahead of the writes.
 */
public final class InventorySnapshotHandler implements RowHandler<InventorySnapshotHandler.Count> {

    public static final List<String> HEADER = List.of("sku", "location", "on_hand");

    public record Count(String sku, String location, long onHand) {}

    /**
     * Per file. {@code firstOfWarehouse} is set in begin; the parse fields are used only by the parsing
     * thread, the apply fields only by the writing thread, and end reads the parse fields after the last row.
     */
    private static final class Snapshot {
        /** The warehouse had no counts when the file began (its first snapshot): nothing to compare with. */
        boolean firstOfWarehouse;
        // parse: the keys seen (duplicates, and which stored locations the file left out)
        final LongHashSet seen = new LongHashSet();
        long nonZeroRows;
        /** The previous row's code and what it resolved to (a sorted file lists a SKU's locations together). */
        String lastCode;
        SkuResolution lastResolution;
        // apply, first snapshot: the last SKU written and the digest of what this file wrote for it
        String lastSku;
        LocationDigests.Digest lastDigest;
        /** Location rows this file inserted as a first snapshot. */
        long inserted;

    }

    private static final int IN_LIST = 100;
    private static final String INSERT = "insert into stock_location (warehouse, sku, location, on_hand, counted_at) "
            + "values (?, ?, ?, ?, ?)";

    private final Mappings mappings;
    private final StockStore stock;
    private final AtsPushes ats;
    private final Clock clock;
    private final SkuOrder skuOrder = new SkuOrder();
    private final PlannerStatistics statistics = new PlannerStatistics("stock_location", "stock_location_digest", "stock");

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
    public boolean parseAhead() {
        return true;
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
            // every SKU with location rows in a warehouse has a digest row there
            file.state(Snapshot.class, Snapshot::new).firstOfWarehouse = Jdbc.queryOne(c,
                    "select 1 from stock_location_digest where warehouse = ? limit 1", rs -> 1, warehouse).isEmpty();
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
        Snapshot s = file.isReplay() ? null : file.state(Snapshot.class, Snapshot::new);
        SkuResolution resolved;
        if (s != null && code.equals(s.lastCode)) {
            resolved = s.lastResolution; // one file, one point in time: the same code resolves the same way
        } else {
            resolved = mappings.resolveSku(code, file.fileTime());
            if (s != null) {
                s.lastCode = code;
                s.lastResolution = resolved;
            }
        }
        if (!resolved.known()) {
            throw new RowRejected("UNKNOWN_SKU", "row " + row.row() + ": sku '" + code + "' is not known"
                    + (resolved.detail() == null ? "" : " (" + resolved.detail() + ")"));
        }
        if (s != null) {
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
        FileContext file = batch.file();
        String warehouse = file.part("warehouse");
        Instant countedAt = file.fileTime();
        Snapshot s = file.isReplay() ? null : file.state(Snapshot.class, Snapshot::new);
        Map<String, List<Count>> bySku = new LinkedHashMap<>();
        boolean sorted = true;
        String previous = null;
        for (RowBatch.Parsed<Count> p : batch.rows()) {
            Count count = p.value();
            if (previous != null && count.sku().compareTo(previous) < 0) {
                sorted = false;
            }
            previous = count.sku();
            bySku.computeIfAbsent(count.sku(), k -> new ArrayList<>(16)).add(count);
        }
        if (bySku.isEmpty()) {
            return;
        }
        List<String> skus = new ArrayList<>(bySku.keySet());
        // a first snapshot sorted by SKU: only the SKU the previous batch ended with can have rows already
        boolean first = s != null && s.firstOfWarehouse && sorted
                && (s.lastSku == null || skus.get(0).compareTo(s.lastSku) >= 0);
        if (s != null && !first) {
            s.firstOfWarehouse = false; // out of order: from here on compare with what is stored
        }
        TreeMap<String, Long> deltas = new TreeMap<>();
        Map<String, LocationDigests.Digest> stored;
        Map<String, LocationDigests.Digest> digests;
        if (first) {
            stored = new HashMap<>();
            if (skus.get(0).equals(s.lastSku)) {
                stored.put(s.lastSku, s.lastDigest);
            }
            digests = insertAll(c, warehouse, countedAt, bySku, stored, deltas);
            statistics.written(c, batch.rows().size());
            s.inserted += batch.rows().size();
            s.lastSku = skus.get(skus.size() - 1);
            s.lastDigest = digests.get(s.lastSku);
        } else {
            stored = sorted && skus.size() > 1 ? LocationDigests.readRange(c, warehouse, skus, skuOrder.binary(c))
                    : LocationDigests.read(c, warehouse, skus);
            // equal digests: the listed non-zero counts are exactly the stored ones, nothing to write for that SKU
            List<String> differ = new ArrayList<>();
            bySku.forEach((sku, counts) -> {
                if (!digest(counts).equals(stored.get(sku))) {
                    differ.add(sku);
                }
            });
            digests = differ.isEmpty() ? Map.of() : writeDifferences(c, warehouse, countedAt, bySku, differ, stored,
                    sorted && differ.size() * 2 > skus.size(), deltas);
        }
        LocationDigests.write(c, warehouse, digests, stored.keySet());
        changed(file, c, deltas, countedAt, first);
    }

    private static LocationDigests.Digest digest(List<Count> counts) {
        LocationDigests.Digest d = LocationDigests.EMPTY;
        for (Count count : counts) {
            d = d.plus(count.location(), count.onHand());
        }
        return d;
    }

    /** A first snapshot: every row is new. Returns the SKUs' digests (added to what an earlier batch wrote). */
    private static Map<String, LocationDigests.Digest> insertAll(Connection c, String warehouse, Instant countedAt,
            Map<String, List<Count>> bySku, Map<String, LocationDigests.Digest> stored, TreeMap<String, Long> deltas)
            throws SQLException {
        Map<String, LocationDigests.Digest> digests = new HashMap<>(bySku.size() * 2);
        List<Object[]> rows = new ArrayList<>();
        for (Map.Entry<String, List<Count>> group : bySku.entrySet()) {
            String sku = group.getKey();
            long sum = 0;
            for (Count count : group.getValue()) {
                rows.add(new Object[] {warehouse, sku, count.location(), count.onHand(), countedAt});
                sum += count.onHand();
            }
            if (sum != 0) {
                deltas.put(sku, sum);
            }
            LocationDigests.Digest listed = digest(group.getValue());
            LocationDigests.Digest before = stored.get(sku);
            digests.put(sku, before == null ? listed
                    : new LocationDigests.Digest(before.sum() + listed.sum(), before.locations() + listed.locations()));
        }
        if (PgCopy.available(c)) {
            PgCopy.copy(c, "stock_location", "warehouse, sku, location, on_hand, counted_at", rows);
            return digests;
        }
        // typed setters and one converted time: this loop runs once per row of a million-row file
        java.time.OffsetDateTime at = countedAt.atOffset(java.time.ZoneOffset.UTC);
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (Object[] row : rows) {
                insert.setString(1, warehouse);
                insert.setString(2, (String) row[1]);
                insert.setString(3, (String) row[2]);
                insert.setLong(4, (Long) row[3]);
                insert.setObject(5, at);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return digests;
    }

    /**
     * SKUs whose digest differs: their stored rows are read and compared one by one; only rows whose count
     * differs are written. Returns the SKUs' new digests, computed from all their rows.
     */
    private Map<String, LocationDigests.Digest> writeDifferences(Connection c, String warehouse, Instant countedAt,
            Map<String, List<Count>> bySku, List<String> differ, Map<String, LocationDigests.Digest> stored,
            boolean byRange, TreeMap<String, Long> deltas) throws SQLException {
        Map<String, LocationDigests.Digest> digests = new HashMap<>();
        Map<String, Map<String, Long>> rows = storedRows(c, warehouse, differ, byRange);
        try (PreparedStatement insert = c.prepareStatement(INSERT);
             PreparedStatement update = c.prepareStatement("update stock_location set on_hand = ?, counted_at = ? "
                     + "where sku = ? and warehouse = ? and location = ?")) {
            boolean inserts = false;
            boolean updates = false;
            for (String sku : differ) {
                Map<String, Long> at = rows.computeIfAbsent(sku, k -> new HashMap<>());
                for (Count count : bySku.get(sku)) {
                    Long old = at.get(count.location());
                    if (old == null) {
                        Jdbc.bind(insert, warehouse, sku, count.location(), count.onHand(), countedAt);
                        insert.addBatch();
                        inserts = true;
                    } else if (old != count.onHand()) {
                        Jdbc.bind(update, count.onHand(), countedAt, sku, warehouse, count.location());
                        update.addBatch();
                        updates = true;
                    } else {
                        continue;
                    }
                    // a replayed row, or a key listed twice in one batch, sees the value just written
                    at.put(count.location(), count.onHand());
                    long delta = count.onHand() - (old == null ? 0 : old);
                    if (delta != 0) {
                        deltas.merge(sku, delta, Long::sum);
                    }
                }
                LocationDigests.Digest now = LocationDigests.EMPTY;
                for (Map.Entry<String, Long> e : at.entrySet()) {
                    now = now.plus(e.getKey(), e.getValue());
                }
                if (!now.equals(stored.get(sku))) {
                    digests.put(sku, now);
                }
            }
            if (inserts) {
                insert.executeBatch();
            }
            if (updates) {
                update.executeBatch();
            }
        }
        return digests;
    }

    private void changed(FileContext file, Connection c, TreeMap<String, Long> deltas, Instant countedAt,
                         boolean mostlyNew) throws SQLException {
        deltas.values().removeIf(d -> d == 0);
        if (mostlyNew) {
            stock.addMostlyNew(c, StockStore.Column.on_hand, deltas, countedAt);
        } else {
            stock.add(c, StockStore.Column.on_hand, deltas, countedAt);
        }
        if (!deltas.isEmpty()) {
            Set<String> skus = new TreeSet<>(deltas.keySet());
            file.afterCommit(() -> ats.changed(skus));
        }
    }

    /**
     * The stored counts of these SKUs in the warehouse, by SKU and location. {@code byRange}: the SKUs are
     * sorted and dense, one range read covers them; otherwise small IN lists (H2 re-checks an IN list
     * linearly for every row it returns, so long lists cost more).
     */
    private Map<String, Map<String, Long>> storedRows(Connection c, String warehouse, List<String> skus,
                                                     boolean byRange) throws SQLException {
        Map<String, Map<String, Long>> out = new HashMap<>(skus.size() * 2);
        Set<String> wanted = new java.util.HashSet<>(skus);
        List<String> rest = skus;
        if (byRange) {
            try (PreparedStatement ps = c.prepareStatement("select sku, location, on_hand from stock_location "
                    + "where sku >= ? and sku <= ? and warehouse = ?")) {
                Jdbc.bind(ps, skus.get(0), skus.get(skus.size() - 1), warehouse);
                read(ps, out, wanted);
            }
            // a SKU the range did not return may simply have no rows; only a database that orders codes
            // otherwise than Java (a linguistic collation) needs the by-name look-up
            rest = skuOrder.binary(c) ? List.of() : skus.stream().filter(sku -> !out.containsKey(sku)).toList();
        }
        for (int from = 0; from < rest.size(); from += IN_LIST) {
            List<String> part = rest.subList(from, Math.min(rest.size(), from + IN_LIST));
            try (PreparedStatement ps = c.prepareStatement("select sku, location, on_hand from stock_location "
                    + "where sku in (" + Jdbc.marks(part.size()) + ") and warehouse = ?")) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 1, part.get(i));
                }
                ps.setString(part.size() + 1, warehouse);
                read(ps, out, wanted);
            }
        }
        return out;
    }

    private static void read(PreparedStatement ps, Map<String, Map<String, Long>> out, Set<String> wanted)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String sku = rs.getString(1);
                if (wanted.contains(sku)) {
                    out.computeIfAbsent(sku, k -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
        }
    }

    /**
     * Locations of the warehouse the snapshot did not list drop to 0. Cheap in the steady state: when the
     * warehouse has no more non-zero locations (summed from the digests) than the file listed, none can be
     * missing and no location row is read.
     */
    @Override
    public void end(FileContext file, Connection c) throws SQLException {
        String warehouse = file.part("warehouse");
        Instant countedAt = file.fileTime();
        Snapshot s = file.state(Snapshot.class, Snapshot::new);
        long nonZero = Jdbc.queryOne(c, "select coalesce(sum(locations), 0) from stock_location_digest where warehouse = ?",
                rs -> rs.getLong(1), warehouse).orElse(0L);
        if (nonZero > s.nonZeroRows) {
            zeroMissing(file, c, warehouse, countedAt, s);
        }
        if (s.inserted >= 10_000) {
            statistics.analyze(c); // the warehouse's next snapshot compares against all of it
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
        LocationDigests.refresh(c, warehouse, deltas.keySet());
        changed(file, c, deltas, countedAt, false);
    }
}
