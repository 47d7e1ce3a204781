package org.handoff.store;

import java.lang.management.ManagementFactory;
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
 * The embedded store's file housekeeping. With {@code WRITE_DELAY=0} (every commit written before a 2xx)
 * H2 stops its background thread, and with it the housekeeping that copies the few live pages out of
 * mostly superseded chunks so their space can be written again. Every commit writes a chunk of its own,
 * most of whose pages later commits supersede, so without it the file only grows: measured at 12–66 KB per
 * webhook order (the more, the fewer orders a commit carries), 2.5 GB with 24% of it live after 200,000 orders.
 *
 * <p>Ten times a second, while less than {@link #KEEP_FILL_RATE}% of the chunks' bytes are live, a round
 * rewrites up to {@link #KEEP_UP_BYTES} of live pages out of the emptiest old chunks (H2's own
 * {@link MVStore#compact}); the pages go out with the next commit. Emptied chunks are reused once H2's
 * retention time (45 s) has passed. Rounds give way to traffic: while the machine's CPU is more than
 * {@link #BUSY_CPU_LOAD} busy they wait, because a rewrite round competes with the commits (it holds H2's
 * store lock and rewrites pages of the same maps) — measured at a saturating webhook peak, rounds of 256 KB
 * raised the CPU per webhook by half. So the file grows during a peak, as without housekeeping, and the
 * rounds catch up once the peak is over. H2's own busy-time policy (its background step, run from here) was
 * tried first: a quarter more CPU per webhook at peak, and it did not stop the growth.
 */
public final class H2Housekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    static final long ROUND_MILLIS = 100;
    /** Below this share of live bytes in the chunks, rounds rewrite: at rest the chunks hold about half live data. */
    static final int KEEP_FILL_RATE = 50;
    /**
     * Live bytes rewritten per round: 2.5 MB/s at most, which frees ~10–25 MB/s of chunks 10–20% live,
     * more than a hub at a steady load writes. Small, because a round holds H2's store lock and commits
     * wait for it.
     */
    static final int KEEP_UP_BYTES = 256 * 1024;
    /** Share of the machine's CPU above which rounds wait (the JVM's view of recent system CPU load). */
    static final double BUSY_CPU_LOAD = 0.7;

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

    private void round() {
        if (!givesWayTo(systemCpuLoad())) {
            rewrite();
        }
    }

    /** True while the machine is busy enough that a rewrite round would slow the traffic down. */
    static boolean givesWayTo(double systemCpuLoad) {
        return systemCpuLoad > BUSY_CPU_LOAD;
    }

    private static double systemCpuLoad() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getCpuLoad() // negative when not available: rounds run
                : -1;
    }

    /** One rewrite; true when chunks were rewritten. */
    boolean rewrite() {
        try (Connection c = dataSource.getConnection()) {
            MVStore store = mvStore(c);
            return !store.isClosed() && store.compact(KEEP_FILL_RATE, KEEP_UP_BYTES); // nothing at or above that fill rate
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
