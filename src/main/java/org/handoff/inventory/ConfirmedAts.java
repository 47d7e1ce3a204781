package org.handoff.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.handoff.api.Json;
import org.handoff.inventory.AtsPushes.AtsValue;
import org.handoff.store.Jdbc;

/**
 * What each channel last confirmed receiving, per SKU (table {@code ats_confirmed}, packed in blocks of SKUs:
 * {@link AtsBlocks}; and {@code ats_pushed_journal} over it): what a round compares the
 * current values with, so that only changed values go out (DESIGN §7).
 *
 * <p>Kept in memory as a write-through cache. A round looks its SKUs up here and reads the database only for
 * SKUs not cached yet; what channels confirm is written to the tables and cached once committed. The
 * database stays the truth: a hub starts with an empty cache, and every recording transaction first bumps the
 * one row of {@code ats_pushed_generation} (so recorders take turns on its lock). A hub trusts its cache only
 * while that counter is where its own last recording left it; when another hub sharing the database (DESIGN
 * §9) recorded since, the cache is dropped and the values are read again.
 *
 * <p>A recording that fails leaves the values it carried unknown here: the channel may have them although
 * the tables do not say so, so the next round pushes those SKUs whatever the database says.
 */
final class ConfirmedAts {

    /** The channel never confirmed a value for the SKU (no row). */
    static final long NONE = -1;
    /**
     * Pushed, but whether it was recorded (or, stored for a batch held after its retries, whether the channel took
     * it) is not known: never equal to a value, so it is pushed again.
     */
    static final long UNKNOWN = Long.MIN_VALUE;

    private final Map<String, SkuValues> cache = new HashMap<>();
    /** Per channel, SKUs pushed whose recording failed: {@link #UNKNOWN} whatever cache or table say (never evicted). */
    private final Map<String, Set<String>> unknown = new HashMap<>();
    private final int maxEntries;
    private int entries;
    /**
     * The cache holds every value of ats_confirmed and the journal (loaded whole when it started, every recording
     * since cached): a SKU it does not have was never confirmed, and nothing is read for it. A warehouse's first
     * snapshot then costs its round no look-ups of values that are not there (200,000 in W2).
     */
    private boolean complete;
    /**
     * Whether loading the tables whole was tried. Once per process: after that the cache is cleared only when
     * another hub recorded or it overflowed, and reloading whole tables every round on that account would cost
     * more than reading the SKUs a round asks for.
     */
    private boolean loadTried;
    /** How often the cache was cleared: a load that overflowed it is not complete. */
    private long clears;
    /** The counter value the cache matches; -1 until the first look-up or recording. */
    private long generation = -1;

    /** The journal is folded into ats_confirmed once it holds this many values. */
    private final int compactAt;
    /** Values this hub appended to the journal since it last folded it (unknown at start: fold at the first). */
    private long journalValues;

    /** @param maxEntries (channel, SKU) values kept in memory at most; past it the cache starts again empty */
    ConfirmedAts(int maxEntries) {
        this(maxEntries, 50_000);
    }

    /** @param compactAt the journal is folded into ats_confirmed once it holds this many values */
    ConfirmedAts(int maxEntries, int compactAt) {
        this.maxEntries = maxEntries;
        this.compactAt = compactAt;
        this.journalValues = compactAt;
    }

    /**
     * The last confirmed value of each SKU (sorted) for each channel, {@link #NONE} where there is none, read in
     * the caller's transaction where the cache does not have it.
     */
    synchronized Map<String, Map<String, Long>> lookUp(Connection c, List<String> channels, List<String> sortedSkus)
            throws SQLException {
        long now = generation(c);
        if (now != generation) {
            clear();
            generation = now;
        }
        Map<String, Map<String, Long>> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String channel : channels) {
            out.put(channel, new HashMap<>());
        }
        if (!loadTried) {
            loadWhole(c);
        }
        for (String sku : sortedSkus) {
            boolean all = true;
            for (String channel : channels) {
                Long v = cached(channel, sku);
                if (v == null) {
                    all = false;
                } else {
                    out.get(channel).put(sku, v);
                }
            }
            if (!all) {
                missing.add(sku);
            }
        }
        if (!missing.isEmpty()) {
            Map<String, Map<String, Long>> read = read(c, missing);
            for (String channel : channels) {
                Map<String, Long> stored = read.getOrDefault(channel, Map.of());
                Map<String, Long> values = out.get(channel);
                for (String sku : missing) {
                    if (!values.containsKey(sku)) {
                        long v = stored.getOrDefault(sku, NONE);
                        values.put(sku, v);
                        put(channel, sku, v);
                    }
                }
            }
        }
        unknown.forEach((channel, skus) -> {
            Map<String, Long> values = out.get(channel);
            if (values != null) {
                skus.forEach(sku -> values.computeIfPresent(sku, (k, v) -> UNKNOWN));
            }
        });
        return out;
    }

    /**
     * Records what the channels confirmed (values per channel) in one transaction, then caches it. A round whose
     * values all replace known ones (orders moving stock, a daily snapshot's changes) is appended to
     * {@code ats_pushed_journal} as one row, whatever its size; the journal is folded into the blocks of
     * {@code ats_confirmed} once it holds {@code compactAt} values. A round with values a channel never had (a
     * first snapshot, a new SKU) folds the journal and writes its values to the blocks directly.
     *
     * <p>Why big rounds are journaled too: a 2%-changed snapshot's values fall in nearly every block, and a
     * snapshot's changes arrive in ~10 rounds; written directly, every round would rewrite every block. A
     * fold rewrites each block it touches once, for everything journaled since the last one.
     */
    synchronized void record(Jdbc jdbc, Map<String, List<AtsValue>> confirmed, Instant now) {
        int values = confirmed.values().stream().mapToInt(List::size).sum();
        if (values == 0) {
            return;
        }
        // a value a channel never had is an insert that no later value can fold away (a first snapshot):
        // such rounds go to the blocks directly, so the journal only ever holds values that replace others
        boolean toJournal = confirmed.entrySet().stream().allMatch(e -> e.getValue().stream()
                .allMatch(v -> {
                    Long before = cached(e.getKey(), v.sku());
                    return before != null && before != NONE;
                }));
        boolean[] current = new boolean[1];
        long recorded;
        try {
            recorded = jdbc.inTransaction(c -> {
                long next = bump(c);
                current[0] = generation >= 0 && next == generation + 1;
                if (toJournal) {
                    appendToJournal(c, confirmed, now);
                    if (journalValues + values >= compactAt) {
                        compact(c);
                    }
                } else {
                    compact(c);
                    for (Map.Entry<String, List<AtsValue>> e : confirmed.entrySet()) {
                        Map<String, Long> latest = new HashMap<>();
                        e.getValue().forEach(v -> latest.put(v.sku(), v.available())); // the last value wins
                        write(c, e.getKey(), latest, now);
                    }
                }
                return next;
            });
        } catch (RuntimeException e) {
            // the channels may have these values: make sure the next round sends them again
            confirmed.forEach((channel, list) -> list.forEach(v ->
                    unknown.computeIfAbsent(channel, k -> new HashSet<>()).add(v.sku())));
            throw e;
        }
        journalValues = toJournal && journalValues + values < compactAt ? journalValues + values : 0;
        if (!current[0]) {
            clear();
        }
        confirmed.forEach((channel, list) -> {
            Set<String> notKnown = unknown.get(channel);
            for (AtsValue v : list) {
                put(channel, v.sku(), v.available());
                if (notKnown != null) {
                    notKnown.remove(v.sku());
                }
            }
        });
        unknown.values().removeIf(Set::isEmpty);
        generation = recorded;
    }

    /** Folds the journal into ats_confirmed now (whatever its size). */
    synchronized void compact(Jdbc jdbc) {
        long next = jdbc.inTransaction(c -> {
            long n = bump(c);
            compact(c);
            return n;
        });
        journalValues = 0;
        if (next != generation + 1) {
            clear();
        }
        generation = next;
    }

    /** Values (channel, SKU) in memory now. */
    synchronized int size() {
        return entries;
    }

    // ---- the cache --------------------------------------------------------------------------------

    private Long cached(String channel, String sku) {
        SkuValues values = cache.get(channel);
        long v = values == null ? SkuValues.ABSENT : values.get(sku);
        return v != SkuValues.ABSENT ? Long.valueOf(v) : complete ? Long.valueOf(NONE) : null;
    }

    /**
     * Starts the cache with the whole of ats_confirmed and the journal over it, when they hold at most half of what
     * the cache may (room for the values still to come); otherwise SKUs are read as they are asked for.
     */
    private void loadWhole(Connection c) throws SQLException {
        loadTried = true;
        long clearsBefore = clears;
        long rows = Jdbc.queryOne(c, "select coalesce(sum(entries), 0) from ats_confirmed", rs -> rs.getLong(1))
                .orElse(0L);
        if (rows > maxEntries / 2) {
            return;
        }
        // what the cache holds is as new as the tables at this generation (it was just recorded): kept
        Map<String, Map<String, Long>> stored = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select channel, block, confirmed from ats_confirmed")) {
            ps.setFetchSize(256);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .putAll(unpack(rs.getString(1), rs.getInt(2), rs.getString(3)));
                }
            }
        }
        journal(c).forEach((channel, values) -> stored.computeIfAbsent(channel, k -> new HashMap<>()).putAll(values));
        stored.forEach((channel, values) -> values.forEach((sku, v) -> {
            SkuValues cached = cache.get(channel);
            if (cached == null || cached.get(sku) == SkuValues.ABSENT) {
                put(channel, sku, v);
            }
        }));
        // a value that did not fit cleared the cache: then SKUs are read as asked for
        complete = clears == clearsBefore;
    }

    private void put(String channel, String sku, long value) {
        if (entries >= maxEntries) {
            clear();
        }
        if (cache.computeIfAbsent(channel, k -> new SkuValues()).put(sku, value)) {
            entries++;
        }
    }

    private void clear() {
        cache.clear();
        entries = 0;
        complete = false;
        clears++;
    }

    // ---- the tables -------------------------------------------------------------------------------

    private static long generation(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "select generation from ats_pushed_generation where id = 1", rs -> rs.getLong(1))
                .orElseThrow(() -> new SQLException("ats_pushed_generation has no row 1"));
    }

    /** Takes the counter's row lock for the rest of the transaction (recorders take turns) and returns its new value. */
    private static long bump(Connection c) throws SQLException {
        Jdbc.update(c, "update ats_pushed_generation set generation = generation + 1 where id = 1");
        return generation(c);
    }

    /**
     * Merges values into the channel's blocks of {@code ats_confirmed}: each block they fall in is read, changed
     * and written back once (inserted when the channel has no row for it yet). Runs after {@link #bump}, so no
     * other recorder changes the blocks between the read and the write.
     */
    private static void write(Connection c, String channel, Map<String, Long> values, Instant now) throws SQLException {
        Map<Integer, TreeMap<String, Long>> byBlock = new TreeMap<>();
        values.forEach((sku, v) -> byBlock.computeIfAbsent(AtsBlocks.block(sku), b -> new TreeMap<>()).put(sku, v));
        Map<Integer, String> stored = new HashMap<>();
        forBlocks(c, byBlock.keySet(), channel, (ch, block, text) -> stored.put(block, text));
        try (PreparedStatement update = c.prepareStatement("update ats_confirmed set confirmed = ?, entries = ?, "
                + "recorded_at = ? where channel = ? and block = ?");
             PreparedStatement insert = c.prepareStatement("insert into ats_confirmed (channel, block, confirmed, "
                     + "entries, recorded_at) values (?, ?, ?, ?, ?)")) {
            boolean updates = false;
            boolean inserts = false;
            for (Map.Entry<Integer, TreeMap<String, Long>> e : byBlock.entrySet()) {
                String before = stored.get(e.getKey());
                TreeMap<String, Long> merged = before == null ? e.getValue() : unpack(channel, e.getKey(), before);
                if (before != null) {
                    merged.putAll(e.getValue());
                }
                String text = AtsBlocks.pack(merged);
                if (before == null) {
                    Jdbc.bind(insert, channel, e.getKey(), text, merged.size(), now);
                    insert.addBatch();
                    inserts = true;
                } else if (!text.equals(before)) {
                    Jdbc.bind(update, text, merged.size(), now, channel, e.getKey());
                    update.addBatch();
                    updates = true;
                }
            }
            if (inserts) {
                insert.executeBatch();
            }
            if (updates) {
                update.executeBatch();
            }
        }
    }

    /** One stored block: its channel, number and text. */
    @FunctionalInterface
    private interface BlockRow {
        void accept(String channel, int block, String text) throws SQLException;
    }

    /**
     * The stored blocks with these numbers, of one channel or (null) of all. Many blocks (a snapshot's changes
     * fall in nearly all of them) are read as the whole table or channel; a few by number, written into the
     * statement (they are ints this class computed: nothing to inject).
     */
    private static void forBlocks(Connection c, Set<Integer> blocks, String channel, BlockRow row) throws SQLException {
        if (blocks.isEmpty()) {
            return;
        }
        String sql = "select channel, block, confirmed from ats_confirmed where 1 = 1"
                + (channel == null ? "" : " and channel = ?")
                + (blocks.size() > AtsBlocks.BLOCKS / 8 ? "" : " and block in (" + blocks.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")) + ")");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (channel != null) {
                ps.setString(1, channel);
            }
            ps.setFetchSize(256);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int block = rs.getInt(2);
                    if (blocks.contains(block)) {
                        row.accept(rs.getString(1), block, rs.getString(3));
                    }
                }
            }
        }
    }

    private static TreeMap<String, Long> unpack(String channel, int block, String text) throws SQLException {
        try {
            return AtsBlocks.unpack(text);
        } catch (IllegalArgumentException e) {
            throw new SQLException("ats_confirmed block " + block + " of " + channel + " is not a packed block", e);
        }
    }

    /** One journal row: {channel: {sku: available}} of one recording. */
    private static void appendToJournal(Connection c, Map<String, List<AtsValue>> confirmed, Instant now)
            throws SQLException {
        Map<String, Map<String, Long>> entry = new LinkedHashMap<>();
        confirmed.forEach((channel, list) -> {
            Map<String, Long> values = entry.computeIfAbsent(channel, k -> new LinkedHashMap<>());
            list.forEach(v -> values.put(v.sku(), v.available()));
        });
        Jdbc.update(c, "insert into ats_pushed_journal (confirmed, recorded_at) values (?, ?)", Json.write(entry), now);
    }

    /**
     * The journal's values per channel, oldest row first (a later value replaces an earlier one); {@code last[0]}:
     * its last row id, {@code newest[0]}: that row's time.
     */
    private static Map<String, Map<String, Long>> journal(Connection c, long[] last, Instant[] newest)
            throws SQLException {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select entry_id, confirmed, recorded_at from ats_pushed_journal "
                + "order by entry_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                last[0] = rs.getLong(1);
                newest[0] = Jdbc.instant(rs, "recorded_at");
                Map<String, Map<String, Long>> entry;
                try {
                    entry = Json.MAPPER.readValue(rs.getString(2), JOURNAL_ENTRY);
                } catch (java.io.IOException e) {
                    throw new SQLException("ats_pushed_journal row " + last[0] + " is not a journal entry", e);
                }
                entry.forEach((channel, values) -> out.computeIfAbsent(channel, k -> new HashMap<>()).putAll(values));
            }
        }
        return out;
    }

    private static Map<String, Map<String, Long>> journal(Connection c) throws SQLException {
        return journal(c, new long[1], new Instant[1]);
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Map<String, Long>>> JOURNAL_ENTRY =
            new com.fasterxml.jackson.core.type.TypeReference<>() {};

    /** Writes the journal's latest values into the blocks and empties it (in the caller's transaction). */
    private static void compact(Connection c) throws SQLException {
        long[] last = {-1};
        Instant[] newest = new Instant[1];
        Map<String, Map<String, Long>> journal = journal(c, last, newest);
        if (last[0] < 0) {
            return;
        }
        for (Map.Entry<String, Map<String, Long>> e : journal.entrySet()) {
            write(c, e.getKey(), e.getValue(), newest[0]);
        }
        Jdbc.update(c, "delete from ats_pushed_journal where entry_id <= ?", last[0]);
    }

    /** The stored values of these SKUs, per channel: their blocks, and the journal over them. */
    private static Map<String, Map<String, Long>> read(Connection c, List<String> skus) throws SQLException {
        Map<String, Map<String, Long>> out = new HashMap<>();
        Map<Integer, List<String>> byBlock = new HashMap<>();
        skus.forEach(sku -> byBlock.computeIfAbsent(AtsBlocks.block(sku), b -> new ArrayList<>()).add(sku));
        forBlocks(c, byBlock.keySet(), null, (channel, block, text) -> {
            TreeMap<String, Long> stored = unpack(channel, block, text);
            for (String sku : byBlock.get(block)) {
                Long v = stored.get(sku);
                if (v != null) {
                    out.computeIfAbsent(channel, k -> new HashMap<>()).put(sku, v);
                }
            }
        });
        // what is journaled and not folded yet is newer than the blocks
        Set<String> wanted = new HashSet<>(skus);
        journal(c).forEach((channel, values) -> values.forEach((sku, v) -> {
            if (wanted.contains(sku)) {
                out.computeIfAbsent(channel, k -> new HashMap<>()).put(sku, v);
            }
        }));
        return out;
    }
}
