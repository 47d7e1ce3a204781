package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** V65 moves what channels confirmed, one row per SKU (before V64), into packed blocks, on both databases. */
class AtsConfirmedMigrationTest {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void valuesStoredPerSkuBecomeBlocksThatAHubReadsBack(TestDb db) throws Exception {
        try (TestDb.Scratch scratch = db.scratch()) {
            scratch.migrateTo("63");
            try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
                s.execute("insert into ats_pushed (channel, sku, available, pushed_at) values "
                        + "('shopify', 'MUG', 9, timestamp with time zone '2026-11-20 03:00:00+00'), "
                        + "('shopify', 'A;B=C\\D', 0, timestamp with time zone '2026-11-21 03:00:00+00'), "
                        + "('woocommerce', 'MUG', 4, timestamp with time zone '2026-11-19 03:00:00+00')");
                // the journal over the table is left as it is
                s.execute("insert into ats_pushed_journal (confirmed, recorded_at) values "
                        + "('{\"shopify\":{\"MUG\":8}}', timestamp with time zone '2026-11-22 03:00:00+00')");
            }
            scratch.migrate();
            Map<String, String> blocks = new HashMap<>();
            try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select channel, block, confirmed, entries, recorded_at "
                        + "from ats_confirmed")) {
                    while (rs.next()) {
                        blocks.put(rs.getString(1) + "/" + rs.getInt(2), rs.getString(3) + " " + rs.getInt(4) + " "
                                + rs.getObject(5, OffsetDateTime.class).toInstant());
                    }
                }
                try (ResultSet rs = s.executeQuery("select count(*) from information_schema.tables "
                        + "where lower(table_name) = 'ats_pushed'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero();
                }
                // what a hub starting on the migrated database reads: the blocks, and the journal over them
                ConfirmedAts hub = new ConfirmedAts(1000);
                c.setAutoCommit(false);
                Map<String, Map<String, Long>> seen = hub.lookUp(c, List.of("shopify", "woocommerce"),
                        List.of("A;B=C\\D", "MUG", "TEE"));
                assertThat(seen.get("shopify")).isEqualTo(Map.of("A;B=C\\D", 0L, "MUG", 8L, "TEE", ConfirmedAts.NONE));
                assertThat(seen.get("woocommerce")).isEqualTo(Map.of("A;B=C\\D", ConfirmedAts.NONE, "MUG", 4L,
                        "TEE", ConfirmedAts.NONE));
                c.rollback();
            }
            String mug = "/" + AtsBlocks.block("MUG");
            // the migration moves the table only: the journal's MUG=8 stays in the journal
            assertThat(blocks.get("shopify" + mug)).contains("MUG=9");
            assertThat(blocks).containsEntry("woocommerce" + mug, "MUG=4 1 2026-11-19T03:00:00Z").hasSize(
                    AtsBlocks.block("MUG") == AtsBlocks.block("A;B=C\\D") ? 2 : 3);
            assertThat(blocks.get("shopify/" + AtsBlocks.block("A;B=C\\D"))).contains("A\\;B\\=C\\\\D=0");
        }
    }
}
