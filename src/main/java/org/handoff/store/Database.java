package org.handoff.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The pooled DataSource, migrated by Flyway before any route starts. One set of migrations for H2 and PostgreSQL. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final String url;
    private final Optional<H2Housekeeping> housekeeping;

    private Database(HikariDataSource dataSource, String url) {
        this.dataSource = dataSource;
        this.url = url;
        this.housekeeping = H2Housekeeping.startIfNeeded(dataSource, url);
    }

    public static Database open(String url, String user, String password, int poolSize) {
        if (url.startsWith("jdbc:h2:file:")) {
            ensureParentExists(url.substring("jdbc:h2:file:".length()).split(";")[0]);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password == null ? "" : password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("handoff");
        // fail fast when the store is down: a webhook must answer 503 well inside the sender's timeout
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1);
        HikariDataSource ds = new HikariDataSource(config);
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return new Database(ds, url);
    }

    private static void ensureParentExists(String file) {
        try {
            Path parent = Path.of(file).toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** The URL without credentials, for the start-up summary. */
    public String describe() {
        String shown = url.split(";")[0].split("\\?")[0];
        return (isPostgres() ? "PostgreSQL " : "H2 ") + shown;
    }

    @Override
    public void close() {
        housekeeping.ifPresent(H2Housekeeping::close);
        dataSource.close();
    }
}
