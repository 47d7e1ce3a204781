package org.handoff.store;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's file housekeeping. With {@code WRITE_DELAY=0} (every commit on disk before a 2xx)
 * H2 stops its background thread, and with it the housekeeping that copies the few live pages out of
 * mostly superseded chunks so their space can be written again. Every commit writes a chunk of its own,
 * most of whose pages later commits supersede, so without it the file only grows: measured at ~12 KB per
 * webhook order, 2.5 GB with 24% of it live after 200,000 orders.
 *
 * <p>Each round, on the schedule H2's thread would keep, runs H2's own background step
 * ({@code FileStore.writeInBackground}: store what is unsaved, then H2's policy — when the store is idle,
 * rewrite chunks and move them together so the file shrinks). H2 calls that step only from its own thread,
 * which it starts only with a write delay; the step is package-private, so it is looked up once here.
 * While the store is busy H2's policy rewrites only chunks below the average fill rate, which does not keep
 * up with a webhook peak (measured: chunks 5–13% live piling up at 17–40 MB/s), so when less than
 * {@link #KEEP_FILL_RATE}% of the chunks' bytes are live a round also rewrites up to {@link #KEEP_UP_BYTES}
 * of live pages out of the emptiest old chunks. Freed chunks are reused once H2's retention time (45 s)
 * has passed, so under load the file levels off near twice its live data plus what that window writes.
 */
public final class H2Housekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    /** H2's background thread, with its default write delay of 500 ms, runs its step every 166 ms. */
    static final long ROUND_MILLIS = 100;
    /** Below this share of live bytes in the chunks, a round rewrites the emptiest chunks itself. */
    static final int KEEP_FILL_RATE = 50;
    /**
     * Live bytes rewritten per such round: 10 MB/s at most, which frees ~50–100 MB/s of chunks 10–20% live,
     * above a saturating webhook load's 26–40 MB/s. Small, because a round holds H2's store lock (~7 ms
     * for 1 MB here) and every commit waits for it.
     */
    static final int KEEP_UP_BYTES = 1024 * 1024;
    private static final MethodHandle BACKGROUND_STEP = backgroundStep();

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
        if (BACKGROUND_STEP == null) {
            LOG.warn("H2 housekeeping not started: this H2 version has no FileStore.writeInBackground();"
                    + " the embedded file will grow until the hub restarts");
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

    /** One step of H2's background housekeeping. */
    void round() {
        try (Connection c = dataSource.getConnection()) {
            MVStore store = mvStore(c);
            if (!store.isClosed()) {
                BACKGROUND_STEP.invoke(store.getFileStore());
                store.compact(KEEP_FILL_RATE, KEEP_UP_BYTES); // does nothing at or above that fill rate
            }
        } catch (Throwable e) {
            // the store being down or closing: the next round tries again
            LOG.debug("H2 housekeeping round skipped: {}", e.toString());
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

    private static MethodHandle backgroundStep() {
        try {
            var method = FileStore.class.getDeclaredMethod("writeInBackground");
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method).asType(MethodType.methodType(void.class, FileStore.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
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
