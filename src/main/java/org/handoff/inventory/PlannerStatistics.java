package org.handoff.inventory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fresh planner statistics for tables that grow in bulk (a warehouse's first snapshot, the first ATS values
 * of every SKU). PostgreSQL plans a prepared statement once its first executions are done; planned against
 * the empty tables, an IN-list look-up by primary key stayed a sequential scan while the table grew to
 * 200,000 rows (250 ms per look-up). {@code ANALYZE} refreshes the statistics and invalidates such plans.
 * It runs when the rows written since the hub started reach 1,000, then 10 times more each time, so a
 * million-row snapshot analyzes three times and the daily changes never. H2 needs nothing of the kind.
 */
final class PlannerStatistics {

    private final String tables;
    private long written;
    private long next = 1_000;

    PlannerStatistics(String... tables) {
        this.tables = String.join(", ", tables);
    }

    /** Counts rows just written (in the caller's transaction) and analyzes the tables when due. */
    synchronized void written(Connection c, long rows) throws SQLException {
        written += rows;
        if (written >= next) {
            next = written * 10;
            analyze(c);
        }
    }

    /** Analyzes now (e.g. at the end of a bulk load, so the next file is planned against its real size). */
    void analyze(Connection c) throws SQLException {
        if (c.isWrapperFor(org.postgresql.PGConnection.class)) {
            try (Statement s = c.createStatement()) {
                s.execute("analyze " + tables);
            }
        }
    }
}
