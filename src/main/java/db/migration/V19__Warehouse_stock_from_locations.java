package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.TreeMap;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.handoff.inventory.LocationCounts;

/**
 * Moves the counts of {@code stock_location} (one row per location) into {@code warehouse_stock} (V18, one row
 * per SKU and warehouse), then drops {@code stock_location} and {@code stock_location_digest}. The packing is
 * Java's ({@link LocationCounts}), so this step cannot be SQL. Streams the rows in key order, one SKU and
 * warehouse at a time; {@code counted_at} is the newest of the SKU's location rows there. A SKU whose
 * locations are all at 0 keeps a row with no counts (the warehouse listed it). A fresh database has no
 * rows: it only drops the two tables.
 */
public class V19__Warehouse_stock_from_locations extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement read = c.createStatement();
             PreparedStatement insert = c.prepareStatement("insert into warehouse_stock (sku, warehouse, on_hand, "
                     + "locations, counted_at) values (?, ?, ?, ?, ?)")) {
            read.setFetchSize(5_000);
            String sku = null;
            String warehouse = null;
            TreeMap<String, Long> counts = new TreeMap<>();
            OffsetDateTime countedAt = null;
            int pending = 0;
            try (ResultSet rs = read.executeQuery("select sku, warehouse, location, on_hand, counted_at "
                    + "from stock_location order by sku, warehouse")) {
                while (rs.next()) {
                    String s = rs.getString(1);
                    String w = rs.getString(2);
                    if (sku != null && (!sku.equals(s) || !warehouse.equals(w))) {
                        add(insert, sku, warehouse, counts, countedAt);
                        counts.clear();
                        countedAt = null;
                        if (++pending % 5_000 == 0) {
                            insert.executeBatch();
                        }
                    }
                    sku = s;
                    warehouse = w;
                    counts.merge(rs.getString(3), rs.getLong(4), Long::sum);
                    OffsetDateTime at = rs.getObject(5, OffsetDateTime.class);
                    if (countedAt == null || at.isAfter(countedAt)) {
                        countedAt = at;
                    }
                }
            }
            if (sku != null) {
                add(insert, sku, warehouse, counts, countedAt);
            }
            insert.executeBatch();
        }
        try (Statement drop = c.createStatement()) {
            drop.execute("drop table stock_location_digest");
            drop.execute("drop table stock_location");
        }
    }

    private static void add(PreparedStatement insert, String sku, String warehouse, TreeMap<String, Long> counts,
                            OffsetDateTime countedAt) throws java.sql.SQLException {
        LocationCounts.Packed packed = LocationCounts.pack(counts);
        insert.setString(1, sku);
        insert.setString(2, warehouse);
        insert.setLong(3, packed.total());
        insert.setString(4, packed.text());
        insert.setObject(5, countedAt);
        insert.addBatch();
    }
}
