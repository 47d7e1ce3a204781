package org.handoff.settlement;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.handoff.store.Jdbc;

/** SQL for settlement lines. */
public final class SettlementStore {

    public record Line(String payoutId, String channel, String orderExternalId, SettlementType type,
                       BigDecimal amount, String currency, Instant paidAt) {}

    /** Records a payout line; the same line again changes nothing, a corrected amount replaces it. */
    public void record(Connection c, Line line, String file, long row, Instant now) throws SQLException {
        int updated = Jdbc.update(c, "update settlement_lines set amount = ?, currency = ?, paid_at = ?, source_file = ?, "
                        + "source_row = ?, recorded_at = ? where payout_id = ? and channel = ? and order_external_id = ? "
                        + "and type = ? and (amount <> ? or currency <> ?)",
                line.amount(), line.currency(), line.paidAt(), file, row, now,
                line.payoutId(), line.channel(), line.orderExternalId(), line.type().name(), line.amount(), line.currency());
        if (updated == 0) {
            Jdbc.update(c, "insert into settlement_lines (payout_id, channel, order_external_id, type, amount, currency, "
                            + "paid_at, source_file, source_row, recorded_at) select ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                            + "where not exists (select 1 from settlement_lines where payout_id = ? and channel = ? "
                            + "and order_external_id = ? and type = ?)",
                    line.payoutId(), line.channel(), line.orderExternalId(), line.type().name(), line.amount(),
                    line.currency(), line.paidAt(), file, row, now,
                    line.payoutId(), line.channel(), line.orderExternalId(), line.type().name());
        }
    }

    public List<Line> forOrder(Connection c, String channel, String orderExternalId) throws SQLException {
        return Jdbc.query(c, "select payout_id, channel, order_external_id, type, amount, currency, paid_at "
                        + "from settlement_lines where channel = ? and order_external_id = ? order by paid_at, payout_id",
                rs -> new Line(rs.getString(1), rs.getString(2), rs.getString(3), SettlementType.valueOf(rs.getString(4)),
                        rs.getBigDecimal(5), rs.getString(6), Jdbc.instant(rs, "paid_at")),
                channel, orderExternalId);
    }
}
