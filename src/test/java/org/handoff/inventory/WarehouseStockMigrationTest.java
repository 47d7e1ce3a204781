package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** V19 moves counts stored one row per location (before V18) into one row per SKU and warehouse, on both databases. */
class WarehouseStockMigrationTest {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void countsStoredPerLocationBecomeOnePackedRowPerSkuAndWarehouse(TestDb db) throws Exception {
        try (TestDb.Scratch scratch = db.scratch()) {
            migrate(scratch);
        }
    }

    private static void migrate(TestDb.Scratch scratch) throws Exception {
        scratch.migrateTo("17");
        try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
            s.execute("insert into stock_location (warehouse, sku, location, on_hand, counted_at) values "
                    + "('WH1', 'MUG', 'A-2', 5, timestamp with time zone '2026-11-20 03:00:00+00'), "
                    + "('WH1', 'MUG', 'A;1', 0, timestamp with time zone '2026-11-20 03:00:00+00'), "
                    + "('WH1', 'MUG', 'A=1', 2, timestamp with time zone '2026-11-21 03:00:00+00'), "
                    + "('WH2', 'MUG', 'X-1', 7, timestamp with time zone '2026-11-19 03:00:00+00'), "
                    + "('WH1', 'TEE', 'B-1', 0, timestamp with time zone '2026-11-18 03:00:00+00')");
            s.execute("insert into stock_location_digest (sku, warehouse, digest, locations) values ('MUG', 'WH1', 1, 2)");
        }
        scratch.migrate();
        Map<String, String> rows = new HashMap<>();
        try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select warehouse, sku, on_hand, locations, counted_at from warehouse_stock")) {
                while (rs.next()) {
                    rows.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3) + " " + rs.getString(4) + " "
                            + rs.getObject(5, OffsetDateTime.class).toInstant());
                }
            }
            try (ResultSet rs = s.executeQuery("select count(*) from information_schema.tables "
                    + "where lower(table_name) in ('stock_location', 'stock_location_digest')")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
        assertThat(rows).containsOnly(
                Map.entry("WH1/MUG", "7 A-2=5;A\\=1=2 2026-11-21T03:00:00Z"),
                Map.entry("WH2/MUG", "7 X-1=7 2026-11-19T03:00:00Z"),
                Map.entry("WH1/TEE", "0  2026-11-18T03:00:00Z"));
    }
}
