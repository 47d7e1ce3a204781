package org.handoff.holds;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.handoff.api.Json;
import org.handoff.store.Jdbc;
import org.handoff.store.StoredText;

/** SQL for the hold table and its action log. */
public final class HoldStore {

    private static final String COLUMNS = "hold_id, reason_code, source, subject, detail, payload, headers, "
            + "entry_endpoint, status, attempts, created_at, updated_at, closed_at";

    private final Jdbc jdbc;
    private final Clock clock;

    public HoldStore(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    /**
     * Opens a hold, inside the caller's transaction. When the record is a replay of an open hold
     * ({@code replayOf}), that hold is updated instead (new reason and detail, one more attempt).
     * With a dedupe key, an existing hold for that key is returned and nothing new is written. Its texts are kept
     * as {@link StoredText} (a file row carrying a NUL character is held, not failed with its file on PostgreSQL).
     */
    public long raise(Connection c, HoldRequest request, Long replayOf) throws SQLException {
        Instant now = clock.instant();
        if (replayOf != null) {
            // a corrected payload may be about another record (another RMA): the hold is about what it holds now
            int updated = Jdbc.update(c, "update holds set reason_code = ?, detail = ?, attempts = attempts + 1, "
                            + "about = coalesce(?, about), updated_at = ? where hold_id = ? and status = 'open'",
                    request.reasonCode(), StoredText.of(request.detail()), request.about(), now, replayOf);
            if (updated == 1) {
                return replayOf;
            }
        }
        if (request.dedupeKey() != null) {
            Optional<Long> existing = Jdbc.queryOne(c, "select hold_id from holds where dedupe_key = ?",
                    rs -> rs.getLong(1), request.dedupeKey());
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        return Jdbc.insertReturningId(c, "insert into holds (reason_code, source, subject, detail, payload, headers, "
                        + "entry_endpoint, status, attempts, dedupe_key, about, created_at, updated_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, 'open', 1, ?, ?, ?, ?)",
                "hold_id",
                request.reasonCode(), request.source(), StoredText.of(request.subject()), StoredText.of(request.detail()),
                StoredText.of(request.payload()),
                Json.write(request.headers()), request.entryEndpoint(), request.dedupeKey(), request.about(), now, now);
    }

    public long raise(HoldRequest request, Long replayOf) {
        return jdbc.inTransaction(c -> raise(c, request, replayOf));
    }

    public Optional<Hold> find(long holdId) {
        return jdbc.queryOne("select " + COLUMNS + " from holds where hold_id = ?", HoldStore::map, holdId);
    }

    public Optional<Hold> findOpenByDedupeKey(Connection c, String dedupeKey) throws SQLException {
        return Jdbc.queryOne(c, "select " + COLUMNS + " from holds where dedupe_key = ? and status = 'open'",
                HoldStore::map, dedupeKey);
    }

    /** The open hold with this reason about this subject, if any (for facts that settle it later). */
    public Optional<Hold> findOpen(Connection c, String reasonCode, String subject) throws SQLException {
        return Jdbc.queryOne(c, "select " + COLUMNS + " from holds where status = 'open' and reason_code = ? "
                + "and subject = ? order by hold_id", HoldStore::map, reasonCode, subject);
    }

    /**
     * The open holds about this record ({@link HoldRequest#about}, e.g. {@code return:<rma>}), oldest first: what its
     * decision waits for.
     */
    public List<Long> openAbout(Connection c, String about) throws SQLException {
        return Jdbc.query(c, "select hold_id from holds where about = ? and status = 'open' order by hold_id",
                rs -> rs.getLong(1), about);
    }

    /** The latest hold with this reason about this subject, whatever its status (what became of it). */
    public Optional<Hold> latest(Connection c, String reasonCode, String subject) throws SQLException {
        return Jdbc.queryOne(c, "select " + COLUMNS + " from holds where reason_code = ? and subject = ? "
                + "order by hold_id desc limit 1", HoldStore::map, reasonCode, subject);
    }

    /** New detail for an open hold that a later fact changed but did not settle. */
    public void updateDetail(Connection c, long holdId, String detail) throws SQLException {
        Jdbc.update(c, "update holds set detail = ?, updated_at = ? where hold_id = ? and status = 'open'",
                detail, clock.instant(), holdId);
    }

    public List<Hold> list(String status, String reason, String source, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from holds where 1 = 1");
        List<Object> params = new ArrayList<>();
        if (status != null) {
            sql.append(" and status = ?");
            params.add(status);
        }
        if (reason != null) {
            sql.append(" and reason_code = ?");
            params.add(reason);
        }
        if (source != null) {
            sql.append(" and source = ?");
            params.add(source);
        }
        sql.append(" order by hold_id limit ").append(limit);
        return jdbc.query(sql.toString(), HoldStore::map, params.toArray());
    }

    public List<HoldAction> actions(long holdId) {
        return jdbc.query("select action, actor, note, outcome, acted_at from hold_actions where hold_id = ? "
                        + "order by action_id",
                rs -> new HoldAction(rs.getString("action"), rs.getString("actor"), rs.getString("note"),
                        rs.getString("outcome"), Jdbc.instant(rs, "acted_at")),
                holdId);
    }

    /** Closes an open hold; false when it was not open any more (someone else acted first). */
    public boolean close(Connection c, long holdId, HoldStatus status) throws SQLException {
        Instant now = clock.instant();
        return Jdbc.update(c, "update holds set status = ?, updated_at = ?, closed_at = ? "
                + "where hold_id = ? and status = 'open'", status.name(), now, now, holdId) == 1;
    }

    /**
     * Claims an open hold for one release for {@code lease}: false when it is not open or another release holds it
     * (its claim not yet lapsed). Only the claimant replays it; {@link #unclaim} ends the claim.
     */
    public boolean claimForRelease(long holdId, java.time.Duration lease) {
        Instant now = clock.instant();
        return jdbc.update("update holds set releasing_until = ? where hold_id = ? and status = 'open' "
                + "and (releasing_until is null or releasing_until < ?)", now.plus(lease), holdId, now) == 1;
    }

    /** Ends a release's claim (the hold closed, or stays open held again). */
    public void unclaim(Connection c, long holdId) throws SQLException {
        Jdbc.update(c, "update holds set releasing_until = null where hold_id = ?", holdId);
    }

    /** When the running release's claim lapses (empty: no release holds it). */
    public Optional<Instant> releasingUntil(long holdId) {
        Instant now = clock.instant();
        return jdbc.queryOne("select releasing_until from holds where hold_id = ? and releasing_until >= ?",
                rs -> Jdbc.instant(rs, "releasing_until"), holdId, now);
    }

    /** Discards an open hold no release is replaying; false when it was not open or a release holds it. */
    public boolean discard(Connection c, long holdId) throws SQLException {
        Instant now = clock.instant();
        return Jdbc.update(c, "update holds set status = ?, updated_at = ?, closed_at = ? where hold_id = ? "
                + "and status = 'open' and (releasing_until is null or releasing_until < ?)",
                HoldStatus.discarded.name(), now, now, holdId, now) == 1;
    }

    public void recordAction(Connection c, long holdId, String action, String actor, String note, String outcome)
            throws SQLException {
        Jdbc.update(c, "insert into hold_actions (hold_id, action, actor, note, outcome, acted_at) "
                + "values (?, ?, ?, ?, ?, ?)", holdId, action, actor, note, outcome, clock.instant());
    }

    public void recordAction(long holdId, String action, String actor, String note, String outcome) {
        jdbc.inTransaction(c -> {
            recordAction(c, holdId, action, actor, note, outcome);
            return null;
        });
    }

    /** Open holds by reason code, for the metrics gauge. */
    public Map<String, Long> openByReason() {
        Map<String, Long> out = new LinkedHashMap<>();
        jdbc.query("select reason_code, count(*) from holds where status = 'open' group by reason_code "
                + "order by reason_code", rs -> {
                    out.put(rs.getString(1), rs.getLong(2));
                    return null;
                });
        return out;
    }

    private static Hold map(ResultSet rs) throws SQLException {
        String headers = rs.getString("headers");
        Map<String, String> headerMap = headers == null ? Map.of()
                : Json.MAPPER.convertValue(readTree(headers), new TypeReference<Map<String, String>>() {});
        return new Hold(rs.getLong("hold_id"), rs.getString("reason_code"), rs.getString("source"),
                rs.getString("subject"), rs.getString("detail"), rs.getString("payload"), headerMap,
                rs.getString("entry_endpoint"), HoldStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"), Jdbc.instant(rs, "closed_at"));
    }

    private static Object readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return Map.of();
        }
    }
}
