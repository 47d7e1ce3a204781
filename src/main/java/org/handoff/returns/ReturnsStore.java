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
        return Jdbc.queryOne(c, "select rma, channel, order_external_id, order_id, state, decision, received_at, decided_at "
                + "from returns where rma = ?", rs -> new Rma(rs.getString(1), rs.getString(2), rs.getString(3),
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

    public Long lineQuantity(Connection c, String rma, String sku) throws SQLException {
        return Jdbc.queryOne(c, "select quantity from return_lines where rma = ? and sku = ?", rs -> rs.getLong(1), rma, sku)
                .orElse(null);
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
