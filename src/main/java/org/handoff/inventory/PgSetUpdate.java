package org.handoff.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.handoff.store.Jdbc;

/**
 * PostgreSQL: many single-row updates of one table as one statement, {@code update t set ... from (values
 * ...) v where ... returning t.key}. There each statement of a JDBC batch is bound and executed on its own,
 * which made the daily snapshot's few thousand changed SKUs cost the server more than all its reads; one
 * statement per few hundred rows costs about as much as a handful of them. The rows are first locked in key
 * order ({@code order by key for update}), so two writers of the same rows still take their locks in the
 * same order and cannot deadlock, as the JDBC batches in key order guarantee. H2 runs a JDBC batch
 * in-process without that cost and keeps the portable batch.
 */
final class PgSetUpdate {

    /** Rows per statement at most (the statement's text, and so its plan, is one of few sizes). */
    static final int ROWS = 250;

    private PgSetUpdate() {}

    /** Whether to use it: PostgreSQL, and more than a few rows. */
    static boolean applies(Connection c, int rows) throws SQLException {
        return rows >= 8 && PgCopy.available(c);
    }

    /** Locks the rows of {@code table} whose {@code key} is one of {@code keys} (sorted), in key order. */
    static void lockInOrder(Connection c, String table, String key, List<String> keys, String andWhere, Object... args)
            throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select 1 from " + table + " where " + key + " in ("
                + Jdbc.marks(keys.size()) + ")" + andWhere + " order by " + key + " for update")) {
            int i = 1;
            for (String k : keys) {
                lock.setString(i++, k);
            }
            for (Object arg : args) {
                lock.setObject(i++, arg);
            }
            lock.executeQuery().close();
        }
    }

    /** {@code (row), (row), ...}: the VALUES list of {@code n} rows, each with the given placeholders. */
    static String values(String row, int n) {
        return String.join(", ", Collections.nCopies(n, row));
    }

    /** Executes an update ending in {@code returning t.<key>}: the keys of the rows it updated. */
    static Set<String> updatedKeys(PreparedStatement ps) throws SQLException {
        Set<String> keys = new HashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }
}
