package org.handoff.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's file housekeeping. With {@code WRITE_DELAY=0} (every commit on disk before a 2xx)
 * H2 stops its background thread, and with it the housekeeping that copies the few live pages out of
 * mostly-dead chunks so their space can be written again. Every commit writes a chunk of its own, most
 * of whose pages the next commits supersede, so without it the file only grows: measured at ~12 KB per
 * webhook order, 2.5 GB with 24% of it live after 200,000 orders. This thread does what H2's would:
 * ten times a second, when the chunks are less than {@link #TARGET_FILL_RATE}% full, it rewrites the live
 * pages of the emptiest old chunks and stores them; the freed chunks are reused once H2's retention
 * time (45 s) has passed, so the file stays near its live size plus that window.
 */
public final class H2Housekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    static final int TARGET_FILL_RATE = 70;
    /**
     * Bytes rewritten per round, ten rounds a second: small, because a round holds H2's store lock and
     * every commit waits for it, yet above the ~30 MB/s of chunks a peak writes, so the rounds keep up.
     */
    static final int WRITE_LIMIT = 4 * 1024 * 1024;
    static final long ROUND_MILLIS = 100;

    private final DataSource dataSource;
    private final ScheduledExecutorService timer;

    H2Housekeeping(DataSource dataSource) {
        this.dataSource = dataSource;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "handoff-h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    private H2Housekeeping start() {
        timer.scheduleWithFixedDelay(this::round, ROUND_MILLIS, ROUND_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Started for an embedded H2 file store that writes at every commit; H2 keeps house itself otherwise. */
    static Optional<H2Housekeeping> startIfNeeded(DataSource dataSource, String url) {
        if (!url.startsWith("jdbc:h2:file:")) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection()) {
            MVStore store = mvStore(c);
            if (store.getFileStore() == null || store.getAutoCommitDelay() > 0) {
                return Optional.empty();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("H2 housekeeping not started: {}", e.toString());
            return Optional.empty();
        }
        return Optional.of(new H2Housekeeping(dataSource).start());
    }

    /** One round; true when chunks were rewritten. */
    boolean round() {
        try (Connection c = dataSource.getConnection()) {
            MVStore store = mvStore(c);
            if (store.isClosed() || store.getFileStore().getChunksFillRate() >= TARGET_FILL_RATE) {
                return false;
            }
            boolean rewritten = store.compact(TARGET_FILL_RATE, WRITE_LIMIT);
            if (rewritten) {
                store.commit(); // writes the rewritten pages here rather than in the next order batch's commit
            }
            return rewritten;
        } catch (Exception e) {
            // the store being down or closing: the next round tries again
            LOG.debug("H2 housekeeping round skipped: {}", e.toString());
            return false;
        }
    }

    int chunksFillRate() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return mvStore(c).getFileStore().getChunksFillRate();
        }
    }

    private static MVStore mvStore(Connection c) throws SQLException {
        return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
