package org.handoff.files;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.handoff.store.Jdbc;

/**
 * SQL for file_receipts. A file's content is claimed once per kind (claim_key = kind:sha256, unique):
 * the claim is what stops two instances on a shared folder, or the same content under two names,
 * from being applied twice. A state file's content ({@link FileKind#scope}) is claimed per scope, and claimed
 * again when another content of its scope was applied after it: the claim moves to the new receipt.
 */
public final class FileReceipts {

    public static final String PROCESSING = "processing";
    public static final String APPLIED = "applied";
    public static final String REJECTED = "rejected";
    public static final String DUPLICATE = "duplicate";

    /** What claiming a content found. */
    public sealed interface Claim {
        /** Ours to apply (new, or taken over from an instance that stopped heart-beating). */
        record Claimed(long receiptId) implements Claim {}
        /** Already applied by receipt {@code of}: recorded as a duplicate receipt. */
        record Duplicate(long receiptId, long of) implements Claim {}
        /** Another instance is applying it right now: leave the file where it is. */
        record Busy(long byReceipt) implements Claim {}
    }

    private static final String COLUMNS = "receipt_id, kind, file_name, checksum, status, reason_code, detail, "
            + "rows_read, rows_applied, rows_held, duplicate_of, hold_id, received_at, finished_at";

    private final Jdbc jdbc;
    private final Clock clock;
    private final String node;
    private final Duration lease;

    public FileReceipts(Jdbc jdbc, Clock clock, String node, Duration lease) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.node = node;
        this.lease = lease;
    }

    /**
     * A receipt still {@code processing} whose heartbeat is after this is being applied by a live instance; one
     * whose heartbeat is older was left by an instance that stopped (and is taken over, or abandoned when its file
     * is gone): it must not keep others waiting for its end.
     */
    public Instant liveSince() {
        return clock.instant().minus(lease);
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    /**
     * Claims the file's content for this instance, or says why not. A state file ({@link FileKind#scope}) is claimed
     * per scope, and its content again when another content of its scope is the one that stands now.
     */
    public Claim claim(FileKind kind, String name, String checksum, java.util.Map<String, String> parts,
                       java.util.function.LongPredicate activeHere) {
        String scope = kind.scope(parts);
        Instant statedAt = FileKind.parseTs(parts.get("ts")).orElse(null);
        String key = claimKey(kind.kind(), scope, checksum);
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Optional<Claim> found = jdbc.inTransaction(c -> existing(c, kind, name, checksum, key, scope, statedAt,
                        activeHere));
                if (found.isPresent()) {
                    return found.get();
                }
                return new Claim.Claimed(jdbc.inTransaction(c -> insertClaim(c, kind.kind(), name, checksum, key, scope,
                        statedAt)));
            } catch (IllegalStateException e) {
                // lost a race for the same content (the insert's own transaction was rolled back): look again
                if (!(e.getCause() instanceof SQLException sql) || !Jdbc.isDuplicateKey(sql)) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("could not claim " + name + " after 3 attempts");
    }

    private long insertClaim(Connection c, String kind, String name, String checksum, String key, String scope,
                             Instant statedAt) throws SQLException {
        Instant now = clock.instant();
        return Jdbc.insertReturningId(c, "insert into file_receipts (kind, file_name, checksum, claim_key, scope, "
                        + "stated_at, status, node, received_at, heartbeat_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "receipt_id", kind, name, checksum, key, scope, statedAt, PROCESSING, node, now, now);
    }

    /**
     * kind:sha256 of the content; for a state file with a scope (an inventory count's warehouse), the SHA-256 of
     * the scope and the content's: two warehouses' counts with the same bytes (both empty, say) are two counts.
     */
    static String claimKey(String kind, String scope, String checksum) {
        if (scope == null || scope.isEmpty()) {
            return kind + ":" + checksum;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((scope + "\n" + checksum).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return kind + ":" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Holder(long id, String status, Instant heartbeat, String node, String name, String scope,
                          Instant statedAt, String key) {}

    private static Optional<Holder> holderOf(Connection c, String key) throws SQLException {
        return Jdbc.queryOne(c, "select receipt_id, status, heartbeat_at, node, file_name, scope, stated_at "
                        + "from file_receipts where claim_key = ?", rs -> new Holder(rs.getLong(1), rs.getString(2),
                        Jdbc.instant(rs, "heartbeat_at"), rs.getString(4), rs.getString(5), rs.getString(6),
                        Jdbc.instant(rs, "stated_at"), key), key);
    }

    private Optional<Claim> existing(Connection c, FileKind kind, String name, String checksum, String key,
                                     String scope, Instant statedAt, java.util.function.LongPredicate activeHere)
            throws SQLException {
        Optional<Holder> holder = holderOf(c, key);
        if (holder.isEmpty() && scope != null && !scope.isEmpty()) {
            // a count claimed before V67, or by an instance still on the version before it, holds kind:sha256: the
            // same content of the same warehouse (its scope, or for a claim made since by an older instance, the
            // warehouse in its name)
            holder = holderOf(c, kind.kind() + ":" + checksum).filter(h -> scope.equals(h.scope() != null ? h.scope()
                    : kind.parseName(h.name()).map(kind::scope).orElse(null)));
        }
        if (holder.isEmpty()) {
            return Optional.empty();
        }
        Holder h = holder.get();
        Instant now = clock.instant();
        if (PROCESSING.equals(h.status())) {
            // ours but not running here (a store outage interrupted it) may restart at once; another
            // instance's only once its heartbeat is older than the lease
            boolean oursIdle = node.equals(h.node()) && !activeHere.test(h.id());
            if (!oursIdle && h.heartbeat().plus(lease).isAfter(now)) {
                return Optional.of(new Claim.Busy(h.id()));
            }
            // the instance applying it stopped (crash, kill -9): take it over; rows apply idempotently
            // (a receipt of an instance on the version before V67 gets its scope and time here)
            int taken = Jdbc.update(c, "update file_receipts set node = ?, heartbeat_at = ?, file_name = ?, "
                            + "rows_read = 0, rows_applied = 0, rows_held = 0, scope = coalesce(scope, ?), "
                            + "stated_at = coalesce(stated_at, ?) where receipt_id = ? and heartbeat_at = ?",
                    node, now, name, scope, statedAt, h.id(), h.heartbeat());
            return Optional.of(taken == 1 ? new Claim.Claimed(h.id()) : new Claim.Busy(h.id()));
        }
        if (scope != null && !name.equals(h.name())) {
            boolean news = standing(c, kind.kind(), scope).filter(id -> id != h.id()).isPresent();
            if (!news && statedAt != null && (h.statedAt() == null || statedAt.isAfter(h.statedAt()))) {
                // the content that stands, stated again later: news only if the handler says so (a count with picks
                // recorded since); otherwise what stands holds as of this time (a late file stamped before is stale)
                news = kind.handler().restatedLater(c, kind.parseName(name).orElse(java.util.Map.of()), statedAt,
                        h.statedAt());
                if (!news) {
                    Jdbc.update(c, "update file_receipts set stated_at = ? where receipt_id = ?", statedAt, h.id());
                }
            }
            if (news) {
                // a state file's content again, while another content of its scope stands: what it states is news.
                // The old receipt gives the claim up (it stays applied) and this file takes it, in one transaction;
                // another instance doing the same loses on the unique key and looks again
                Jdbc.update(c, "update file_receipts set claim_key = null where receipt_id = ? and claim_key = ?",
                        h.id(), h.key());
                return Optional.of(new Claim.Claimed(insertClaim(c, kind.kind(), name, checksum, key, scope, statedAt)));
            }
        }
        long id = Jdbc.insertReturningId(c, "insert into file_receipts (kind, file_name, checksum, status, "
                        + "duplicate_of, node, received_at, heartbeat_at, finished_at, detail) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "receipt_id",
                kind.kind(), name, checksum, DUPLICATE, h.id(), node, now, now, now,
                "same content (SHA-256) as receipt " + h.id() + "; nothing changed");
        return Optional.of(new Claim.Duplicate(id, h.id()));
    }

    /**
     * The receipt whose content stands for the scope now: of those holding a claim (applied or being applied), the
     * one with the latest file time (a late file, older than what stands, does not stand however late it came;
     * its rows are held stale), the last to arrive among equal times.
     */
    private static Optional<Long> standing(Connection c, String kind, String scope) throws SQLException {
        return Jdbc.queryOne(c, "select receipt_id from file_receipts where kind = ? and scope = ? and claim_key is not null "
                + "order by stated_at desc nulls last, receipt_id desc fetch first 1 rows only", rs -> rs.getLong(1),
                kind, scope);
    }

    /** A file refused before its content was claimed (bad name, bad header). */
    public long recordRejected(String kind, String name, String checksum, String reason, String detail) {
        Instant now = clock.instant();
        return jdbc.inTransaction(c -> Jdbc.insertReturningId(c,
                "insert into file_receipts (kind, file_name, checksum, status, reason_code, detail, node, "
                        + "received_at, heartbeat_at, finished_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "receipt_id", kind, name, checksum, REJECTED, reason, detail, node, now, now, now));
    }

    /**
     * Another instance took the file over: this instance's heartbeat had lapsed (a long pause, the store out of
     * reach) and the claim is no longer its own. The transaction that found out rolls back, and this instance leaves
     * the file, its receipt and its report to the instance that holds the claim now.
     */
    public static final class ClaimLost extends RuntimeException {
        ClaimLost(long receiptId) {
            super("receipt " + receiptId + " was taken over by another instance");
        }
    }

    /**
     * Progress inside a batch's transaction; also the heartbeat that keeps other instances off the file. Throws
     * {@link ClaimLost} (the batch rolls back) when the claim is no longer this instance's.
     */
    public void progress(Connection c, long receiptId, long read, long applied, long held) throws SQLException {
        fenced(Jdbc.update(c, "update file_receipts set rows_read = ?, rows_applied = ?, rows_held = ?, heartbeat_at = ? "
                + "where receipt_id = ? and node = ?", read, applied, held, clock.instant(), receiptId, node), receiptId);
    }

    /**
     * The heartbeat alone, for a handler still applying after the last row was read (the CSV inbox's orders) and
     * before a file's last step; {@link ClaimLost} as {@link #progress}.
     */
    public void heartbeat(Connection c, long receiptId) throws SQLException {
        fenced(Jdbc.update(c, "update file_receipts set heartbeat_at = ? where receipt_id = ? and node = ?",
                clock.instant(), receiptId, node), receiptId);
    }

    private static void fenced(int updated, long receiptId) {
        if (updated == 0) {
            throw new ClaimLost(receiptId);
        }
    }

    /**
     * Final state. A rejected file gives its claim back, so the same content, fixed or re-sent,
     * is processed again rather than called a duplicate. {@link ClaimLost} when another instance holds the claim.
     */
    public void finish(Connection c, long receiptId, String status, String reason, String detail, long read,
                       long applied, long held, Long holdId) throws SQLException {
        Instant now = clock.instant();
        fenced(Jdbc.update(c, "update file_receipts set status = ?, reason_code = ?, detail = ?, rows_read = ?, "
                        + "rows_applied = ?, rows_held = ?, hold_id = ?, finished_at = ?, heartbeat_at = ?"
                        + (REJECTED.equals(status) ? ", claim_key = null" : "") + " where receipt_id = ? and node = ?",
                status, reason, detail, read, applied, held, holdId, now, now, receiptId, node), receiptId);
    }

    public void attachHold(long receiptId, long holdId) {
        jdbc.update("update file_receipts set hold_id = ? where receipt_id = ?", holdId, receiptId);
    }

    public List<FileReceipt> list(String kind, String status, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from file_receipts where 1 = 1");
        java.util.List<Object> params = new java.util.ArrayList<>();
        if (kind != null) {
            sql.append(" and kind = ?");
            params.add(kind);
        }
        if (status != null) {
            sql.append(" and status = ?");
            params.add(status);
        }
        sql.append(" order by receipt_id desc limit ").append(limit);
        return jdbc.query(sql.toString(), FileReceipts::map, params.toArray());
    }

    public Optional<FileReceipt> find(long receiptId) {
        return jdbc.queryOne("select " + COLUMNS + " from file_receipts where receipt_id = ?", FileReceipts::map,
                receiptId);
    }

    private static FileReceipt map(ResultSet rs) throws SQLException {
        return new FileReceipt(rs.getLong("receipt_id"), rs.getString("kind"), rs.getString("file_name"),
                rs.getString("checksum"), rs.getString("status"), rs.getString("reason_code"), rs.getString("detail"),
                rs.getLong("rows_read"), rs.getLong("rows_applied"), rs.getLong("rows_held"),
                Jdbc.nullableLong(rs, "duplicate_of"), Jdbc.nullableLong(rs, "hold_id"),
                Jdbc.instant(rs, "received_at"), Jdbc.instant(rs, "finished_at"));
    }
}
