package org.handoff.settlement;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.handoff.files.FileReceipts;
import org.handoff.holds.Hold;
import org.handoff.holds.HoldRequest;
import org.handoff.holds.HoldStatus;
import org.handoff.holds.HoldStore;
import org.handoff.order.Order;
import org.handoff.order.OrderEvent;
import org.handoff.order.OrderLine;
import org.handoff.order.OrderPipeline;
import org.handoff.order.OrderState;
import org.handoff.order.OrderStateMachine;
import org.handoff.order.OrderStore;

/**
 * Reconciles an order with what the payment provider paid out for it, and closes it when it is
 * delivered and reconciled (DESIGN §7: CLOSED needs delivery and a reconciled settlement). Called when
 * settlement lines arrive and when an order is delivered, whichever comes last. A mismatch waits in one
 * SETTLEMENT_MISMATCH hold per order, updated as payouts arrive and resolved when they add up.
 */
public final class SettlementService {

    public static final String SETTLEMENT_MISMATCH = "SETTLEMENT_MISMATCH";
    static final String ACTOR = "system:settlement";

    /** PENDING: a payout file still being applied stored lines for the order; its end reconciles it. */
    public enum Status { UNMATCHED, MISMATCH, RECONCILED, CLOSED, PENDING }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SettlementService.class);

    private final SettlementStore store;
    private final FileReceipts receipts;
    private final OrderStore orders;
    private final OrderPipeline pipeline;
    private final HoldStore holds;

    public SettlementService(SettlementStore store, OrderStore orders, OrderPipeline pipeline, HoldStore holds,
                             FileReceipts receipts) {
        this.receipts = receipts;
        this.store = store;
        this.orders = orders;
        this.pipeline = pipeline;
        this.holds = holds;
    }

    /** Order known to the hub by the channel's id, locked for the reconciliation. */
    public Optional<Order> order(Connection c, String channel, String externalId) throws SQLException {
        return orders.findByExternal(c, channel, externalId, true);
    }

    /**
     * Reconciles the order (locked by the caller) with the lines stored for it, and closes it when it is delivered and
     * they add up. Not while a payout file that stored lines for it is still being applied (a delivery between its
     * batches): the lines so far are part of a payout, and that file's end reconciles the order with all of them.
     */
    public Status reconcile(Connection c, Order order) throws SQLException {
        Optional<Long> applying = store.pendingFile(c, order.channel(), order.externalId(), receipts.liveSince());
        if (applying.isPresent()) {
            LOG.info("order {} not reconciled yet: payout file receipt {} is still being applied and reconciles it at "
                    + "its end", order.orderId(), applying.get());
            return Status.PENDING;
        }
        List<SettlementStore.Line> lines = store.forOrder(c, order.channel(), order.externalId());
        if (lines.isEmpty()) {
            return Status.UNMATCHED;
        }
        String subject = "order " + order.orderId() + " (" + order.channel() + " " + order.externalId() + ")";
        String payouts = lines.stream().map(SettlementStore.Line::payoutId).collect(Collectors.toCollection(TreeSet::new))
                .stream().collect(Collectors.joining(","));
        Reconciliation.Result result = Reconciliation.check(expected(order), order.currency(), lines.stream()
                .map(l -> new Reconciliation.Line(l.type(), l.amount(), l.currency(), l.payoutId())).toList());
        Optional<Hold> open = holds.findOpen(c, SETTLEMENT_MISMATCH, subject);
        if (!result.reconciled()) {
            String detail = result.detail() + " (payouts " + payouts + ")";
            if (open.isPresent()) {
                holds.updateDetail(c, open.get().holdId(), detail);
            } else {
                holds.raise(c, HoldRequest.of(SETTLEMENT_MISMATCH, "settlements:" + order.channel(), subject, detail), null);
            }
            return Status.MISMATCH;
        }
        if (open.isPresent() && holds.close(c, open.get().holdId(), HoldStatus.resolved)) {
            holds.recordAction(c, open.get().holdId(), "resolve", ACTOR, null,
                    "payouts " + payouts + " reconcile: " + result.detail());
        }
        if (order.state() == OrderState.DELIVERED && OrderStateMachine.allows(order.state(), OrderEvent.SETTLED)) {
            Instant paidAt = lines.stream().map(SettlementStore.Line::paidAt).max(Instant::compareTo).orElse(null);
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("payoutId", payouts);
            evidence.put("reconciliation", result.detail());
            Set<String> changed = new java.util.HashSet<>();
            pipeline.applyEvent(c, order.orderId(), OrderEvent.SETTLED, evidence, ACTOR, paidAt, changed);
            return Status.CLOSED;
        }
        return Status.RECONCILED;
    }

    /** What the customer owes for the order: its lines, or nothing once it is cancelled. */
    static BigDecimal expected(Order order) {
        if (order.state() == OrderState.CANCELLED) {
            return BigDecimal.ZERO;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (OrderLine line : order.lines()) {
            BigDecimal price = line.unitPrice() == null ? BigDecimal.ZERO : line.unitPrice();
            total = total.add(price.multiply(BigDecimal.valueOf(line.quantity())));
        }
        return total;
    }
}
