package org.handoff.settlement;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.handoff.store.Jdbc;

/** SQL for settlement lines. */
public final class SettlementStore {

    public record Line(String payoutId, String channel, String orderExternalId, SettlementType type,
                       BigDecimal amount, String currency, Instant paidAt) {

        /** Another row of the same payout, order, type and currency: its amount added, the later payment time. */
        Line plus(Line other) {
            Instant later = paidAt.isAfter(other.paidAt()) ? paidAt : other.paidAt();
            return new Line(payoutId, channel, orderExternalId, type, amount.add(other.amount()), currency, later);
        }

        /**
         * Why this line's amount cannot be stored (V5: numeric(19, 4), 15 digits before the point), or null. A row's
         * own amount is checked when it is read; a sum of a file's rows can still pass the column.
         */
        String unstorable() {
            return amount.abs().compareTo(STORABLE) < 0 ? null : "payout " + payoutId + "'s "
                    + type.name().toLowerCase(java.util.Locale.ROOT) + " lines for order " + orderExternalId
                    + " add up to " + amount.toPlainString() + ", more than an amount can hold (15 digits before the point)";
        }
    }

    private static final BigDecimal STORABLE = BigDecimal.TEN.pow(15);

    /**
     * Records a payout line (a file's sum for its payout, order and type); the same line again changes nothing, a
     * corrected amount replaces it.
     */
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

    /**
     * A released row: adds to the line its own file stored for the same payout, order and type (the file's rows add
     * up, and the others of that file are in already), else records it. Empty when done; why not otherwise.
     */
    public Optional<String> add(Connection c, Line line, String file, long row, Instant now) throws SQLException {
        Optional<Line> stored = Jdbc.queryOne(c, "select payout_id, channel, order_external_id, type, amount, currency, "
                        + "paid_at from settlement_lines where payout_id = ? and channel = ? and order_external_id = ? "
                        + "and type = ? and source_file = ?", SettlementStore::line,
                line.payoutId(), line.channel(), line.orderExternalId(), line.type().name(), file);
        if (stored.isEmpty()) {
            record(c, line, file, row, now);
            return Optional.empty();
        }
        if (!stored.get().currency().equals(line.currency())) {
            return Optional.of("payout " + line.payoutId() + " has a " + line.type().name().toLowerCase(java.util.Locale.ROOT)
                    + " in " + stored.get().currency() + " for order " + line.orderExternalId() + " from this file; one in "
                    + line.currency() + " cannot add to it");
        }
        SettlementStore.Line sum = stored.get().plus(line);
        if (sum.unstorable() != null) {
            return Optional.of(sum.unstorable());
        }
        record(c, sum, file, row, now);
        return Optional.empty();
    }

    public List<Line> forOrder(Connection c, String channel, String orderExternalId) throws SQLException {
        return Jdbc.query(c, "select payout_id, channel, order_external_id, type, amount, currency, paid_at "
                        + "from settlement_lines where channel = ? and order_external_id = ? order by paid_at, payout_id",
                SettlementStore::line, channel, orderExternalId);
    }

    /** An order (channel, external id) a payout file stored lines for. */
    public record OrderRef(String channel, String orderExternalId) {}

    /**
     * Marks the order as stored for by this file (its receipt) and not reconciled yet (V77), in the transaction that
     * stores its lines; the same again changes nothing (a batch applied again after a crash).
     */
    public void pending(Connection c, long receiptId, String channel, String orderExternalId) throws SQLException {
        Jdbc.update(c, "insert into settlement_pending (receipt_id, channel, order_external_id) select ?, ?, ? "
                        + "where not exists (select 1 from settlement_pending where receipt_id = ? and channel = ? "
                        + "and order_external_id = ?)",
                receiptId, channel, orderExternalId, receiptId, channel, orderExternalId);
    }

    /** The orders this file marked and has not reconciled, removed (the caller reconciles them in the same transaction). */
    public List<OrderRef> takePending(Connection c, long receiptId) throws SQLException {
        List<OrderRef> orders = Jdbc.query(c, "select channel, order_external_id from settlement_pending where receipt_id = ?",
                rs -> new OrderRef(rs.getString(1), rs.getString(2)), receiptId);
        Jdbc.update(c, "delete from settlement_pending where receipt_id = ?", receiptId);
        return orders;
    }

    /**
     * A payout file still being applied that stored lines for the order and has not reconciled it yet: its end will
     * (the receipt id; empty when none). A mark of a file no longer being applied does not count, nor one of a receipt
     * whose heartbeat lapsed ({@code liveSince}: its instance stopped; a file taken over reconciles again at its end).
     */
    public Optional<Long> pendingFile(Connection c, String channel, String orderExternalId, Instant liveSince)
            throws SQLException {
        return Jdbc.queryOne(c, "select p.receipt_id from settlement_pending p join file_receipts r on r.receipt_id = "
                        + "p.receipt_id where p.channel = ? and p.order_external_id = ? and r.status = ? "
                        + "and r.heartbeat_at > ? order by p.receipt_id fetch first 1 rows only", rs -> rs.getLong(1),
                channel, orderExternalId, org.handoff.files.FileReceipts.PROCESSING, liveSince);
    }

    /** Whether payout {@code payoutId} of this channel has any stored line (for any order). */
    public boolean payoutKnown(Connection c, String channel, String payoutId) throws SQLException {
        return Jdbc.queryOne(c, "select 1 from settlement_lines where payout_id = ? and channel = ? fetch first 1 rows only",
                rs -> rs.getInt(1), payoutId, channel).isPresent();
    }

    private static Line line(java.sql.ResultSet rs) throws SQLException {
        return new Line(rs.getString(1), rs.getString(2), rs.getString(3), SettlementType.valueOf(rs.getString(4)),
                rs.getBigDecimal(5), rs.getString(6), Jdbc.instant(rs, "paid_at"));
    }
}
