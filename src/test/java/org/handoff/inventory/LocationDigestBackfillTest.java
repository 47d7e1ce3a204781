package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** V17 computes the digests of counts stored before V16 existed (a hub upgraded with stock in place). */
class LocationDigestBackfillTest {

    @Test
    void countsStoredBeforeTheDigestTableGetTheirDigests() throws Exception {
        String url = "jdbc:h2:mem:backfill" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target("15").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("insert into stock_location (warehouse, sku, location, on_hand, counted_at) values "
                    + "('WH1', 'MUG', 'A-1', 5, current_timestamp), ('WH1', 'MUG', 'A-2', 0, current_timestamp), "
                    + "('WH1', 'MUG', 'A-3', 2, current_timestamp), ('WH2', 'MUG', 'X-1', 7, current_timestamp), "
                    + "('WH1', 'TEE', 'B-1', 0, current_timestamp)");
        }
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
        Map<String, LocationDigests.Digest> digests = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select warehouse, sku, digest, locations from stock_location_digest")) {
            while (rs.next()) {
                digests.put(rs.getString(1) + "/" + rs.getString(2), new LocationDigests.Digest(rs.getLong(3), rs.getLong(4)));
            }
        }
        assertThat(digests).containsOnly(
                Map.entry("WH1/MUG", LocationDigests.EMPTY.plus("A-1", 5).plus("A-3", 2)),
                Map.entry("WH2/MUG", LocationDigests.EMPTY.plus("X-1", 7)),
                Map.entry("WH1/TEE", LocationDigests.EMPTY));
        assertThat(digests.get("WH1/MUG").locations()).isEqualTo(2);
    }
}
