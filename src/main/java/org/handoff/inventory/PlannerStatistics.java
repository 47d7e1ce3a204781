package org.handoff.inventory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * After a bulk change (a warehouse's first snapshot, a first round of ATS pushes) PostgreSQL still plans
 * with the statistics of the empty tables until autovacuum's next pass, and a prepared statement keeps the
 * plan it chose then: an IN-list look-up by primary key became a sequential scan of 200,000 rows per batch.
 * {@code ANALYZE} refreshes the statistics and invalidates those plans. H2 needs nothing of the kind.
 */
final class PlannerStatistics {

    /** Rows written since the last refresh from which one is worth it. */
    static final int BULK = 10_000;

    private PlannerStatistics() {}

    static void refresh(Connection c, String... tables) throws SQLException {
        if (!c.isWrapperFor(org.postgresql.PGConnection.class)) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("analyze " + String.join(", ", tables));
        }
    }
}
