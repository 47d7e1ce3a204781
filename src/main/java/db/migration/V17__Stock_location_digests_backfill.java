package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.handoff.inventory.LocationDigests;

/**
 * Computes {@code stock_location_digest} (V16) for the counts stored before it existed: the digest's hash is
 * Java's, so this step cannot be SQL. Streams {@code stock_location} in key order, one SKU and warehouse at
 * a time. A fresh database has no rows: nothing to do.
 */
public class V17__Stock_location_digests_backfill extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement read = c.createStatement();
             PreparedStatement insert = c.prepareStatement("insert into stock_location_digest (sku, warehouse, digest, "
                     + "locations) values (?, ?, ?, ?)")) {
            read.setFetchSize(5_000);
            String sku = null;
            String warehouse = null;
            LocationDigests.Digest digest = LocationDigests.EMPTY;
            int pending = 0;
            try (ResultSet rs = read.executeQuery("select sku, warehouse, location, on_hand from stock_location "
                    + "order by sku, warehouse")) {
                while (rs.next()) {
                    String s = rs.getString(1);
                    String w = rs.getString(2);
                    if (sku != null && (!sku.equals(s) || !warehouse.equals(w))) {
                        add(insert, sku, warehouse, digest);
                        digest = LocationDigests.EMPTY;
                        if (++pending % 5_000 == 0) {
                            insert.executeBatch();
                        }
                    }
                    sku = s;
                    warehouse = w;
                    digest = digest.plus(rs.getString(3), rs.getLong(4));
                }
            }
            if (sku != null) {
                add(insert, sku, warehouse, digest);
            }
            insert.executeBatch();
        }
    }

    private static void add(PreparedStatement insert, String sku, String warehouse, LocationDigests.Digest d)
            throws java.sql.SQLException {
        insert.setString(1, sku);
        insert.setString(2, warehouse);
        insert.setLong(3, d.sum());
        insert.setLong(4, d.locations());
        insert.addBatch();
    }
}
