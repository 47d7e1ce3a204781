package org.handoff.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.handoff.api.Json;
import org.handoff.inventory.AtsPushes.AtsValue;
import org.handoff.store.Jdbc;

/**
 * What each channel last confirmed receiving, per SKU (table {@code ats_pushed}): what a round compares the
 * current values with, so that only changed values go out (DESIGN §7).
 *
 * <p>Kept in memory as a write-through cache. A round looks its SKUs up here and reads the database only for
 * SKUs not cached yet; what channels confirm is written to {@code ats_pushed} and cached once committed. The
 * database stays the truth: a hub starts with an empty cache, and every recording transaction first bumps the
 * one row of {@code ats_pushed_generation} (so recorders take turns on its lock). A hub trusts its cache only
 * while that counter is where its own last recording left it; when another hub sharing the database (DESIGN
 * §9) recorded since, the cache is dropped and the values are read again.
 *
 * <p>A recording that fails leaves the values it carried unknown here: the channel may have them although
 * {@code ats_pushed} does not say so, so the next round pushes those SKUs whatever the database says.
 */
final class ConfirmedAts {

    /** The channel never confirmed a value for the SKU (no row). */
    static final long NONE = -1;
    /** Pushed, but whether it was recorded is not known: never equal to a value, so it is pushed again. */
    static final long UNKNOWN = Long.MIN_VALUE;

    private static final int RANGE_READ = 10_000;

    private final Map<String, SkuValues> cache = new HashMap<>();
    /** Per channel, SKUs pushed whose recording failed: {@link #UNKNOWN} whatever cache or table say (never evicted). */
    private final Map<String, Set<String>> unknown = new HashMap<>();
    private final int maxEntries;
    private int entries;
    /**
     * The cache holds every value of ats_pushed and the journal (loaded whole when it started, every recording
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
    private final SkuOrder skuOrder = new SkuOrder();
    /** Counts the rows inserted (values for SKUs a channel never had), for PostgreSQL's planner. */
    private final PlannerStatistics statistics = new PlannerStatistics("ats_pushed");

    /** The journal is folded into ats_pushed once it holds this many values. */
    private final int compactAt;
    /** Values this hub appended to the journal since it last folded it (unknown at start: fold at the first). */
    private long journalValues;

    /** @param maxEntries (channel, SKU) values kept in memory at most; past it the cache starts again empty */
    ConfirmedAts(int maxEntries) {
        this(maxEntries, 50_000);
    }

    /** @param compactAt the journal is folded into ats_pushed once it holds this many values */
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
     * {@code ats_pushed_journal} as one row, whatever its size; the journal is folded into {@code ats_pushed}
     * once it holds {@code compactAt} values, each SKU's latest value written once. A round with values a
     * channel never had (a first snapshot, a new SKU) folds the journal and writes its values to
     * {@code ats_pushed} directly.
     *
     * <p>Why big rounds are journaled too: a 2%-changed snapshot of 100,000 SKUs confirms ~37,000 values spread
     * over the whole table, and updating them row by row rewrote nearly every page of {@code ats_pushed} and
     * its index on the embedded store (measured: ~1.3 of the phase's 1.5 ATS CPU-seconds, most of its
     * garbage). Journaled, a round is one row; the fold still writes each value once, but only once per
     * {@code compactAt} values, and a SKU that changed twice by then is written once.
     */
    synchronized void record(Jdbc jdbc, Map<String, List<AtsValue>> confirmed, Instant now) {
        int values = confirmed.values().stream().mapToInt(List::size).sum();
        if (values == 0) {
            return;
        }
        // a value a channel never had is an insert that no later value can fold away (a first snapshot):
        // such rounds go to the table directly, so the journal only ever holds values that replace others
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
                    long inserted = 0;
                    for (Map.Entry<String, List<AtsValue>> e : confirmed.entrySet()) {
                        List<Stamped> stamped = e.getValue().stream().map(v -> new Stamped(v.sku(), v.available(), now))
                                .toList();
                        inserted += write(c, e.getKey(), stamped, stored(c, e.getKey(), stamped, current[0]));
                    }
                    statistics.written(c, inserted);
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

    /** Folds the journal into ats_pushed now (whatever its size). */
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
     * Starts the cache with the whole of ats_pushed and the journal over it, when they hold at most half of what
     * the cache may (room for the values still to come); otherwise SKUs are read as they are asked for.
     */
    private void loadWhole(Connection c) throws SQLException {
        loadTried = true;
        long clearsBefore = clears;
        long rows = Jdbc.queryOne(c, "select count(*) from ats_pushed", rs -> rs.getLong(1)).orElse(0L);
        if (rows > maxEntries / 2) {
            return;
        }
        // what the cache holds is as new as the tables at this generation (it was just recorded): kept
        Map<String, Map<String, Long>> stored = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select channel, sku, available from ats_pushed")) {
            ps.setFetchSize(5_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
        }
        journal(c, new long[1]).forEach((channel, values) -> values.forEach((sku, v) ->
                stored.computeIfAbsent(channel, k -> new HashMap<>()).put(sku, v.available())));
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

    /** The SKUs of these values the channel has a row for. */
    private Set<String> stored(Connection c, String channel, List<Stamped> values, boolean cacheCurrent)
            throws SQLException {
        Set<String> stored = new HashSet<>();
        List<String> ask = new ArrayList<>();
        for (Stamped v : values) {
            Long cached = cacheCurrent ? cached(channel, v.sku()) : null;
            if (cached == null) {
                ask.add(v.sku());
            } else if (cached != NONE) {
                stored.add(v.sku());
            }
        }
        Jdbc.queryIn(c, "select sku from ats_pushed where sku in (%s) and channel = ?", ask,
                rs -> stored.add(rs.getString(1)), channel);
        return stored;
    }

    /** Updates the rows there are, inserts the others; the number inserted. */
    private static long write(Connection c, String channel, Collection<Stamped> values, Set<String> stored)
            throws SQLException {
        long inserted = 0;
        try (PreparedStatement update = c.prepareStatement("update ats_pushed set available = ?, pushed_at = ? "
                + "where sku = ? and channel = ?");
             PreparedStatement insert = c.prepareStatement("insert into ats_pushed (channel, sku, available, "
                     + "pushed_at) values (?, ?, ?, ?)")) {
            Set<String> done = new HashSet<>();
            for (Stamped v : values) {
                if (stored.contains(v.sku()) || !done.add(v.sku())) {
                    Jdbc.bind(update, v.available(), v.at(), v.sku(), channel);
                    update.addBatch();
                } else {
                    Jdbc.bind(insert, channel, v.sku(), v.available(), v.at());
                    insert.addBatch();
                    inserted++;
                }
            }
            // inserts first: a SKU confirmed twice in one recording is inserted, then updated
            if (inserted > 0) {
                insert.executeBatch();
            }
            if (inserted < values.size()) {
                update.executeBatch();
            }
        }
        return inserted;
    }

    /** A value as ats_pushed keeps it: with the time it was recorded. */
    private record Stamped(String sku, long available, Instant at) {}

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

    /** The journal's values, oldest row first (a later value replaces an earlier one); {@code last[0]}: its last row id. */
    private static Map<String, Map<String, Stamped>> journal(Connection c, long[] last) throws SQLException {
        Map<String, Map<String, Stamped>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select entry_id, confirmed, recorded_at from ats_pushed_journal "
                + "order by entry_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                last[0] = rs.getLong(1);
                Instant at = Jdbc.instant(rs, "recorded_at");
                Map<String, Map<String, Long>> entry;
                try {
                    entry = Json.MAPPER.readValue(rs.getString(2), JOURNAL_ENTRY);
                } catch (java.io.IOException e) {
                    throw new SQLException("ats_pushed_journal row " + last[0] + " is not a journal entry", e);
                }
                entry.forEach((channel, values) -> {
                    Map<String, Stamped> merged = out.computeIfAbsent(channel, k -> new LinkedHashMap<>());
                    values.forEach((sku, v) -> merged.put(sku, new Stamped(sku, v, at)));
                });
            }
        }
        return out;
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Map<String, Long>>> JOURNAL_ENTRY =
            new com.fasterxml.jackson.core.type.TypeReference<>() {};

    /** Writes the journal's latest values into ats_pushed and empties it (in the caller's transaction). */
    private void compact(Connection c) throws SQLException {
        long[] last = {-1};
        Map<String, Map<String, Stamped>> journal = journal(c, last);
        if (last[0] < 0) {
            return;
        }
        long inserted = 0;
        for (Map.Entry<String, Map<String, Stamped>> e : journal.entrySet()) {
            List<Stamped> values = new ArrayList<>(e.getValue().values());
            // the cache cannot tell a value only journaled from one in the table: ask the table
            inserted += write(c, e.getKey(), values, stored(c, e.getKey(), values, false));
        }
        statistics.written(c, inserted);
        Jdbc.update(c, "delete from ats_pushed_journal where entry_id <= ?", last[0]);
    }

    /**
     * The stored values of these SKUs (sorted), per channel. A big set (a first snapshot: every SKU, dense) is
     * read as one SKU range (the rows between are wanted too), a smaller one by name in one statement; a database that may order codes otherwise than
     * Java (a linguistic collation) gets the rest looked up by name, so nothing depends on its collation.
     */
    private Map<String, Map<String, Long>> read(Connection c, List<String> sorted) throws SQLException {
        Map<String, Map<String, Long>> out = new HashMap<>();
        List<String> byName = sorted;
        if (sorted.size() >= RANGE_READ) {
            Set<String> wanted = new HashSet<>(sorted);
            try (PreparedStatement ps = c.prepareStatement("select channel, sku, available from ats_pushed "
                    + "where sku >= ? and sku <= ?")) {
                Jdbc.bind(ps, sorted.get(0), sorted.get(sorted.size() - 1));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (wanted.contains(rs.getString(2))) {
                            out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
                        }
                    }
                }
            }
            byName = List.of();
            if (!skuOrder.binary(c)) {
                Set<String> found = new HashSet<>();
                out.values().forEach(m -> found.addAll(m.keySet()));
                byName = sorted.stream().filter(sku -> !found.contains(sku)).toList();
            }
        }
        Jdbc.queryIn(c, "select channel, sku, available from ats_pushed where sku in (%s)", byName,
                rs -> out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getLong(3)));
        // what is journaled and not folded yet is newer than the table
        Set<String> wanted = new HashSet<>(sorted);
        journal(c, new long[1]).forEach((channel, values) -> values.forEach((sku, v) -> {
            if (wanted.contains(sku)) {
                out.computeIfAbsent(channel, k -> new HashMap<>()).put(sku, v.available());
            }
        }));
        return out;
    }
}
