package org.handoff.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.handoff.store.Jdbc;

/**
 * A digest of one SKU's counts in one warehouse ({@code stock_location_digest}): the wrapping sum of a
 * 64-bit hash of every (location, on-hand) whose on-hand is not 0, and how many such locations there are.
 * The sum does not depend on the order of the rows, and a location at 0 counts as not there, exactly as
 * the count rule treats a location a snapshot does not list. A snapshot compares each SKU's listed counts
 * with this digest and reads the SKU's {@code stock_location} rows only when the two differ, so the daily
 * snapshot reads one small row per SKU instead of one row per location. Whoever writes
 * {@code stock_location} keeps the digest in the same transaction ({@link #refresh}).
 */
public final class LocationDigests {

    /** The digest of a set of counts ({@link #EMPTY} for none, or only zeros). */
    public record Digest(long sum, long locations) {
        public Digest plus(String location, long onHand) {
            return onHand == 0 ? this : new Digest(sum + term(location, onHand), locations + 1);
        }
    }

    public static final Digest EMPTY = new Digest(0, 0);

    private static final int IN_LIST = 100;

    private LocationDigests() {}

    /** One location's share of the digest: 0 for an on-hand of 0, else a well-spread 64-bit hash. */
    public static long term(String location, long onHand) {
        if (onHand == 0) {
            return 0;
        }
        long h = 0xcbf29ce484222325L; // FNV-1a over the location's characters
        for (int i = 0; i < location.length(); i++) {
            h = (h ^ location.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ onHand) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 33; // MurmurHash3's fmix64
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** The stored digests of these SKUs in the warehouse (a SKU without one has no counts there). */
    static Map<String, Digest> read(Connection c, String warehouse, List<String> skus) throws SQLException {
        Map<String, Digest> out = new HashMap<>(skus.size() * 2);
        for (int from = 0; from < skus.size(); from += IN_LIST) {
            List<String> part = skus.subList(from, Math.min(skus.size(), from + IN_LIST));
            try (PreparedStatement ps = c.prepareStatement("select sku, digest, locations from stock_location_digest "
                    + "where sku in (" + Jdbc.marks(part.size()) + ") and warehouse = ?")) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 1, part.get(i));
                }
                ps.setString(part.size() + 1, warehouse);
                readInto(ps, out, null);
            }
        }
        return out;
    }

    /**
     * The stored digests of a sorted run of SKUs by one range read (a sorted snapshot's batch). SKUs the range
     * did not return are looked up by name when the database may order codes otherwise than Java does.
     */
    static Map<String, Digest> readRange(Connection c, String warehouse, List<String> sorted, boolean binaryOrder)
            throws SQLException {
        java.util.Set<String> wanted = new java.util.HashSet<>(sorted);
        Map<String, Digest> out = new HashMap<>(sorted.size() * 2);
        try (PreparedStatement ps = c.prepareStatement("select sku, digest, locations from stock_location_digest "
                + "where sku >= ? and sku <= ? and warehouse = ?")) {
            Jdbc.bind(ps, sorted.get(0), sorted.get(sorted.size() - 1), warehouse);
            readInto(ps, out, wanted);
        }
        if (!binaryOrder) {
            List<String> rest = sorted.stream().filter(sku -> !out.containsKey(sku)).toList();
            out.putAll(read(c, warehouse, rest));
        }
        return out;
    }

    private static void readInto(PreparedStatement ps, Map<String, Digest> out, java.util.Set<String> wanted)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String sku = rs.getString(1);
                if (wanted == null || wanted.contains(sku)) {
                    out.put(sku, new Digest(rs.getLong(2), rs.getLong(3)));
                }
            }
        }
    }

    /** Writes digests: {@code existing} ones are updated, the others inserted. */
    static void write(Connection c, String warehouse, Map<String, Digest> digests, java.util.Set<String> existing)
            throws SQLException {
        if (digests.isEmpty()) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement("update stock_location_digest set digest = ?, locations = ? "
                + "where sku = ? and warehouse = ?");
             PreparedStatement insert = c.prepareStatement("insert into stock_location_digest (sku, warehouse, digest, "
                     + "locations) values (?, ?, ?, ?)")) {
            boolean updates = false;
            boolean inserts = false;
            for (Map.Entry<String, Digest> e : digests.entrySet()) {
                Digest d = e.getValue();
                if (existing.contains(e.getKey())) {
                    Jdbc.bind(update, d.sum(), d.locations(), e.getKey(), warehouse);
                    update.addBatch();
                    updates = true;
                } else {
                    Jdbc.bind(insert, e.getKey(), warehouse, d.sum(), d.locations());
                    insert.addBatch();
                    inserts = true;
                }
            }
            if (updates) {
                update.executeBatch();
            }
            if (inserts) {
                insert.executeBatch();
            }
        }
    }

    /**
     * Recomputes the digests of these SKUs in the warehouse from their {@code stock_location} rows: for a
     * writer other than the snapshot (a restock into the RETURNS location, locations a snapshot zeroed).
     */
    public static void refresh(Connection c, String warehouse, Collection<String> skus) throws SQLException {
        List<String> all = new ArrayList<>(skus);
        Map<String, Digest> computed = new HashMap<>();
        for (int from = 0; from < all.size(); from += IN_LIST) {
            List<String> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
            for (String sku : part) {
                computed.put(sku, EMPTY);
            }
            try (PreparedStatement ps = c.prepareStatement("select sku, location, on_hand from stock_location "
                    + "where sku in (" + Jdbc.marks(part.size()) + ") and warehouse = ?")) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 1, part.get(i));
                }
                ps.setString(part.size() + 1, warehouse);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String sku = rs.getString(1);
                        Digest d = computed.get(sku);
                        if (d != null) {
                            computed.put(sku, d.plus(rs.getString(2), rs.getLong(3)));
                        }
                    }
                }
            }
        }
        write(c, warehouse, computed, read(c, warehouse, all).keySet());
    }
}
