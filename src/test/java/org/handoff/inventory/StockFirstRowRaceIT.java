package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two transactions adding the first stock row of one SKU (two hubs' files, a file and a release): the one whose update
 * found no row and whose insert then meets the other's row is a transient fault, taken again, and then adds to that
 * row ({@code Jdbc.addedMeanwhile}, as for a return's or a PO's line). Before, the unique key failed the file part-way
 * ({@code .failed/}, PROCESSING_ERROR). Here the test's own transaction inserts the row, uncommitted, and commits once
 * the hub's insert waits behind it.
 */
class StockFirstRowRaceIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void theLoserOfTheFirstStockRowIsTakenAgainAndAddsToTheWinnersRow(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            Path manifest;
            try (Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("insert into stock (sku, quarantined, updated_at) "
                        + "values ('RACE-SKU-1', 5, current_timestamp)")) {
                    ps.executeUpdate();
                }
                manifest = drop(hub, "returns", "returns_20261122T040000Z.csv",
                        "rma,channel,order_external_id,sku,quantity,reason\nRMA-40,shopify,1,RACE-SKU-1,2,torn\n");
                awaitInsertWaiting(hub); // its update found no row; its insert waits on the uncommitted key
                c.commit();
            }
            JsonNode report = awaitReport(manifest, ".done");
            assertThat(report.get("rowsApplied").asLong()).as(report.toString()).isEqualTo(1);
            assertThat(hub.api().get("/api/inventory/RACE-SKU-1").json().get("quarantined").asLong()).isEqualTo(7);
        }
    }

    /** Waits until one of the hub's sessions runs an insert into stock that waits for the test's transaction. */
    private static void awaitInsertWaiting(TestHub hub) {
        String sql = hub.isPostgres()
                ? "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' "
                        + "and query like 'insert into stock %'"
                : "select count(*) from information_schema.sessions where executing_statement like 'insert into stock %'";
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> hub.jdbc().queryOne(sql, rs -> rs.getLong(1)).orElse(0L) >= 1);
    }
}
