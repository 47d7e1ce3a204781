package org.handoff.inventory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL: many single-row updates of one table as one statement, {@code update t set ... from
 * unnest(?, ?, ...) v where ... returning t.key}, the rows' values bound as arrays. There each statement of a
 * JDBC batch is bound and executed on its own, which made the daily snapshot's few thousand changed SKUs cost
 * the server more than all its reads; one statement per few hundred rows costs about as much as a handful of
 * them. Arrays rather than a VALUES list of one row per SKU: the statement's text is the same for any number
 * of rows, so the server parses and plans it once per connection (a VALUES list or IN list sized to each
 * batch was a new statement, parsed and planned, almost every time). The rows are first locked in key order
 * ({@code order by key for update}), so two writers of the same rows still take their locks in the same order
 * and cannot deadlock, as the JDBC batches in key order guarantee. H2 runs a JDBC batch in-process without that
 * cost and keeps the portable batch.
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
        try (PreparedStatement lock = c.prepareStatement("select 1 from " + table + " where " + key + " = any(?)"
                + andWhere + " order by " + key + " for update")) {
            int i = 1;
            lock.setArray(i++, texts(c, keys));
            for (Object arg : args) {
                lock.setObject(i++, arg);
            }
            lock.executeQuery().close();
        }
    }

    /** A {@code varchar[]} parameter. */
    static Array texts(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("varchar", values.toArray(new String[0]));
    }

    /** A {@code bigint[]} parameter. */
    static Array numbers(Connection c, long[] values) throws SQLException {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return c.createArrayOf("bigint", boxed);
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
