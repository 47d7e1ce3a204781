package org.handoff.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.handoff.store.Jdbc;

/**
 * Keeps a picked unit off on-hand exactly once. A pick lowers on-hand at once (the unit left the shelf), and
 * the warehouse's next count no longer lists it, so that count's difference would take it off a second time:
 * a warehouse that picks every day and counts every night would drift down by every unit it ships. So a pick
 * is remembered ({@code uncounted_picks}) until a count of its warehouse taken at or after it is applied; that
 * count gives it back ({@link #countedBy}). A pick whose warehouse was already counted after it (a dispatch
 * file that arrives after the night's count) is reflected by that count, and on-hand does not drop again.
 *
 * <p>A restocked return is remembered the same way with the sign turned ({@link #rememberRestock}): its units are
 * on-hand on top of a count taken before it, and the first count taken after it lists them.
 *
 * <p>Lock order: the warehouse's watermark row, then stock rows, for picks ({@link #lockWatermarks}), restocks and
 * a snapshot's end alike, so a pick and the count of its warehouse cannot deadlock and one of them sees the other.
 */
public final class UncountedPicks {

    private UncountedPicks() {}

    /**
     * The warehouse each SKU was picked from: {@code named} when the evidence says (a dispatch file's warehouse)
     * and a count of it was ever applied, otherwise the warehouse holding most of the SKU (ties: the first by
     * name); absent when none holds any. A name no count carries (a typo in a posted event, {@code wh1} for
     * {@code WH1}) would keep the pick waiting for a count that never comes while the real one takes it off again.
     */
    public static Map<String, Optional<String>> warehouses(Connection c, Set<String> skus, String named)
            throws SQLException {
        Map<String, Optional<String>> out = new HashMap<>();
        if (named != null && !named.isBlank() && Jdbc.queryOne(c, "select warehouse from inventory_watermarks "
                + "where warehouse = ?", rs -> rs.getString(1), named).isPresent()) {
            skus.forEach(sku -> out.put(sku, Optional.of(named)));
            return out;
        }
        Map<String, Long> most = new HashMap<>();
        Jdbc.queryIn(c, "select sku, warehouse, on_hand from warehouse_stock where sku in (%s) and on_hand > 0 "
                + "order by sku, warehouse", new TreeSet<>(skus), rs -> {
                    String sku = rs.getString(1);
                    long onHand = rs.getLong(3);
                    if (onHand > most.getOrDefault(sku, 0L)) {
                        most.put(sku, onHand);
                        out.put(sku, Optional.of(rs.getString(2)));
                    }
                    return null;
                });
        skus.forEach(sku -> out.putIfAbsent(sku, Optional.empty()));
        return out;
    }

    /**
     * Locks the watermark rows of these warehouses (sorted) and returns when each was last counted. Called before
     * the pick's stock rows are locked: a snapshot's end holds its watermark first too.
     */
    public static Map<String, Instant> lockWatermarks(Connection c, Set<String> warehouses) throws SQLException {
        Map<String, Instant> out = new HashMap<>();
        for (String warehouse : new TreeSet<>(warehouses)) {
            Jdbc.queryOne(c, "select snapshot_at from inventory_watermarks where warehouse = ? for update",
                    rs -> Jdbc.instant(rs, "snapshot_at"), warehouse).ifPresent(at -> out.put(warehouse, at));
        }
        return out;
    }

    /**
     * The SKUs of a pick that a count already reflects: their warehouse was counted at or after {@code pickedAt}
     * (on-hand must not drop for them again).
     */
    public static Set<String> alreadyCounted(Set<String> skus, Map<String, Optional<String>> warehouses,
                                             Map<String, Instant> countedAt, Instant pickedAt) {
        Set<String> counted = new HashSet<>();
        for (String sku : skus) {
            Instant at = warehouses.getOrDefault(sku, Optional.empty()).map(countedAt::get).orElse(null);
            if (at != null && !at.isBefore(pickedAt)) {
                counted.add(sku);
            }
        }
        return counted;
    }

    /** Remembers what a pick took off on-hand per SKU, until a count of its warehouse reflects it. */
    public static void remember(Connection c, String orderId, Map<String, Long> dropped,
                                Map<String, Optional<String>> warehouses, Instant pickedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into uncounted_picks (sku, warehouse, picked_at, "
                + "quantity, order_id) values (?, ?, ?, ?, ?)")) {
            boolean any = false;
            for (Map.Entry<String, Long> e : new TreeMap<>(dropped).entrySet()) {
                if (e.getValue() > 0) {
                    Jdbc.bind(ps, e.getKey(), warehouses.getOrDefault(e.getKey(), Optional.empty()).orElse(null),
                            pickedAt, e.getValue(), orderId);
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    /**
     * Remembers a restocked return: units that came onto the shelves of {@code warehouse} at {@code at}, added to
     * on-hand by the caller. They are a pick with the sign turned (a negative quantity): a count taken before them
     * does not list them and leaves them on top; the first count taken at or after them lists them where they
     * were shelved, and taking them back off is its "giving back". {@code rma} goes where a pick keeps its order (V69 widened it to an RMA's 100 characters).
     */
    public static void rememberRestock(Connection c, String rma, Map<String, Long> restocked, String warehouse,
                                       Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into uncounted_picks (sku, warehouse, picked_at, "
                + "quantity, order_id) values (?, ?, ?, ?, ?)")) {
            boolean any = false;
            for (Map.Entry<String, Long> e : new TreeMap<>(restocked).entrySet()) {
                if (e.getValue() > 0) {
                    Jdbc.bind(ps, e.getKey(), warehouse, at, -e.getValue(), rma);
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    /** A remembered pick: its row and the units it took off on-hand (negative: a restock's units it added). */
    public record Pick(long id, long quantity) {}

    /**
     * The picks a count of {@code warehouse} taken at {@code countedAt} reflects, by SKU: read when its file
     * begins, so each batch gives back those of its SKUs in the transaction that writes their counts.
     */
    public static Map<String, List<Pick>> reflectedBy(Connection c, String warehouse, Instant countedAt)
            throws SQLException {
        Map<String, List<Pick>> out = new HashMap<>();
        Jdbc.query(c, "select sku, pick_id, quantity from uncounted_picks where (warehouse = ? or warehouse is null) "
                + "and picked_at <= ?", rs -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                .add(new Pick(rs.getLong(2), rs.getLong(3))), warehouse, countedAt);
        return out;
    }

    /**
     * Deletes these picks and returns what to give back to each SKU's on-hand: only the picks this call deleted
     * (one given back already, by an earlier batch or another instance, is not given back twice).
     */
    public static TreeMap<String, Long> giveBack(Connection c, Map<String, List<Pick>> picks) throws SQLException {
        TreeMap<String, Long> back = new TreeMap<>();
        if (picks.isEmpty()) {
            return back;
        }
        List<String> skus = new ArrayList<>();
        List<Pick> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("delete from uncounted_picks where pick_id = ?")) {
            for (Map.Entry<String, List<Pick>> e : new TreeMap<>(picks).entrySet()) {
                for (Pick pick : e.getValue()) {
                    ps.setLong(1, pick.id());
                    ps.addBatch();
                    skus.add(e.getKey());
                    rows.add(pick);
                }
            }
            int[] deleted = ps.executeBatch();
            for (int i = 0; i < deleted.length; i++) {
                if (deleted[i] > 0) {
                    back.merge(skus.get(i), rows.get(i).quantity(), Long::sum);
                }
            }
        }
        return back;
    }

    /**
     * The picks a count of {@code warehouse} taken at {@code countedAt} reflects (its own, and those no warehouse
     * held, picked at or before it), removed: what to give back to each SKU's on-hand. The picks of
     * {@code notCounted} (SKUs with a held row: the count did not apply to all of them) stay for a later count.
     */
    public static TreeMap<String, Long> countedBy(Connection c, String warehouse, Instant countedAt,
                                                  Set<String> notCounted) throws SQLException {
        Map<String, List<Pick>> reflected = reflectedBy(c, warehouse, countedAt);
        reflected.keySet().removeAll(notCounted);
        return giveBack(c, reflected);
    }

    /** {@link #countedBy} for these SKUs only: a count of them that was completed later (a held row released). */
    public static TreeMap<String, Long> countedFor(Connection c, String warehouse, Instant countedAt, Set<String> skus)
            throws SQLException {
        if (skus.isEmpty()) {
            return new TreeMap<>();
        }
        Map<String, List<Pick>> reflected = reflectedBy(c, warehouse, countedAt);
        reflected.keySet().retainAll(skus);
        return giveBack(c, reflected);
    }

}
