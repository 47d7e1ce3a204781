package org.handoff.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.handoff.api.Json;
import org.handoff.store.Jdbc;

/** SQL for the webhook delivery log (V20): the durable record of every signed delivery and its result. */
public final class DeliveryLog {

    /** A stored delivery: what the dedupe check and the recovery sweep need. */
    public record Stored(long id, String channel, String dedupeKey, String topic, String sha256, String body,
            Map<String, String> headers, String status, String result, String orderId, Long holdId, Instant receivedAt) {}

    private static final String COLUMNS = "delivery_id, channel, dedupe_key, topic, body_sha256, body, headers, status, "
            + "result, order_id, hold_id, received_at";

    private static final String INSERT = "insert into webhook_deliveries (channel, dedupe_key, topic, body_sha256, "
            + "body, headers, status, result, order_id, hold_id, received_at, processed_at) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Jdbc jdbc;

    public DeliveryLog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Stored> find(Connection c, String channel, String dedupeKey) throws SQLException {
        return Jdbc.queryOne(c, "select " + COLUMNS + " from webhook_deliveries where channel = ? and dedupe_key = ?",
                DeliveryLog::map, channel, dedupeKey);
    }

    /** What the dedupe check needs of a stored delivery: its body's hash and the result it was given. */
    public record Known(String dedupeKey, String sha256, String result, String orderId, Long holdId) {}

    /**
     * The stored deliveries of these keys of one channel, by key, in one query per {@link Jdbc#inChunks} chunk;
     * only the columns the dedupe check compares and answers with (not the raw body and headers).
     */
    public Map<String, Known> findAll(Connection c, String channel, java.util.Collection<String> dedupeKeys)
            throws SQLException {
        Map<String, Known> out = new java.util.HashMap<>();
        for (List<String> chunk : Jdbc.inChunks(dedupeKeys)) {
            for (Known k : Jdbc.query(c, "select dedupe_key, body_sha256, result, order_id, hold_id from webhook_deliveries "
                    + "where (channel, dedupe_key) in (" + Jdbc.pairMarks(chunk.size()) + ")",
                    rs -> new Known(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Jdbc.nullableLong(rs, "hold_id")), Jdbc.pairs(channel, chunk))) {
                out.put(k.dedupeKey(), k);
            }
        }
        return out;
    }

    /** One processed delivery and its result, for {@link #insertProcessed}. */
    public record Processed(Delivery delivery, String result, String orderId, Long holdId) {}

    /** Stores many processed deliveries with their results as one JDBC batch. */
    public void insertProcessed(Connection c, List<Processed> rows, Instant now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (java.sql.PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Processed p : rows) {
                Delivery d = p.delivery();
                Jdbc.bind(ps, d.channel(), d.dedupeKey(), d.topic(), d.sha256(), d.body(), Json.write(d.headers()),
                        "processed", p.result(), p.orderId(), p.holdId(), d.receivedAt(), now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void insert(Connection c, Delivery d, String status, String result, String orderId, Long holdId,
            Instant now) throws SQLException {
        Jdbc.update(c, INSERT, d.channel(), d.dedupeKey(), d.topic(), d.sha256(), d.body(), Json.write(d.headers()), status, result,
                orderId, holdId, d.receivedAt(), "processed".equals(status) ? now : null);
    }

    /** Records the result of processing a stored delivery again (release, recovery). */
    public void markProcessed(Connection c, String channel, String dedupeKey, String result, String orderId,
            Long holdId, Instant now) throws SQLException {
        Jdbc.update(c, "update webhook_deliveries set status = 'processed', result = ?, order_id = coalesce(?, order_id), "
                + "hold_id = ?, processed_at = ? where channel = ? and dedupe_key = ?", result, orderId, holdId, now,
                channel, dedupeKey);
    }

    public void markProcessed(String channel, String dedupeKey, String result, String orderId, Long holdId, Instant now) {
        jdbc.inTransaction(c -> {
            markProcessed(c, channel, dedupeKey, result, orderId, holdId, now);
            return null;
        });
    }

    /**
     * Deliveries committed but never processed (the process died, or processing failed unexpectedly), none that
     * another sweep has claimed ({@link #claimForRecovery}) and is still replaying.
     */
    public List<Stored> unprocessed(Instant receivedBefore, int limit, Instant now) {
        return jdbc.query("select " + COLUMNS + " from webhook_deliveries where status = 'received' and received_at < ? "
                + "and (recovering_until is null or recovering_until < ?) order by delivery_id limit " + limit,
                DeliveryLog::map, receivedBefore, now);
    }

    /**
     * Claims a stored delivery for one sweep until {@code until}: false when another sweep claimed it first or it was
     * processed meanwhile. Every instance sweeps; only the claimant replays.
     */
    public boolean claimForRecovery(long deliveryId, Instant now, Instant until) {
        return jdbc.update("update webhook_deliveries set recovering_until = ? where delivery_id = ? and status = 'received' "
                + "and (recovering_until is null or recovering_until < ?)", until, deliveryId, now) == 1;
    }

    /** Forgets processed delivery keys older than the retention; the orders' own unique key still guards. */
    public int purge(Instant receivedBefore) {
        return jdbc.update("delete from webhook_deliveries where status = 'processed' and received_at < ?", receivedBefore);
    }

    private static Stored map(java.sql.ResultSet rs) throws SQLException {
        String headers = rs.getString("headers");
        Map<String, String> h;
        try {
            h = headers == null ? Map.of() : Json.MAPPER.readValue(headers, new TypeReference<Map<String, String>>() {});
        } catch (Exception e) {
            h = Map.of();
        }
        return new Stored(rs.getLong("delivery_id"), rs.getString("channel"), rs.getString("dedupe_key"),
                rs.getString("topic"), rs.getString("body_sha256"), rs.getString("body"), h, rs.getString("status"),
                rs.getString("result"), rs.getString("order_id"), Jdbc.nullableLong(rs, "hold_id"),
                Jdbc.instant(rs, "received_at"));
    }
}
