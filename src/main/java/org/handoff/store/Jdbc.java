package org.handoff.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The one way the stores talk SQL: plain JDBC with a transaction per call, parameters bound by
 * type, and a lost connection turned into {@link StoreUnavailableException}.
 */
public final class Jdbc {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new StoreUnavailableException("store unavailable: " + describe(e), e);
        }
        try (Connection c = connection) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                safeRollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static void safeRollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }

    public static RuntimeException translate(SQLException e) {
        if (e instanceof java.sql.BatchUpdateException && e.getNextException() != null) {
            // a batched statement's failure is the one it carries: a lock timeout or a deadlock in a batch (H2's
            // JdbcSQLTimeoutException, transient) is as transient as alone, not a failure that rejects a file part-way
            return translate(e.getNextException());
        }
        String state = e.getSQLState();
        if (e instanceof SQLTransientConnectionException || (state != null && state.startsWith("08"))) {
            return new StoreUnavailableException("store unavailable: " + describe(e), e);
        }
        if (state != null && state.startsWith("40") && !(e instanceof java.sql.SQLTransientException)) {
            // class 40, transaction rollback: the database broke a deadlock or a serialization conflict by rolling
            // this transaction back; done again it goes through. PostgreSQL's driver says so only by the SQLState
            // (H2's exception is already transient): the cause makes it a transient fault the routes redeliver
            // (HoldService.isTransient), and a file batch is taken again rather than its file failed.
            return new IllegalStateException("SQL failed: " + describe(e),
                    new java.sql.SQLTransactionRollbackException(describe(e), state, e.getErrorCode(), e));
        }
        // the message goes into retry log lines and hold details: the SQLState, not the driver's text,
        // which quotes the values it refused (the cause keeps the whole story for a debugger)
        return new IllegalStateException("SQL failed: " + describe(e), e);
    }

    /**
     * A failure as a log line may show it: for a database error its SQLState and the driver's error code,
     * never the driver's message, which quotes the refused values (names, addresses, emails); any other
     * failure by its class and message.
     */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return "database error, SQLState " + sql.getSQLState() + " (code " + sql.getErrorCode() + ")";
            }
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    /**
     * The longest IN list {@link #inChunks} makes. H2 checks each row it found against the whole list again, so
     * a long list costs per row: reading 1,100 catalog SKUs took 10.5 ms in lists of 512 and 6.6 ms in lists of
     * 128 (in-memory H2, ordw, sixth session); shorter lists than that mean more statements (round trips on
     * PostgreSQL) for little more.
     */
    public static final int IN_LIST_MAX = 128;

    /**
     * The distinct values as IN-list chunks of at most {@link #IN_LIST_MAX}, each padded to a power of two
     * by repeating its last value (an IN list means the same with repeats). A statement built on them then
     * has a handful of texts instead of one per list length, so the store's statement cache keeps them
     * parsed and planned; with one text per length, batches of varying size parsed every look-up anew.
     */
    public static List<List<String>> inChunks(java.util.Collection<String> values) {
        List<String> distinct = new java.util.ArrayList<>(new java.util.LinkedHashSet<>(values));
        List<List<String>> chunks = new java.util.ArrayList<>();
        for (int from = 0; from < distinct.size(); from += IN_LIST_MAX) {
            List<String> chunk = new java.util.ArrayList<>(
                    distinct.subList(from, Math.min(distinct.size(), from + IN_LIST_MAX)));
            int size = Integer.highestOneBit(chunk.size());
            size = size == chunk.size() ? size : size * 2;
            String last = chunk.get(chunk.size() - 1);
            while (chunk.size() < size) {
                chunk.add(last);
            }
            chunks.add(chunk);
        }
        return chunks;
    }

    /** {@code ?, ?, ?}: the placeholders of an IN list of {@code n} values. */
    public static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /**
     * {@code (?, ?), (?, ?)}: a row-value IN list over a two-column key, for {@link #pairs}. Written as
     * {@code (a, b) in (...)} rather than {@code a = ? and b in (...)}: H2 then probes the composite index
     * per pair, where the latter scans every row with that first value.
     */
    public static String pairMarks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "(?, ?)"));
    }

    /** The arguments of {@link #pairMarks}: {@code first} paired with each of {@code seconds}. */
    public static Object[] pairs(String first, List<String> seconds) {
        Object[] args = new Object[seconds.size() * 2];
        for (int i = 0; i < seconds.size(); i++) {
            args[2 * i] = first;
            args[2 * i + 1] = seconds.get(i);
        }
        return args;
    }

    /** True for a unique-key violation (H2 and PostgreSQL both report SQLState 23505). */
    public static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /**
     * A unique-key violation on a row the transaction looked up and did not find: another writer added it meanwhile,
     * and done again the work finds it. As a transient fault (SQLState 40001) the route or the file intake takes it
     * again; any other failure is returned as it is.
     */
    public static SQLException addedMeanwhile(SQLException e, String what) {
        return isDuplicateKey(e) ? new java.sql.SQLTransactionRollbackException(what
                + " was added by another transaction meanwhile", "40001", e) : e;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return inTransaction(c -> query(c, sql, mapper, params));
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public int update(String sql, Object... params) {
        return inTransaction(c -> update(c, sql, params));
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    /**
     * Runs {@code sqlWithInList} once per {@link #inChunks} chunk of {@code values}, its {@code %s} replaced by
     * the chunk's placeholders: the values are bound first, then {@code more}. The rows of all chunks.
     */
    public static <T> List<T> queryIn(Connection c, String sqlWithInList, java.util.Collection<String> values,
            RowMapper<T> mapper, Object... more) throws SQLException {
        List<T> out = new ArrayList<>();
        for (List<String> chunk : inChunks(values)) {
            Object[] params = new Object[chunk.size() + more.length];
            chunk.toArray(params);
            System.arraycopy(more, 0, params, chunk.size(), more.length);
            // replace, not format: a literal % elsewhere in the statement (a LIKE pattern) stays as written
            out.addAll(query(c, sqlWithInList.replace("%s", marks(chunk.size())), mapper, params));
        }
        return out;
    }

    public static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        List<T> rows = query(c, sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Inserts one row and returns its generated numeric key (identity column {@code keyColumn}). */
    public static long insertReturningId(Connection c, String sql, String keyColumn, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {keyColumn})) {
            bind(ps, params);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated key for " + keyColumn);
                }
                return keys.getLong(1);
            }
        }
    }

    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int index = i + 1;
            if (p == null) {
                ps.setNull(index, Types.NULL);
            } else if (p instanceof Instant instant) {
                ps.setObject(index, utc(instant));
            } else if (p instanceof BigDecimal decimal) {
                ps.setBigDecimal(index, decimal);
            } else {
                ps.setObject(index, p);
            }
        }
    }

    /**
     * The instant as a UTC {@code OffsetDateTime}, as a {@code timestamp with time zone} parameter. Built from its
     * fields: {@code Instant.atOffset} asks the offset for its rules, a new {@code ZoneRules} object at every call
     * (JFR's allocation samples put that at 4% of a webhook peak's allocation).
     */
    public static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC),
                ZoneOffset.UTC);
    }

    /** Reads a {@code timestamp with time zone} column as an Instant (null stays null). */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** Batch helper: executes and clears every {@code size} rows. */
    public static void executeBatch(Statement ps) throws SQLException {
        ps.executeBatch();
        ps.clearBatch();
    }

}
