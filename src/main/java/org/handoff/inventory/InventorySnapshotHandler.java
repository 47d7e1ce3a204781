package org.handoff.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.handoff.files.FileContext;
import org.handoff.files.FileKind;
import org.handoff.files.FileRejected;
import org.handoff.files.FileRow;
import org.handoff.files.RowBatch;
import org.handoff.files.RowHandler;
import org.handoff.files.RowRejected;
import org.handoff.files.RowValues;
import org.handoff.mapping.Mappings;
import org.handoff.mapping.SkuResolution;
import org.handoff.order.StoredWidths;
import org.handoff.store.Jdbc;

/**
 * {@code inventory_<WAREHOUSE>_<ts>.csv}: the WMS's full count of one warehouse. The count wins: a SKU the
 * snapshot lists gets exactly the listed locations and counts (its locations the snapshot does not list
 * drop to 0), and every SKU of the warehouse the snapshot does not list at all drops to 0.
 *
 * <p>Counts are kept per SKU and warehouse ({@link WarehouseStock}, {@link LocationCounts packed}), so a batch
 * packs each listed SKU's counts, reads one row per SKU and compares the two texts: equal, nothing to
 * write; different, the row is replaced and stock.on_hand moves by the difference. The daily snapshot with
 * a few changes writes only the SKUs that changed, and a warehouse's first snapshot writes one row per SKU.
 * Rows are parsed on a thread of their own ({@link #parseAhead}), a batch ahead of the writes.
 */
public final class InventorySnapshotHandler implements RowHandler<InventorySnapshotHandler.Count> {

    public static final List<String> HEADER = List.of("sku", "location", "on_hand");

    public record Count(String sku, String location, long onHand) {}

    /**
     * Per file. The parse fields are used only by the parsing thread, the apply fields only by the writing
     * thread, and end reads the parse fields after the last row.
     */
    private static final class Snapshot {
        // parse: the sku/location keys seen (a key listed twice is held), the SKUs listed (the others of the
        // warehouse drop to 0) and those listed with a count that is not 0
        final LongHashSet seen;
        final LongHashSet skus = new LongHashSet();
        final LongHashSet nonZeroSkus = new LongHashSet();
        /** The previous row's code and what it resolved to (a sorted file lists a SKU's locations together). */
        String lastCode;
        SkuResolution lastResolution;
        String lastListedSku;
        String lastNonZeroSku;
        /**
         * SKUs with a row held in this file, by the locations held ("" when the row named none): their counts there
         * are not known, so the count they had stays (hold, do not guess) and the SKU is not dropped to 0 at the end.
         * Written by the parsing thread, read by the writing one.
         */
        final Map<String, Set<String>> held = new java.util.concurrent.ConcurrentHashMap<>();
        // apply: the SKUs earlier batches applied (their rows already hold this file's counts for them). While
        // every batch is sorted and starts at or after the previous one's last SKU, only that SKU can be one.
        final LongHashSet appliedSkus = new LongHashSet();
        boolean inOrder = true;
        String lastSku;
        /** The stored counts of lastSku before this file wrote them: a held row of it in the next batch keeps them. */
        WarehouseStock.Stored lastSkuBefore;
        /** Rows this file inserted (a warehouse's first snapshot: refresh the planner's statistics at the end). */
        long inserted;
        /** What the batches' range reads passed over: whether end must look for SKUs the file left out. */
        final WarehouseStock.Coverage coverage = new WarehouseStock.Coverage();
        /** Picks this count reflects, by SKU ({@link UncountedPicks}): given back by the batch listing the SKU. */
        Map<String, List<UncountedPicks.Pick>> picks = Map.of();

        Snapshot(long expectedRows) {
            seen = new LongHashSet(expectedRows);
        }
    }

    /**
     * About how many rows the file has: its size over the mean length of the lines in its first 64 kB (a count's
     * lines are much alike), a little under. Only sizes the sku/location set; 0 when the file cannot be read.
     */
    static long expectedRows(java.nio.file.Path path) {
        if (path == null) {
            return 0;
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(path)) {
            byte[] head = in.readNBytes(64 * 1024);
            long lines = 0;
            for (byte b : head) {
                if (b == '\n') {
                    lines++;
                }
            }
            // a little under the estimate: too small costs one more doubling, too large a table twice the size
            return lines == 0 ? 0 : java.nio.file.Files.size(path) * lines / head.length * 97 / 100;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** Widths of warehouse_stock's key (V18): a longer warehouse rejects the file, a longer SKU holds its row. */
    private static final int WAREHOUSE_WIDTH = 50;
    private static final int SKU_WIDTH = 100;

    private final Mappings mappings;
    private final StockStore stock;
    private final AtsPushes ats;
    private final Clock clock;
    private final WarehouseStock counts = new WarehouseStock();
    private final PlannerStatistics statistics = new PlannerStatistics("warehouse_stock", "stock");

    public InventorySnapshotHandler(Mappings mappings, StockStore stock, AtsPushes ats, Clock clock) {
        this.mappings = mappings;
        this.stock = stock;
        this.ats = ats;
        this.clock = clock;
    }

    public FileKind kind() {
        return new FileKind("inventory", Pattern.compile("inventory_(?<warehouse>[A-Za-z0-9-]+)_" + FileKind.TS + "\\.csv"),
                "inventory_<WAREHOUSE>_<ts>.csv", HEADER, this).asStateFile();
    }

    @Override
    public boolean parseAhead() {
        return true;
    }

    /** A million-row snapshot: the intake's fast reader (the same records, a fraction of the garbage per row). */
    @Override
    public boolean fastCsv() {
        return true;
    }

    @Override
    public void begin(FileContext file, Connection c) throws SQLException {
        String warehouse = file.part("warehouse");
        Instant taken = file.fileTime();
        if (warehouse == null || taken == null) {
            throw new FileRejected("BAD_FILE_NAME", "no warehouse or time in the file name " + file.name());
        }
        String unstorable = StoredWidths.unstorable("warehouse", warehouse, WAREHOUSE_WIDTH);
        if (unstorable != null) {
            throw new FileRejected("BAD_FILE_NAME", "the file name's " + unstorable);
        }
        Optional<Instant> last = Jdbc.queryOne(c, "select snapshot_at from inventory_watermarks where warehouse = ?",
                rs -> Jdbc.instant(rs, "snapshot_at"), warehouse);
        if (last.isPresent() && taken.isBefore(last.get())) {
            throw new FileRejected("STALE_SNAPSHOT", "snapshot of " + warehouse + " taken at " + taken
                    + " is older than the last one applied (" + last.get() + "); not applied");
        }
        if (!file.isReplay()) {
            file.state(Snapshot.class, () -> new Snapshot(expectedRows(file.path()))).picks =
                    UncountedPicks.reflectedBy(c, warehouse, taken);
        }
    }

    /**
     * The count that stands, sent again with a later time. News if picks or restocks are remembered that a count
     * taken then reflects (the shelf says the same although units moved: this count must give them back). Otherwise
     * nothing changed, and the warehouse counts as counted at that time: a late file stamped before it is stale.
     * The watermark is locked first, as a pick locks it, so a pick committing meanwhile is seen here or waits.
     */
    @Override
    public boolean restatedLater(Connection c, Map<String, String> parts, Instant statedAt, Instant standingAt)
            throws SQLException {
        String warehouse = parts.get("warehouse");
        UncountedPicks.lockWatermarks(c, Set.of(warehouse));
        if (Jdbc.queryOne(c, "select pick_id from uncounted_picks where (warehouse = ? or warehouse is null) "
                + "and picked_at <= ? fetch first 1 rows only", rs -> rs.getLong(1), warehouse, statedAt).isPresent()) {
            return true;
        }
        Jdbc.update(c, "update inventory_watermarks set snapshot_at = ? where warehouse = ? and snapshot_at < ?",
                statedAt, warehouse, statedAt);
        return false;
    }

    @Override
    public Count parse(FileRow row, FileContext file) {
        String code = row.get("sku");
        String location = row.get("location");
        if (code.isEmpty()) {
            throw RowRejected.badRow("row " + row.row() + ": sku is empty");
        }
        if (code.length() > SKU_WIDTH || code.indexOf('\0') >= 0) {
            throw RowRejected.badRow("row " + row.row() + ": " + StoredWidths.unstorable("sku", code, SKU_WIDTH));
        }
        Snapshot s = file.isReplay() ? null : file.state(Snapshot.class, () -> new Snapshot(0));
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
        if (location.isEmpty()) {
            keepWhatIsHeld(s, resolved, "");
            throw RowRejected.badRow("row " + row.row() + ": location is empty");
        }
        if (location.indexOf('\0') >= 0) {
            keepWhatIsHeld(s, resolved, ""); // which location was meant is not known: as with none named
            throw RowRejected.badRow("row " + row.row() + ": " + StoredWidths.unstorable("location", location, Integer.MAX_VALUE));
        }
        long onHand;
        try {
            onHand = RowValues.wholeNumber(row, "on_hand", 0);
        } catch (RowRejected e) {
            keepWhatIsHeld(s, resolved, location);
            throw e;
        }
        if (!resolved.known()) {
            throw new RowRejected("UNKNOWN_SKU", "row " + row.row() + ": sku '" + code + "' is not known"
                    + (resolved.detail() == null ? "" : " (" + resolved.detail() + ")"));
        }
        String sku = resolved.sku();
        if (s != null) {
            if (!s.seen.add(LongHashSet.hash(sku, location))) {
                throw RowRejected.badRow("row " + row.row() + ": sku '" + sku + "' at location '" + location
                        + "' is listed twice in this snapshot; the first count applies");
            }
            if (!sku.equals(s.lastListedSku)) {
                s.skus.add(LongHashSet.hash(sku, ""));
                s.lastListedSku = sku;
            }
            if (onHand != 0 && !sku.equals(s.lastNonZeroSku)) {
                s.nonZeroSkus.add(LongHashSet.hash(sku, ""));
                s.lastNonZeroSku = sku;
            }
        }
        return new Count(sku, location, onHand);
    }

    /**
     * A row held for a control character in a value: its SKU's count stays where the row stood (everywhere when
     * the location is the value in doubt), as for a row this handler refuses. Which SKU it names is read without
     * its control characters, only to keep what is held: nothing is applied from it.
     */
    @Override
    public void refusedBeforeParse(FileRow row, FileContext file) {
        if (file.isReplay()) {
            return;
        }
        String code = withoutControlCharacters(row.get("sku")).strip();
        if (code.isEmpty()) {
            return;
        }
        String location = row.get("location");
        boolean locationInDoubt = !withoutControlCharacters(location).equals(location);
        keepWhatIsHeld(file.state(Snapshot.class, () -> new Snapshot(0)), mappings.resolveSku(code, file.fileTime()),
                locationInDoubt ? "" : location);
    }

    private static String withoutControlCharacters(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int k = 0; k < value.length(); k++) {
            char ch = value.charAt(k);
            if (!Character.isISOControl(ch) || ch == '\t') {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** A held row of a known SKU: its count at that location (at every location when it named none) stays. */
    private static void keepWhatIsHeld(Snapshot s, SkuResolution resolved, String location) {
        if (s != null && resolved.known()) {
            s.held.computeIfAbsent(resolved.sku(), k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(location);
        }
    }

    /** A batch's rows grouped by SKU, in order of first appearance, and whether the SKUs came sorted. */
    private record Listing(Map<String, LocationCounts.Listed> bySku, boolean sorted) {
        /** This listing with {@code sku} first and no counts of its own (it sorts at or before the others). */
        Listing with(String sku) {
            Map<String, LocationCounts.Listed> m = new LinkedHashMap<>();
            m.put(sku, new LocationCounts.Listed());
            m.putAll(bySku);
            return new Listing(m, sorted);
        }
    }

    /**
     * One transaction per batch. Kept in small steps on purpose: each loop is a method the JIT compiles on its
     * own, instead of one large method recompiled whole when the daily snapshot takes branches the first did not.
     */
    @Override
    public void apply(RowBatch<Count> batch, Connection c) throws SQLException {
        FileContext file = batch.file();
        String warehouse = file.part("warehouse");
        Instant countedAt = file.fileTime();
        Snapshot s = file.isReplay() ? null : file.state(Snapshot.class, () -> new Snapshot(0));
        Listing listing = group(batch.rows());
        // the previous batch's last SKU (it may go on here) and its counts from before this file
        String carriedSku = s == null || !s.inOrder ? null : s.lastSku;
        WarehouseStock.Stored carried = s == null ? null : s.lastSkuBefore;
        if (carriedSku != null && s.held.containsKey(carriedSku) && !listing.bySku().containsKey(carriedSku)) {
            // its rows went on into this batch and were held here: it is written again with what they held kept
            listing = listing.with(carriedSku);
        }
        if (listing.bySku().isEmpty()) {
            return;
        }
        if (s != null) {
            relaxCommit(c);
        }
        List<String> skus = new ArrayList<>(listing.bySku().keySet());
        Set<String> adding = adding(s, skus, listing.sorted());
        WarehouseStock.Coverage coverage = s == null ? null : s.coverage;
        if (coverage != null && !s.inOrder) {
            coverage.whole = false;
        }
        TreeMap<String, Long> deltas = new TreeMap<>();
        long inserted = 0;
        List<String> pending = skus;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            Map<String, WarehouseStock.Stored> stored = attempt == 1
                    ? counts.read(c, warehouse, pending, listing.sorted(), coverage)
                    : counts.read(c, warehouse, pending, false);
            if (attempt == 1 && s != null) {
                String last = skus.get(skus.size() - 1);
                s.lastSkuBefore = last.equals(carriedSku) ? carried : s.inOrder ? stored.get(last) : null;
            }
            List<WarehouseStock.Change> changes = compare(pending, listing.bySku(), stored, adding,
                    s == null ? Map.of() : s.held, carriedSku, carried);
            Set<String> conflicts = new HashSet<>(counts.write(c, warehouse, countedAt, changes));
            inserted += written(changes, conflicts, deltas);
            pending = new ArrayList<>(conflicts); // changed by another transaction since read: read, compare again
            WarehouseStock.checkAttempts(attempt, pending);
        }
        if (s != null) {
            s.inserted += inserted;
        }
        if (inserted > 0) {
            statistics.written(c, inserted);
        }
        if (s != null && !s.picks.isEmpty()) {
            givenBack(c, s, skus).forEach((sku, units) -> deltas.merge(sku, units, Long::sum));
        } else if (s == null) {
            givenBackOnRelease(file, c, skus).forEach((sku, units) -> deltas.merge(sku, units, Long::sum));
        }
        changed(file, c, deltas, countedAt, inserted * 2 > skus.size());
    }

    /**
     * The picks of these SKUs that this count reflects, deleted in the batch's transaction: their units come
     * back to on-hand with the count's difference, which took them off. Kept in the file's state until then: a
     * batch that rolls back gives them back when it is redone, and a pick deleted once is not given back again.
     */
    private static TreeMap<String, Long> givenBack(Connection c, Snapshot s, List<String> skus) throws SQLException {
        Map<String, List<UncountedPicks.Pick>> mine = new java.util.HashMap<>();
        for (String sku : skus) {
            List<UncountedPicks.Pick> picks = s.picks.get(sku);
            // a SKU with a held row was not wholly counted: its picks wait for a count that is
            if (picks != null && !s.held.containsKey(sku)) {
                mine.put(sku, picks);
            }
        }
        return mine.isEmpty() ? new TreeMap<>() : UncountedPicks.giveBack(c, mine);
    }

    /**
     * A released row of a count (begin refused it if a later count was applied since): when it was the last row of its
     * SKU that the file held, the file has now counted the SKU whole, and gives back the picks (and restocks) it
     * reflects, as it would have had the row been readable. While another row of the SKU is still held, they wait for
     * it: the count at that location is still the one from before the pick.
     */
    private TreeMap<String, Long> givenBackOnRelease(FileContext file, Connection c, List<String> skus)
            throws SQLException {
        List<FileRow> stillHeld = file.rowsStillHeld(c);
        if (stillHeld == null) {
            return new TreeMap<>(); // the file is still being applied: its end decides
        }
        Set<String> counted = new HashSet<>(skus);
        for (FileRow row : stillHeld) {
            SkuResolution resolved = mappings.resolveSku(row.get("sku"), file.fileTime());
            if (resolved.known()) {
                counted.remove(resolved.sku());
            }
        }
        return UncountedPicks.countedFor(c, file.part("warehouse"), file.fileTime(), counted);
    }

    /**
     * PostgreSQL: a snapshot batch's commit does not wait for its WAL to reach the disk. Nothing is lost that
     * matters: the file stays in the inbox until its receipt is final, and a server that crashed before writing
     * the last batches out means a file taken again from the start (a snapshot applies the same counts twice
     * over without change); the end of the file and the receipt commit as every other transaction does.
     */
    private static void relaxCommit(Connection c) throws SQLException {
        if (PgCopy.available(c)) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("set local synchronous_commit = off");
            }
        }
    }

    /** Each SKU's listed counts (the first count of a location wins: parse holds the repeats). */
    private static Listing group(List<RowBatch.Parsed<Count>> rows) {
        Map<String, LocationCounts.Listed> bySku = new LinkedHashMap<>();
        boolean sorted = true;
        String previous = null;
        LocationCounts.Listed current = null;
        for (RowBatch.Parsed<Count> p : rows) {
            Count count = p.value();
            if (!count.sku().equals(previous)) {
                if (previous != null && count.sku().compareTo(previous) < 0) {
                    sorted = false;
                }
                previous = count.sku();
                current = bySku.computeIfAbsent(count.sku(), k -> new LocationCounts.Listed());
            }
            current.add(count.location(), count.onHand());
        }
        return new Listing(bySku, sorted);
    }

    /**
     * The SKUs of this batch that the file already applied in an earlier batch: what they list here adds to
     * what was written. A released row adds to its SKU's counts too: it is not a whole snapshot.
     */
    private static Set<String> adding(Snapshot s, List<String> skus, boolean sorted) {
        Set<String> adding = new HashSet<>();
        if (s == null) {
            adding.addAll(skus);
            return adding;
        }
        if (s.inOrder && (!sorted || (s.lastSku != null && skus.get(0).compareTo(s.lastSku) < 0))) {
            s.inOrder = false;
        }
        for (String sku : skus) {
            long key = LongHashSet.hash(sku, "");
            if (s.inOrder ? sku.equals(s.lastSku) : s.appliedSkus.contains(key)) {
                adding.add(sku);
            }
            s.appliedSkus.add(key);
        }
        s.lastSku = skus.get(skus.size() - 1);
        return adding;
    }

    /** The SKUs whose packed counts differ from the stored ones (or have none stored), with their new counts. */
    private static List<WarehouseStock.Change> compare(List<String> skus, Map<String, LocationCounts.Listed> bySku,
            Map<String, WarehouseStock.Stored> stored, Set<String> adding, Map<String, Set<String>> heldBySku,
            String carriedSku, WarehouseStock.Stored carried) {
        List<WarehouseStock.Change> changes = new ArrayList<>();
        for (String sku : skus) {
            WarehouseStock.Stored before = stored.get(sku);
            LocationCounts.Listed listed = bySku.get(sku);
            Set<String> held = heldBySku.get(sku);
            if (held != null) {
                // what this file does not know for the SKU keeps the count it had before the file (for a SKU an
                // earlier batch wrote, known only when it goes on from the batch just before, in a sorted file)
                WarehouseStock.Stored original = !adding.contains(sku) ? before : sku.equals(carriedSku) ? carried : null;
                LocationCounts.Packed after = keepingHeld(before, listed, adding.contains(sku), original, held);
                if (before == null || !after.text().equals(before.locations())) {
                    changes.add(new WarehouseStock.Change(sku, before, after));
                }
            } else if (before != null && adding.contains(sku)) {
                LocationCounts.Packed after = merged(before, listed);
                if (!after.text().equals(before.locations())) {
                    changes.add(new WarehouseStock.Change(sku, before, after));
                }
            } else if (before == null || !listed.packsTo(before.locations())) {
                changes.add(new WarehouseStock.Change(sku, before, listed.pack()));
            }
        }
        return changes;
    }

    /**
     * A SKU with held rows: the listed counts (added to what earlier batches wrote when it goes on from them), and
     * at its held locations (all of its locations for a row that named none) the count from before the file.
     */
    private static LocationCounts.Packed keepingHeld(WarehouseStock.Stored before, LocationCounts.Listed listed,
            boolean adding, WarehouseStock.Stored original, Set<String> held) {
        TreeMap<String, Long> counts = adding && before != null ? LocationCounts.unpack(before.locations())
                : new TreeMap<>();
        TreeMap<String, Long> listedCounts = listed.toMap();
        counts.putAll(listedCounts);
        if (original != null) {
            LocationCounts.unpack(original.locations()).forEach((location, count) -> {
                if (!listedCounts.containsKey(location) && (held.contains("") || held.contains(location))) {
                    counts.put(location, count);
                }
            });
        }
        return LocationCounts.pack(counts);
    }

    private static LocationCounts.Packed merged(WarehouseStock.Stored before, LocationCounts.Listed listed) {
        TreeMap<String, Long> all = LocationCounts.unpack(before.locations());
        all.putAll(listed.toMap());
        return LocationCounts.pack(all);
    }

    /** Adds the written changes' differences to {@code deltas}; returns how many were new rows. */
    private static long written(List<WarehouseStock.Change> changes, Set<String> conflicts, TreeMap<String, Long> deltas) {
        long inserted = 0;
        for (WarehouseStock.Change change : changes) {
            if (conflicts.contains(change.sku())) {
                continue;
            }
            if (change.before() == null) {
                inserted++;
            }
            if (change.delta() != 0) {
                deltas.merge(change.sku(), change.delta(), Long::sum);
            }
        }
        return inserted;
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
     * SKUs of the warehouse the snapshot did not list drop to 0. Cheap in the steady state: a sorted snapshot's
     * batch reads passed over every row up to its last SKU ({@link WarehouseStock.Coverage}), so only what lies
     * after that SKU is asked for; otherwise, when the warehouse has no more SKUs with stock than the file listed
     * with a count, none can be missing. Only when some may be is the warehouse read for them.
     */
    @Override
    public void end(FileContext file, Connection c) throws SQLException {
        String warehouse = file.part("warehouse");
        Instant countedAt = file.fileTime();
        Snapshot s = file.state(Snapshot.class, () -> new Snapshot(0));
        // the watermark first: a pick locks it before its stock rows too (UncountedPicks), and waits for this
        // count, or this count sees its pick
        Instant now = clock.instant();
        int updated = Jdbc.update(c, "update inventory_watermarks set snapshot_at = ?, receipt_id = ?, applied_at = ? "
                + "where warehouse = ?", countedAt, file.receiptId(), now, warehouse);
        if (updated == 0) {
            Jdbc.update(c, "insert into inventory_watermarks (warehouse, snapshot_at, receipt_id, applied_at) "
                    + "values (?, ?, ?, ?)", warehouse, countedAt, file.receiptId(), now);
        }
        if (mayMissSkus(c, warehouse, s)) {
            zeroMissing(file, c, warehouse, countedAt, s);
        }
        // the units picked before the count: its difference took them off on-hand, which the pick had done already
        changed(file, c, UncountedPicks.countedBy(c, warehouse, countedAt, s.held.keySet()), countedAt, false);
        if (s.inserted >= 10_000) {
            statistics.analyze(c); // the warehouse's next snapshot compares against all of it
        }
    }

    private static boolean mayMissSkus(Connection c, String warehouse, Snapshot s) throws SQLException {
        WarehouseStock.Coverage coverage = s.coverage;
        if (coverage.whole && coverage.from != null) {
            return coverage.unlistedWithStock > 0 || Jdbc.queryOne(c, "select count(*) from warehouse_stock "
                    + "where sku > ? and warehouse = ? and on_hand <> 0", rs -> rs.getLong(1), coverage.from, warehouse)
                    .orElse(0L) > 0;
        }
        long withStock = Jdbc.queryOne(c, "select count(*) from warehouse_stock where warehouse = ? and on_hand <> 0",
                rs -> rs.getLong(1), warehouse).orElse(0L);
        return withStock > s.nonZeroSkus.size();
    }

    private void zeroMissing(FileContext file, Connection c, String warehouse, Instant countedAt, Snapshot s)
            throws SQLException {
        List<WarehouseStock.Change> missing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select sku, on_hand, locations from warehouse_stock "
                + "where warehouse = ? and on_hand <> 0")) {
            ps.setFetchSize(5_000);
            ps.setString(1, warehouse);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String sku = rs.getString(1);
                    if (!s.skus.contains(LongHashSet.hash(sku, "")) && !s.held.containsKey(sku)) {
                        missing.add(new WarehouseStock.Change(sku, new WarehouseStock.Stored(rs.getString(3), rs.getLong(2)),
                                LocationCounts.EMPTY));
                    }
                }
            }
        }
        for (int from = 0; from < missing.size(); from += 5_000) {
            zero(file, c, warehouse, countedAt, missing.subList(from, Math.min(missing.size(), from + 5_000)));
        }
    }

    private void zero(FileContext file, Connection c, String warehouse, Instant countedAt,
                      List<WarehouseStock.Change> rows) throws SQLException {
        TreeMap<String, Long> deltas = new TreeMap<>();
        List<WarehouseStock.Change> pending = rows;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<String> conflicts = counts.write(c, warehouse, countedAt, pending);
            List<String> retry = new ArrayList<>();
            for (WarehouseStock.Change change : pending) {
                if (conflicts.contains(change.sku())) {
                    retry.add(change.sku());
                } else {
                    deltas.merge(change.sku(), change.delta(), Long::sum);
                }
            }
            // a row changed since it was read (another instance applying a count of this warehouse): zero what it holds now
            pending = counts.read(c, warehouse, retry, false).entrySet().stream()
                    .map(e -> new WarehouseStock.Change(e.getKey(), e.getValue(), LocationCounts.EMPTY)).toList();
            WarehouseStock.checkAttempts(attempt, retry);
        }
        changed(file, c, deltas, countedAt, false);
    }
}
