package org.handoff.returns;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.handoff.store.Jdbc;

/** SQL for returns, their lines and their history. */
public final class ReturnsStore {

    public static final String QUARANTINED = "QUARANTINED";
    public static final String RESTOCKED = "RESTOCKED";
    public static final String SCRAPPED = "SCRAPPED";

    public record Rma(String rma, String channel, String orderExternalId, String orderId, String state, String decision,
                      Instant receivedAt, Instant decidedAt) {}

    public record Line(String sku, long quantity, String reason) {}

    public record History(String from, String to, String reasonCode, String evidence, String actor, String note,
                          Instant decidedAt) {}

    public Optional<Rma> find(Connection c, String rma) throws SQLException {
        return find(c, rma, "");
    }

    /**
     * As {@link #find}, the return's row locked until the commit: a manifest changing its lines and a decision moving
     * them ({@code update returns ... where state = 'QUARANTINED'}) take it in turn, so a decision moves the lines the
     * manifest left, or the manifest finds the return decided.
     */
    public Optional<Rma> findLocked(Connection c, String rma) throws SQLException {
        return find(c, rma, " for update");
    }

    private static Optional<Rma> find(Connection c, String rma, String lock) throws SQLException {
        return Jdbc.queryOne(c, "select rma, channel, order_external_id, order_id, state, decision, received_at, decided_at "
                + "from returns where rma = ?" + lock, rs -> new Rma(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), Jdbc.instant(rs, "received_at"),
                Jdbc.instant(rs, "decided_at")), rma);
    }

    public void open(Connection c, String rma, String channel, String orderExternalId, String orderId, String evidence,
                     Instant now) throws SQLException {
        Jdbc.update(c, "insert into returns (rma, channel, order_external_id, order_id, state, received_at, updated_at) "
                + "values (?, ?, ?, ?, ?, ?, ?)", rma, channel, orderExternalId, orderId, QUARANTINED, now, now);
        history(c, rma, null, QUARANTINED, "RETURN_AUTHORISED", evidence, "returns-system", null, now);
    }

    public void history(Connection c, String rma, String from, String to, String reason, String evidence, String actor,
                        String note, Instant at) throws SQLException {
        Jdbc.update(c, "insert into return_history (rma, from_state, to_state, reason_code, evidence, actor, note, "
                + "decided_at) values (?, ?, ?, ?, ?, ?, ?, ?)", rma, from, to, reason, evidence, actor, note, at);
    }

    /** A stored line and the receipt of the manifest that last stated it (null: stored before that was kept). */
    public record StoredLine(long quantity, String reason, Long sourceReceipt) {

        /** True when a manifest after this receipt stated the line (an unknown receipt, 0 or null, is never after). */
        boolean restatedAfter(long receipt) {
            return receipt > 0 && sourceReceipt != null && sourceReceipt > receipt;
        }

        /** True when this receipt's manifest stated the line (or either is not known: a released row then adds). */
        boolean statedBy(long receipt) {
            return receipt <= 0 || sourceReceipt == null || sourceReceipt == receipt;
        }
    }

    public Optional<StoredLine> line(Connection c, String rma, String sku) throws SQLException {
        return Jdbc.queryOne(c, "select quantity, reason, source_receipt from return_lines where rma = ? and sku = ?",
                rs -> new StoredLine(rs.getLong(1), rs.getString(2), (Long) rs.getObject(3, Long.class)), rma, sku);
    }

    /** A manifest stated this line as it is stored (re-sent unchanged): it is now the line's manifest. */
    public void stated(Connection c, String rma, String sku, long receipt) throws SQLException {
        if (receipt > 0) {
            Jdbc.update(c, "update return_lines set source_receipt = ? where rma = ? and sku = ? "
                    + "and (source_receipt is null or source_receipt < ?)", receipt, rma, sku, receipt);
        }
    }

    public List<Line> lines(Connection c, String rma) throws SQLException {
        return Jdbc.query(c, "select sku, quantity, reason from return_lines where rma = ? order by sku",
                rs -> new Line(rs.getString(1), rs.getLong(2), rs.getString(3)), rma);
    }

    public List<History> history(Connection c, String rma) throws SQLException {
        return Jdbc.query(c, "select from_state, to_state, reason_code, evidence, actor, note, decided_at "
                + "from return_history where rma = ? order by history_id", rs -> new History(rs.getString(1),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                Jdbc.instant(rs, "decided_at")), rma);
    }

    /** The hub's order for the channel's id, when it has one. */
    public String orderId(Connection c, String channel, String externalId) throws SQLException {
        return Jdbc.queryOne(c, "select order_id from orders where channel = ? and external_id = ?",
                rs -> rs.getString(1), channel, externalId).orElse(null);
    }
}
