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
import org.handoff.order.HistoryEntry;
import org.handoff.order.IllegalTransitionException;
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
        String subject = subject(order);
        String payouts = payouts(lines);
        Reconciliation.Result result = reconciliation(order, lines);
        Optional<Hold> open = holds.findOpen(c, SETTLEMENT_MISMATCH, subject);
        if (!result.reconciled()) {
            HoldRequest mismatch = mismatch(order, result, payouts);
            if (open.isPresent()) {
                holds.updateDetail(c, open.get().holdId(), mismatch.detail());
            } else {
                holds.raise(c, mismatch, null);
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

    /**
     * DESIGN §7, for a SETTLED that is posted (the operator API) rather than found by {@link #reconcile}: the
     * order's stored payout lines must reconcile, by the same rule. Refused (409 ILLEGAL_TRANSITION) when
     * <ul>
     * <li>a payout the evidence names has stored lines, none of them for this order (it paid other orders), or the
     * order has stored lines and the evidence names a payout that is not among them;</li>
     * <li>the order's stored lines do not reconcile and the mismatch has not been accepted: accepting it is a
     * person's decision on the order's SETTLEMENT_MISMATCH hold (discarded, with a note, while the lines are
     * still the ones it describes), which the answer names.</li>
     * </ul>
     * Also refused while a payout file that stored lines for the order is still being applied.
     * With no payout line stored for the order it is the documented manual close, on the actor's evidence.
     * Returns what the close records besides the posted evidence: how the settlement stands.
     */
    public Map<String, Object> checkClose(Connection c, Order order, Map<String, Object> evidence, String actor)
            throws SQLException {
        Optional<Long> applying = store.pendingFile(c, order.channel(), order.externalId(), receipts.liveSince());
        if (applying.isPresent()) {
            // its lines so far are part of a payout: the file's end reconciles the order with all of them
            throw refused(order, "payout file receipt " + applying.get() + " is still storing lines for it and "
                    + "reconciles it at its end", Map.of());
        }
        List<SettlementStore.Line> lines = store.forOrder(c, order.channel(), order.externalId());
        Set<String> named = named(c, order, lines, evidence.get("payoutId"));
        if (lines.isEmpty()) {
            for (String id : named) {
                if (store.payoutKnown(c, order.channel(), id)) {
                    throw refused(order, "payout " + id + " has lines for other " + order.channel()
                            + " orders and none for this one", Map.of());
                }
            }
            return Map.of("reconciliation", "no payout line stored for this order: closed on the evidence of " + actor);
        }
        String payouts = payouts(lines);
        Set<String> stored = lines.stream().map(SettlementStore.Line::payoutId).collect(Collectors.toCollection(TreeSet::new));
        Set<String> foreign = new TreeSet<>(named);
        foreign.removeAll(stored);
        if (!foreign.isEmpty()) {
            throw refused(order, "payout " + String.join(",", foreign) + " has no line for this order; its payouts are "
                    + payouts, Map.of());
        }
        Reconciliation.Result result = reconciliation(order, lines);
        if (result.reconciled()) {
            return Map.of("reconciliation", result.detail());
        }
        String detail = mismatch(order, result, payouts).detail();
        Optional<Hold> decided = holds.latest(c, SETTLEMENT_MISMATCH, subject(order));
        if (decided.isPresent() && decided.get().status() == HoldStatus.discarded && detail.equals(decided.get().detail())) {
            Map<String, Object> accepted = new LinkedHashMap<>();
            accepted.put("reconciliation", detail);
            accepted.put("mismatchAcceptedOnHold", decided.get().holdId());
            return accepted;
        }
        if (decided.isPresent() && decided.get().isOpen()) {
            long holdId = decided.get().holdId();
            throw refused(order, "its settlement does not reconcile: " + detail + "; a mismatch is accepted on its "
                    + SETTLEMENT_MISMATCH + " hold " + holdId + " (discard it with a note), then SETTLED closes the order",
                    Map.of("reasonCode", SETTLEMENT_MISMATCH, "holdId", holdId));
        }
        throw refused(order, "its settlement does not reconcile: " + detail + "; no " + SETTLEMENT_MISMATCH
                + " hold has accepted this mismatch yet (it is raised when the payout file is reconciled)",
                Map.of("reasonCode", SETTLEMENT_MISMATCH));
    }

    /**
     * The payouts the evidence names: a JSON list of ids, or a text with one id or several separated by commas. A
     * text with a comma that is itself a stored payout id of the order (or of the channel) is that one id: a
     * channel's payout id may hold a comma, and splitting it would name two payouts that do not exist.
     */
    private Set<String> named(Connection c, Order order, List<SettlementStore.Line> lines, Object given)
            throws SQLException {
        Set<String> named = new TreeSet<>();
        if (given instanceof java.util.Collection<?> list) {
            list.stream().filter(java.util.Objects::nonNull).map(id -> id.toString().strip())
                    .filter(id -> !id.isEmpty()).forEach(named::add);
            if (named.isEmpty()) {
                throw new IllegalArgumentException(OrderEvent.SETTLED + " needs evidence 'payoutId'");
            }
            return named;
        }
        String text = given == null ? "" : given.toString().strip();
        if (text.indexOf(',') >= 0 && (lines.stream().anyMatch(l -> l.payoutId().equals(text))
                || store.payoutKnown(c, order.channel(), text))) {
            named.add(text);
            return named;
        }
        for (String id : text.split(",")) {
            if (!id.isBlank()) {
                named.add(id.strip());
            }
        }
        return named;
    }

    /**
     * The order was closed (by its payouts or by a person): an open SETTLEMENT_MISMATCH hold about it was settled by
     * that fact and is resolved, naming who closed it and how the settlement stood.
     */
    void closed(Connection c, Order order, HistoryEntry entry) throws SQLException {
        Optional<Hold> open = holds.findOpen(c, SETTLEMENT_MISMATCH, subject(order));
        if (open.isPresent() && holds.close(c, open.get().holdId(), HoldStatus.resolved)) {
            Object how = entry.evidence().get("reconciliation");
            holds.recordAction(c, open.get().holdId(), "resolve", entry.actor(), null, "order closed ("
                    + entry.reasonCode() + " by " + entry.actor() + (how == null ? "" : ": " + how) + ")");
        }
    }

    private static IllegalTransitionException refused(Order order, String why, Map<String, Object> details) {
        return new IllegalTransitionException(order.state(), OrderEvent.SETTLED, OrderEvent.SETTLED
                + " is not allowed for this order: " + why, details);
    }

    private static String subject(Order order) {
        return "order " + order.orderId() + " (" + order.channel() + " " + order.externalId() + ")";
    }

    private static String payouts(List<SettlementStore.Line> lines) {
        return lines.stream().map(SettlementStore.Line::payoutId).collect(Collectors.toCollection(TreeSet::new))
                .stream().collect(Collectors.joining(","));
    }

    /** The one reconciliation rule ({@link Reconciliation}) applied to an order and its stored lines. */
    private static Reconciliation.Result reconciliation(Order order, List<SettlementStore.Line> lines) {
        return Reconciliation.check(expected(order), order.currency(), lines.stream()
                .map(l -> new Reconciliation.Line(l.type(), l.amount(), l.currency(), l.payoutId())).toList());
    }

    /** The order's SETTLEMENT_MISMATCH hold, its detail as stored (what a person accepts by discarding it). */
    private static HoldRequest mismatch(Order order, Reconciliation.Result result, String payouts) {
        return HoldRequest.of(SETTLEMENT_MISMATCH, "settlements:" + order.channel(), subject(order),
                result.detail() + " (payouts " + payouts + ")");
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
