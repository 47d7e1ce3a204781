package org.handoff.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases every integration test runs on. PostgreSQL needs {@code -Dhandoff.test.pg.url} (an admin
 * URL, e.g. jdbc:postgresql://localhost:5432/postgres); without it PostgreSQL cases are skipped, unless
 * {@code -Dhandoff.test.pg.required=true} (CI), where a missing PostgreSQL fails the run.
 */
public enum TestDb {
    H2, POSTGRES;

    public static final String PG_URL = System.getProperty("handoff.test.pg.url", "");
    public static final String PG_USER = System.getProperty("handoff.test.pg.user", "handoff");
    public static final String PG_PASSWORD = System.getProperty("handoff.test.pg.password", "handoff");

    /** For {@code @MethodSource("org.handoff.testing.TestDb#all")}. */
    public static Stream<TestDb> all() {
        return Stream.of(values());
    }

    public static boolean postgresAvailable() {
        return !PG_URL.isBlank();
    }

    /** Skips the calling test (or fails it in CI) when this database is not available. */
    public void assumeAvailable() {
        if (this == POSTGRES && !postgresAvailable()) {
            if (Boolean.getBoolean("handoff.test.pg.required")) {
                throw new IllegalStateException("PostgreSQL is required (handoff.test.pg.required) but "
                        + "handoff.test.pg.url is not set");
            }
            Assumptions.abort("PostgreSQL not configured (-Dhandoff.test.pg.url)");
        }
    }

    /** Creates a fresh, empty PostgreSQL database and returns its JDBC URL. */
    public static String createPostgresDatabase() {
        String name = "handoff_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + PG_URL + ": " + e.getMessage(), e);
        }
        CREATED.add(name);
        return PG_URL.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    }

    public static void dropPostgresDatabase(String url) {
        String name = url.replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            // a leftover test database is harmless
        }
        CREATED.remove(name);
    }

    /**
     * A bare database of this kind, no migration applied, for a migration test that puts rows in before a
     * migration and reads them after; closing it drops it on PostgreSQL. Skips (or fails in CI) as
     * {@link #assumeAvailable()} does.
     */
    public Scratch scratch() {
        assumeAvailable();
        return this == H2
                ? new Scratch(this, "jdbc:h2:mem:scratch" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")
                : new Scratch(this, createPostgresDatabase(), PG_USER, PG_PASSWORD);
    }

    public record Scratch(TestDb db, String url, String user, String password) implements AutoCloseable {

        /** Applies the migrations up to and including {@code version}. */
        public void migrateTo(String version) {
            org.flywaydb.core.Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration")
                    .target(version).load().migrate();
        }

        /** Applies every migration not applied yet. */
        public void migrate() {
            org.flywaydb.core.Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration")
                    .load().migrate();
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        @Override
        public void close() {
            if (db == POSTGRES) {
                dropPostgresDatabase(url);
            }
        }
    }

    private static final List<String> CREATED = new ArrayList<>();
}
