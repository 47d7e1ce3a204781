package org.handoff.order;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.handoff.holds.HoldRequest;
import org.handoff.holds.HoldStatus;
import org.handoff.holds.HoldStore;
import org.handoff.inventory.StockChanges;
import org.handoff.inventory.UncountedPicks;
import org.handoff.order.validation.OrderValidator;
import org.handoff.order.validation.SkuResolver;
import org.handoff.order.validation.ValidationContext;
import org.handoff.order.validation.Violation;
import org.handoff.store.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel-neutral order pipeline: every door (webhooks, the CSV inbox) hands it a
 * {@link CanonicalOrder} and a {@link Source}. It finds the order by (channel, externalId) — an order
 * that arrives twice, by any door, exists once — validates it (all rules, one hold), resolves its
 * SKUs, reserves stock atomically and moves it through {@link OrderStateMachine}, writing history for
 * every decision.
 *
 * <p>{@link #submit(CanonicalOrder, Source)} runs in its own transaction and tells {@link StockChanges}
 * after the commit. {@link #submitAll(Connection, List)} decides many orders inside the caller's
 * transaction, set-based (the webhook writer's group commit, a CSV file's batch; one order is a batch of
 * one); the caller then tells {@link StockChanges} about {@link Outcome#changedSkus()} after its commit.
 */
public final class OrderPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(OrderPipeline.class);

    /** Reason codes this pipeline adds to DESIGN §7's list. */
    public static final String CANCEL_AFTER_PICK = "CANCEL_AFTER_PICK";
    public static final String ADDRESS_CHANGE_AFTER_PICK = "ADDRESS_CHANGE_AFTER_PICK";
    public static final String LINES_CHANGE_AFTER_PICK = "LINES_CHANGE_AFTER_PICK";
    public static final String STALE_UPDATE = "STALE_UPDATE";
    /** The order arrived again through another delivery or door (webhook, CSV inbox): recorded, nothing changed. */
    public static final String DUPLICATE = "DUPLICATE";

    /** What became of a submission: accepted, held, duplicate or ignored, with the order and hold. */
    public record Outcome(String result, String orderId, Long holdId, Set<String> changedSkus) {
        public Outcome {
            changedSkus = changedSkus == null ? Set.of() : Set.copyOf(changedSkus);
        }

        static Outcome of(String result, String orderId, Long holdId) {
            return new Outcome(result, orderId, holdId, Set.of());
        }
    }

    private final Jdbc jdbc;
    private final OrderStore store;
    private final HoldStore holds;
    private final OrderMappings mappings;
    private final SkuResolver resolver;
    private final OrderValidator validator;
    private final Supplier<StockChanges> stockChanges;
    private final Clock clock;
    private final Duration maxClockSkew;

    public OrderPipeline(Jdbc jdbc, OrderStore store, HoldStore holds, OrderMappings mappings,
            OrderValidator validator, Supplier<StockChanges> stockChanges, Clock clock, Duration maxClockSkew) {
        this.jdbc = jdbc;
        this.store = store;
        this.holds = holds;
        this.mappings = mappings;
        this.resolver = new SkuResolver(mappings);
        this.validator = validator;
        this.stockChanges = stockChanges;
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
    }

    public OrderStore store() {
        return store;
    }

    // ---- entry points --------------------------------------------------------------------------

    /** One order handed to the pipeline, with where it came from. */
    public record Submission(CanonicalOrder draft, Source source) {}

    /** Submits one order in its own transaction. */
    public Outcome submit(CanonicalOrder draft, Source source) {
        Outcome outcome = jdbc.inTransaction(c -> submit(c, draft, source));
        stockChanged(outcome.changedSkus());
        return outcome;
    }

    /** Submits one order inside the caller's transaction; the caller reports changed SKUs after commit. */
    public Outcome submit(Connection c, CanonicalOrder draft, Source source) throws SQLException {
        return submitAll(c, List.of(new Submission(draft, source))).get(0);
    }

    /**
     * Submits many orders inside the caller's transaction (the webhook writer's group commit, a CSV file's
     * batch), set-based: one lookup of which orders exist, one catalog read, the stock rows locked once in
     * sorted order and reserved in memory, and the new orders, lines and history written as JDBC batches.
     * Outcomes come in submission order; the caller reports their changed SKUs after its commit.
     *
     * <p>If another door or instance creates one of these orders between the lookup and the insert, the
     * unique (channel, externalId) key refuses ours: the batch is undone to its savepoint and decided again,
     * now seeing that order (so this arrival becomes its duplicate or update).
     */
    public List<Outcome> submitAll(Connection c, List<Submission> submissions) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            // named: an unnamed savepoint's SQL carries a new number each time, which H2 parses anew per batch
            Savepoint savepoint = c.setSavepoint("handoff_order_batch");
            try {
                List<Outcome> outcomes = new Batch(c, clock.instant()).run(submissions);
                c.releaseSavepoint(savepoint);
                return outcomes;
            } catch (SQLException e) {
                if (!Jdbc.isDuplicateKey(e) || attempt >= 3) {
                    throw e;
                }
                c.rollback(savepoint);
            }
        }
    }

    /**
     * One transaction's share of the work. New orders (the common case) are decided in memory and their
     * rows buffered; an order that exists already, or repeats within the batch, is decided by reading it
     * back, so everything buffered is written first ({@link #flush}) for it to see.
     */
    private final class Batch {
        final Connection c;
        final Instant now;
        Reservations stock;
        final Set<String> activeSkus = new java.util.HashSet<>();
        final Set<String> catalogChecked = new java.util.HashSet<>();
        final List<Order> inserts = new ArrayList<>();
        final List<OrderStore.Written> history = new ArrayList<>();

        Batch(Connection c, Instant now) {
            this.c = c;
            this.now = now;
        }

        List<Outcome> run(List<Submission> submissions) throws SQLException {
            List<List<SkuResolver.LineResolution>> mapped = new ArrayList<>(submissions.size());
            Set<String> skus = new java.util.TreeSet<>();
            Map<String, List<String>> externalIds = new LinkedHashMap<>();
            for (Submission s : submissions) {
                List<SkuResolver.LineResolution> m = resolver.mapCodes(s.draft(), at(s.draft(), now));
                mapped.add(m);
                m.stream().map(SkuResolver.LineResolution::sku).filter(Objects::nonNull).forEach(skus::add);
                externalIds.computeIfAbsent(s.draft().channel(), k -> new ArrayList<>()).add(s.draft().externalId());
            }
            // the orders that exist, locked before their stock rows: an event on one order (applyEvent: a PICKED,
            // a cancel) takes its order row, then the warehouse watermark, then stock, and a batch that locked
            // stock first could deadlock with it (a channel's cancel racing the WMS's pick)
            Set<String> known = new java.util.HashSet<>();
            for (Map.Entry<String, List<String>> e : new java.util.TreeMap<>(externalIds).entrySet()) {
                for (String id : store.existingExternalIds(c, e.getKey(), e.getValue())) {
                    known.add(key(e.getKey(), id));
                }
            }
            stock = Reservations.lock(c, skus);
            catalog(skus);
            List<Outcome> out = new ArrayList<>(submissions.size());
            for (int i = 0; i < submissions.size(); i++) {
                Submission s = submissions.get(i);
                String key = key(s.draft().channel(), s.draft().externalId());
                if (known.add(key)) {
                    out.add(create(this, s.draft(), s.source(), mapped.get(i)));
                } else {
                    flush();
                    out.add(existing(this, s.draft(), s.source(), mapped.get(i)));
                }
            }
            flush();
            stock.flush(c, now);
            return out;
        }

        /** The active catalog SKUs among these, reading only those not read before in this batch. */
        Set<String> catalog(Collection<String> skus) throws SQLException {
            List<String> unread = skus.stream().filter(sku -> !catalogChecked.contains(sku)).toList();
            if (!unread.isEmpty()) {
                activeSkus.addAll(SkuResolver.activeInCatalog(c, unread));
                catalogChecked.addAll(unread);
            }
            return activeSkus;
        }

        void history(Order order, List<HistoryEntry> entries) {
            if (!entries.isEmpty()) {
                history.add(new OrderStore.Written(order, entries));
            }
        }

        /** Writes the buffered new orders (with lines), then the buffered history (telling its listeners). */
        void flush() throws SQLException {
            store.insert(c, inserts);
            inserts.clear();
            store.addHistory(c, history);
            history.clear();
        }

        private static String key(String channel, String externalId) {
            return channel + '\u0000' + externalId;
        }
    }

    /** An order the store has (or this batch just created): duplicate, update, cancel, or a held one's replay. */
    private Outcome existing(Batch b, CanonicalOrder draft, Source source, List<SkuResolver.LineResolution> mapped)
            throws SQLException {
        Connection c = b.c;
        Order order = store.findByExternal(c, draft.channel(), draft.externalId(), true)
                .orElseThrow(() -> new IllegalStateException("order " + draft.channel() + " " + draft.externalId()
                        + " was looked up but is gone"));
        boolean cancel = source.intent() == Source.Intent.CANCEL || draft.cancelled();
        if (cancel) {
            return cancel(b, order, draft, source);
        }
        return switch (source.intent()) {
            case CREATE -> isReplayOfItsHold(order, source)
                    ? decide(b, asReplayed(order, draft), draft, source, mapped, new ArrayList<>(), true, false)
                    : duplicate(b, order, source);
            case UPDATE, PAID -> update(b, order, draft, source, mapped);
            case CANCEL -> throw new IllegalStateException("handled above");
        };
    }

    /**
     * PICKED of a reserved order: reserved and on-hand drop, and the pick is remembered until a count of its
     * warehouse reflects it ({@link UncountedPicks}). The warehouse's watermark is locked before the stock rows,
     * in the order a snapshot's end takes them.
     */
    private void picked(Connection c, String orderId, TreeMap<String, Integer> q, Map<String, Object> evidence,
                        Instant pickedAt, Instant now) throws SQLException {
        Object named = evidence == null ? null : evidence.get("warehouse");
        Map<String, Optional<String>> from = UncountedPicks.warehouses(c, q.keySet(), named == null ? null : named.toString());
        Set<String> warehouses = new java.util.TreeSet<>();
        from.values().forEach(w -> w.ifPresent(warehouses::add));
        Map<String, Instant> countedAt = UncountedPicks.lockWatermarks(c, warehouses);
        Reservations stock = Reservations.lock(c, q.keySet());
        Map<String, Long> dropped = stock.consume(c, q, UncountedPicks.alreadyCounted(q.keySet(), from, countedAt, pickedAt));
        stock.flush(c, now);
        UncountedPicks.remember(c, orderId, dropped, from, pickedAt);
    }

    /**
     * What an event needs beyond the state machine's rules, decided by the concern that knows (DESIGN §7: SETTLED
     * needs a reconciled settlement, which the settlement concern computes). Checked in
     * {@link #applyEvent(Connection, String, OrderEvent, Map, String, Instant, Set)} under the order's lock, whoever
     * posts the event.
     */
    @FunctionalInterface
    public interface Condition {
        /**
         * Throws {@link IllegalTransitionException} (with why, and where it is decided) when the order may not move;
         * otherwise returns evidence to record with the event besides what was given (may be empty).
         */
        Map<String, Object> check(Connection c, Order order, Map<String, Object> evidence, String actor)
                throws SQLException;
    }

    private final Map<OrderEvent, Condition> conditions = new java.util.concurrent.ConcurrentHashMap<>();

    /** Registers the one condition {@code event} needs (at wiring). */
    public void condition(OrderEvent event, Condition condition) {
        if (conditions.putIfAbsent(event, condition) != null) {
            throw new IllegalStateException("a condition for " + event + " is registered already");
        }
    }

    /**
     * Applies an evidence event (operator API, WMS, carrier) in its own transaction. Throws
     * {@link IllegalTransitionException} when the state machine forbids it, and
     * {@link IllegalArgumentException} when required evidence is missing.
     */
    public Order applyEvent(String orderId, OrderEvent event, Map<String, Object> evidence, String actor,
            Instant observedAt) {
        Set<String> changed = new java.util.HashSet<>();
        Order after = jdbc.inTransaction(c -> applyEvent(c, orderId, event, evidence, actor, observedAt, changed));
        stockChanged(changed);
        return store.find(after.orderId()).orElseThrow();
    }

    /**
     * {@link #applyEvent(String, OrderEvent, Map, String, Instant)} inside the caller's transaction (a
     * dispatch file's batch, a carrier event); SKUs whose stock moved are added to {@code changed} for the
     * caller to report after its commit.
     */
    public Order applyEvent(Connection c, String orderId, OrderEvent event, Map<String, Object> evidence,
            String actor, Instant observedAt, Set<String> changed) throws SQLException {
        for (String field : event.requiredEvidence()) {
            Object value = evidence == null ? null : evidence.get(field);
            if (value == null || value.toString().isBlank()) {
                throw new IllegalArgumentException(event + " needs evidence '" + field + "'");
            }
        }
        Order order = store.find(c, orderId, false, true)
                .orElseThrow(() -> new java.util.NoSuchElementException("order " + orderId));
        OrderState to = OrderStateMachine.require(order.state(), event);
        Condition condition = conditions.get(event);
        if (condition != null) {
            Map<String, Object> more = condition.check(c, order, evidence == null ? Map.of() : evidence, actor);
            if (!more.isEmpty()) {
                Map<String, Object> all = new LinkedHashMap<>(evidence == null ? Map.of() : evidence);
                all.putAll(more);
                evidence = all;
            }
        }
        Instant now = clock.instant();
        boolean reserved = order.reserved();
        Long holdId = order.holdId();
        String payment = order.paymentStatus();
        if ((event == OrderEvent.CANCEL_REQUESTED || event == OrderEvent.PICKED) && reserved) {
            // cancelled: the units are free again; picked: they have left the shelf (on-hand and reserved both drop)
            TreeMap<String, Integer> q = Reservations.quantities(order.lines());
            if (event == OrderEvent.PICKED) {
                picked(c, orderId, q, evidence, observedAt == null ? now : observedAt, now);
            } else {
                Reservations stock = Reservations.lock(c, q.keySet());
                stock.release(c, q);
                stock.flush(c, now);
            }
            changed.addAll(q.keySet());
            reserved = false;
        }
        if (event == OrderEvent.CANCEL_REQUESTED && holdId != null) {
            resolveHold(c, holdId, actor, "order cancelled");
            holdId = null;
        }
        if (event == OrderEvent.PAYMENT_CAPTURED) {
            payment = PaymentStatus.PAID;
        }
        Order updated = with(order, order.shipTo(), order.email(), order.shippingMethod(), payment, to, reserved,
                holdId, order.channelUpdatedAt(), now);
        store.update(c, updated);
        store.addHistory(c, updated, List.of(new HistoryEntry(order.state(), to, event.name(),
                evidence, actor, now, observedAt == null ? now : observedAt)));
        return updated;
    }

    // ---- create --------------------------------------------------------------------------------

    private Outcome create(Batch b, CanonicalOrder draft, Source source, List<SkuResolver.LineResolution> mapped)
            throws SQLException {
        Instant now = b.now;
        String orderId = newOrderId();
        Order received = new Order(orderId, draft.channel(), draft.externalId(), draft.placedAt(), draft.currency(),
                draft.email(), List.of(), draft.shipTo(), draft.shippingMethod(), draft.paymentStatus(),
                OrderState.RECEIVED, false, null, draft.updatedAt(), now, now, List.of());
        List<HistoryEntry> history = new ArrayList<>();
        history.add(new HistoryEntry(null, OrderState.RECEIVED, "RECEIVED", receivedEvidence(source), source.actor(),
                now, observed(source, now)));
        if (draft.cancelled()) {
            // the first we hear of it is its cancellation: record it, reserve nothing
            List<OrderLine> lines = toLines(mapped);
            Order cancelled = with(received, OrderState.CANCELLED, false, null, now).withLines(lines);
            history.add(new HistoryEntry(OrderState.RECEIVED, OrderState.CANCELLED, OrderEvent.CANCEL_REQUESTED.name(),
                    Map.of("reason", "cancelled by the channel before the hub saw it"), source.actor(), now,
                    observed(source, now)));
            b.inserts.add(cancelled);
            b.history(cancelled, history);
            return Outcome.of("accepted", orderId, null);
        }
        return decide(b, received, draft, source, mapped, history, true, true);
    }

    /** The same order again (another delivery, another door): nothing changes, the arrival and its source are recorded. */
    private Outcome duplicate(Batch b, Order order, Source source) {
        Instant now = b.now;
        b.history(order, List.of(new HistoryEntry(order.state(), order.state(), DUPLICATE,
                receivedEvidence(source), source.actor(), now, observed(source, now))));
        return Outcome.of("duplicate", order.orderId(), order.holdId());
    }

    // ---- update, cancel ------------------------------------------------------------------------

    private Outcome update(Batch b, Order order, CanonicalOrder draft, Source source,
            List<SkuResolver.LineResolution> mapped) throws SQLException {
        Connection c = b.c;
        Instant now = b.now;
        List<HistoryEntry> history = new ArrayList<>();
        if (draft.updatedAt() != null && order.channelUpdatedAt() != null
                && draft.updatedAt().isBefore(order.channelUpdatedAt())) {
            OrderState s = OrderStateMachine.require(order.state(), OrderEvent.STALE_UPDATE);
            Map<String, Object> evidence = new LinkedHashMap<>(receivedEvidence(source));
            evidence.put("updatedAt", draft.updatedAt().toString());
            evidence.put("lastAppliedUpdatedAt", order.channelUpdatedAt().toString());
            b.history(order, List.of(new HistoryEntry(order.state(), s, STALE_UPDATE, evidence,
                    source.actor(), now, observed(source, now))));
            LOG.info("order {}: stale update from {} recorded, not applied", order.orderId(), source.channel());
            return Outcome.of("ignored", order.orderId(), null);
        }
        String payment = source.intent() == Source.Intent.PAID ? PaymentStatus.PAID
                : draft.paymentStatus() != null ? draft.paymentStatus() : order.paymentStatus();
        boolean addressChanged = !sameAddress(order.shipTo(), draft.shipTo());
        Instant channelUpdatedAt = OrderStore.later(order.channelUpdatedAt(), draft.updatedAt());
        if (addressChanged && !OrderStateMachine.allows(order.state(), OrderEvent.ADDRESS_CHANGED)) {
            // the parcel may already be packed: a person must intercept it
            long holdId = holds.raise(c, new HoldRequest(ADDRESS_CHANGE_AFTER_PICK, source.channel(), subject(order),
                    "address changed after the order was " + order.state() + "; new ship-to: "
                            + describe(draft.shipTo()), source.payload(), source.headers(), null, null), null);
            b.history(order, List.of(new HistoryEntry(order.state(), order.state(),
                    ADDRESS_CHANGE_AFTER_PICK, Map.of("holdId", holdId, "deliveryKey", String.valueOf(source.deliveryKey())),
                    source.actor(), now, observed(source, now))));
            return Outcome.of("held", order.orderId(), holdId);
        }
        boolean linesChanged = !sameLines(order.lines(), mapped);
        if (linesChanged && !OrderStateMachine.allows(order.state(), OrderEvent.LINES_CHANGED)) {
            // the units may be packed already: a person decides (ship as picked, or intercept and re-pick)
            long holdId = holds.raise(c, new HoldRequest(LINES_CHANGE_AFTER_PICK, source.channel(), subject(order),
                    "the channel changed the lines after the order was " + order.state() + "; new lines: "
                            + describeLines(mapped), source.payload(), source.headers(), null, null), null);
            b.history(order, List.of(new HistoryEntry(order.state(), order.state(),
                    LINES_CHANGE_AFTER_PICK, Map.of("holdId", holdId, "deliveryKey", String.valueOf(source.deliveryKey())),
                    source.actor(), now, observed(source, now))));
            return Outcome.of("held", order.orderId(), holdId);
        }
        if (addressChanged) {
            history.add(new HistoryEntry(order.state(), order.state(), OrderEvent.ADDRESS_CHANGED.name(),
                    Map.of("shipTo", describe(draft.shipTo())), source.actor(), now, observed(source, now)));
        }
        boolean reserved = order.reserved();
        Set<String> released = Set.of();
        if (linesChanged) {
            // before the pick the channel's lines are the order: the old reservation goes back and the new lines
            // are validated and reserved all or nothing (short: the order is held, and the WMS told to cancel)
            history.add(new HistoryEntry(order.state(), order.state(), OrderEvent.LINES_CHANGED.name(),
                    Map.of("lines", describeLines(mapped)), source.actor(), now, observed(source, now)));
            if (reserved) {
                TreeMap<String, Integer> old = Reservations.quantities(order.lines());
                b.stock.release(c, old);
                released = old.keySet();
                reserved = false;
            }
        }
        Order updated = with(order, addressChanged ? draft.shipTo() : order.shipTo(),
                draft.email() != null ? draft.email() : order.email(),
                draft.shippingMethod() != null ? draft.shippingMethod() : order.shippingMethod(),
                payment, order.state(), reserved, order.holdId(), channelUpdatedAt, now);
        boolean revalidate = addressChanged || linesChanged || order.state() == OrderState.HELD;
        Outcome outcome = decide(b, updated, draft, source, mapped, history, revalidate, false);
        if (released.isEmpty()) {
            return outcome;
        }
        Set<String> changed = new java.util.TreeSet<>(outcome.changedSkus());
        changed.addAll(released);
        return new Outcome(outcome.result(), outcome.orderId(), outcome.holdId(), changed);
    }

    /**
     * Whether the channel's lines are the stored ones: the same SKUs (the master SKU when known, so the same order
     * through another door, which names its lines otherwise, is the same) with the same quantities, in any order.
     */
    static boolean sameLines(List<OrderLine> stored, List<SkuResolver.LineResolution> sent) {
        if (stored.size() != sent.size()) {
            return false;
        }
        List<String> a = new ArrayList<>();
        for (OrderLine l : stored) {
            a.add((l.sku() != null ? l.sku() : "?" + l.channelSku()) + "\u0000" + l.quantity());
        }
        List<String> b = new ArrayList<>();
        for (SkuResolver.LineResolution r : sent) {
            b.add((r.sku() != null ? r.sku() : "?" + r.line().channelCode()) + "\u0000" + r.line().quantity());
        }
        java.util.Collections.sort(a);
        java.util.Collections.sort(b);
        return a.equals(b);
    }

    private static String describeLines(List<SkuResolver.LineResolution> lines) {
        List<String> parts = new ArrayList<>();
        for (SkuResolver.LineResolution r : lines) {
            parts.add(r.line().quantity() + " x " + r.line().channelCode());
        }
        return String.join(", ", parts);
    }

    private Outcome cancel(Batch b, Order order, CanonicalOrder draft, Source source) throws SQLException {
        Connection c = b.c;
        Instant now = b.now;
        if (order.state() == OrderState.CANCELLED) {
            return Outcome.of("ignored", order.orderId(), null);
        }
        Optional<OrderState> to = OrderStateMachine.next(order.state(), OrderEvent.CANCEL_REQUESTED);
        if (to.isEmpty()) {
            long holdId = holds.raise(c, new HoldRequest(CANCEL_AFTER_PICK, source.channel(), subject(order),
                    "the channel cancelled the order after it was " + order.state() + "; intercept the parcel",
                    source.payload(), source.headers(), null, null), null);
            b.history(order, List.of(new HistoryEntry(order.state(), order.state(),
                    CANCEL_AFTER_PICK, Map.of("holdId", holdId), source.actor(), now, observed(source, now))));
            return Outcome.of("held", order.orderId(), holdId);
        }
        TreeMap<String, Integer> released = order.reserved() ? Reservations.quantities(order.lines()) : new TreeMap<>();
        b.stock.release(c, released);
        if (order.holdId() != null) {
            resolveHold(c, order.holdId(), source.actor(), "order cancelled by the channel");
        }
        Order cancelled = with(order, order.shipTo(), order.email(), order.shippingMethod(), order.paymentStatus(),
                to.get(), false, null, OrderStore.later(order.channelUpdatedAt(), draft.updatedAt()), now);
        store.update(c, cancelled);
        Map<String, Object> evidence = new LinkedHashMap<>(receivedEvidence(source));
        evidence.put("reason", "cancelled by " + source.channel());
        if (!released.isEmpty()) {
            evidence.put("released", released);
        }
        b.history(cancelled, List.of(new HistoryEntry(order.state(), to.get(),
                OrderEvent.CANCEL_REQUESTED.name(), evidence, source.actor(), now, observed(source, now))));
        return new Outcome("accepted", order.orderId(), null, released.keySet());
    }

    // ---- the decision: validate, reserve, accept or hold, payment ------------------------------

    /**
     * Settles an order that exists (RECEIVED just now, HELD, or changed by an update): when
     * {@code revalidate}, runs every rule and reserves what is not reserved yet; then accepts or holds,
     * and moves an accepted, paid order on to READY_TO_PICK. Writes the row ({@code isNew}: inserts it,
     * with its lines) and the history.
     */
    private Outcome decide(Batch b, Order order, CanonicalOrder draft, Source source,
            List<SkuResolver.LineResolution> mapped, List<HistoryEntry> history, boolean revalidate, boolean isNew)
            throws SQLException {
        Connection c = b.c;
        Instant now = b.now;
        Instant observed = observed(source, now);
        OrderState state = order.state();
        boolean reserved = order.reserved();
        Long holdId = order.holdId();
        List<OrderLine> lines = order.lines();
        Set<String> changed = new java.util.TreeSet<>();
        if (revalidate) {
            List<SkuResolver.LineResolution> resolved = SkuResolver.checkCatalog(mapped, b.catalog(mapped.stream()
                    .map(SkuResolver.LineResolution::sku).filter(Objects::nonNull).toList()));
            List<Violation> violations = validator.validate(draft,
                    new ValidationContext(now, maxClockSkew, mappings, resolved));
            if (reserved) {
                // the lines are already resolved and reserved: only the address and time rules matter now
                violations.removeIf(v -> v.reasonCode().equals(SkuResolver.UNKNOWN_SKU)
                        || v.reasonCode().equals(SkuResolver.UNMAPPED_VARIANT));
            } else {
                lines = toLines(resolved);
            }
            Map<String, Object> reservedEvidence = Map.of();
            if (violations.isEmpty() && !reserved) {
                TreeMap<String, Integer> quantities = Reservations.quantities(lines);
                List<String> shortSkus = b.stock.reserve(c, quantities);
                if (shortSkus.isEmpty()) {
                    reserved = true;
                    changed.addAll(quantities.keySet());
                    reservedEvidence = Map.of("reserved", quantities);
                } else {
                    violations.add(new Violation(Reservations.INSUFFICIENT_STOCK, shortage(b.stock, shortSkus, quantities)));
                }
            }
            if (violations.isEmpty()) {
                if (state != OrderState.ACCEPTED && state != OrderState.READY_TO_PICK) {
                    OrderState to = OrderStateMachine.require(state, OrderEvent.ACCEPT);
                    Map<String, Object> evidence = new LinkedHashMap<>(reservedEvidence);
                    if (holdId != null) {
                        evidence.put("holdId", holdId);
                    }
                    history.add(new HistoryEntry(state, to, "STOCK_RESERVED", evidence, source.actor(), now, observed));
                    state = to;
                }
                if (holdId != null && !Objects.equals(holdId, source.replayOf())) {
                    // a later fact settled it; a replay's own hold is closed by the release itself
                    resolveHold(c, holdId, source.actor(), "order accepted after " + source.intent().name().toLowerCase());
                }
                holdId = null;
            } else {
                Violation first = violations.get(0);
                HoldRequest request = new HoldRequest(first.reasonCode(), source.channel(), subject(order),
                        describe(violations), source.payload(), source.headers(), source.entryEndpoint(), null);
                Long replayOf = source.replayOf();
                if (replayOf == null && holdId != null) {
                    // a newer payload supersedes the one the old hold would replay
                    resolveHold(c, holdId, source.actor(), "superseded by a newer delivery");
                }
                holdId = holds.raise(c, request, replayOf);
                OrderState to = OrderStateMachine.require(state, OrderEvent.HOLD);
                Map<String, Object> evidence = new LinkedHashMap<>();
                evidence.put("holdId", holdId);
                evidence.put("violations", violations.stream().map(Violation::toString).toList());
                history.add(new HistoryEntry(state, to, first.reasonCode(), evidence, source.actor(), now, observed));
                state = to;
            }
        }
        String payment = order.paymentStatus();
        if (state == OrderState.ACCEPTED && PaymentStatus.isPaid(payment)) {
            OrderState to = OrderStateMachine.require(state, OrderEvent.PAYMENT_CAPTURED);
            history.add(new HistoryEntry(state, to, OrderEvent.PAYMENT_CAPTURED.name(),
                    Map.of("paymentReference", source.channel() + ":" + payment), source.actor(), now, observed));
            state = to;
        }
        Order settled = with(order, order.shipTo(), order.email(), order.shippingMethod(), payment, state, reserved,
                holdId, order.channelUpdatedAt(), now).withLines(lines);
        if (isNew) {
            b.inserts.add(settled);
        } else {
            store.update(c, settled);
            if (lines != order.lines()) {
                store.replaceLines(c, order.orderId(), lines);
            }
        }
        b.history(settled, history);
        String result = state == OrderState.HELD ? "held" : "accepted";
        return new Outcome(result, order.orderId(), state == OrderState.HELD ? holdId : null, changed);
    }

    private static String shortage(Reservations stock, List<String> shortSkus, Map<String, Integer> wanted) {
        List<String> parts = new ArrayList<>();
        for (String sku : shortSkus) {
            parts.add(sku + " needs " + wanted.get(sku) + ", "
                    + stock.available(sku).map(a -> Math.max(0, a) + " available").orElse("no stock row"));
        }
        return "not enough physical stock: " + String.join("; ", parts);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void resolveHold(Connection c, long holdId, String actor, String fact) throws SQLException {
        if (holds.close(c, holdId, HoldStatus.resolved)) {
            holds.recordAction(c, holdId, "resolve", actor, null, fact);
        }
    }

    /**
     * A held order as its hold's replay states it: the payload released (the original, or the operator's correction,
     * e.g. the missing phone added) is what was validated, so it is what the order keeps and the WMS is sent, as a
     * create stores its draft. Lines are settled by {@link #decide} (kept while reserved). Payment only moves
     * forward: a capture recorded while the order was held (operator API) stands against the older payload's status.
     */
    private static Order asReplayed(Order o, CanonicalOrder draft) {
        String payment = PaymentStatus.isPaid(o.paymentStatus()) || draft.paymentStatus() == null
                ? o.paymentStatus() : draft.paymentStatus();
        return new Order(o.orderId(), o.channel(), o.externalId(), draft.placedAt(), draft.currency(), draft.email(),
                o.lines(), draft.shipTo(), draft.shippingMethod(), payment, o.state(), o.reserved(),
                o.holdId(), OrderStore.later(o.channelUpdatedAt(), draft.updatedAt()), o.createdAt(), o.updatedAt(),
                List.of());
    }

    private static boolean isReplayOfItsHold(Order order, Source source) {
        return source.replayOf() != null && order.state() == OrderState.HELD;
    }

    private void stockChanged(Set<String> skus) {
        if (skus.isEmpty()) {
            return;
        }
        StockChanges listener = stockChanges.get();
        if (listener != null) {
            try {
                listener.changed(skus);
            } catch (RuntimeException e) {
                LOG.warn("ATS recomputation after a reservation failed: {}", e.getMessage());
            }
        }
    }

    /** Tells the ATS side about SKUs whose reservations changed (after the caller's commit). */
    public void notifyStockChanged(Set<String> skus) {
        stockChanged(skus);
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * A UUID version 7: 48 bits of Unix milliseconds, then random bits. Ids of new orders sort by time, so
     * inserts land at the right edge of the orders indexes instead of on random pages (a write the store
     * has to rewrite on every commit).
     */
    static String newOrderId() {
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
        long low = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static Instant at(CanonicalOrder draft, Instant now) {
        return draft.placedAt() != null ? draft.placedAt() : now;
    }

    private static Instant observed(Source source, Instant now) {
        return source.observedAt() != null ? source.observedAt() : now;
    }

    private static Map<String, Object> receivedEvidence(Source source) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("intent", source.intent().name().toLowerCase());
        if (source.deliveryKey() != null) {
            evidence.put("deliveryKey", source.deliveryKey());
        }
        return evidence;
    }

    private static List<OrderLine> toLines(List<SkuResolver.LineResolution> resolved) {
        List<OrderLine> out = new ArrayList<>(resolved.size());
        for (SkuResolver.LineResolution r : resolved) {
            out.add(new OrderLine(r.sku(), r.line().channelCode(), r.line().quantity(), r.line().unitPrice()));
        }
        return out;
    }

    private static String subject(Order order) {
        return order.channel() + " order " + order.externalId() + " (" + order.orderId() + ")";
    }

    private static String describe(List<Violation> violations) {
        return String.join("; ", violations.stream().map(Violation::toString).toList());
    }

    /** The address as text for evidence and holds; never logged. */
    private static String describe(ShipTo s) {
        return String.join(", ", java.util.stream.Stream.of(s.name(), s.address1(), s.address2(), s.postcode(),
                s.city(), s.country()).filter(Objects::nonNull).filter(v -> !v.isBlank()).toList());
    }

    private static boolean sameAddress(ShipTo a, ShipTo b) {
        return Objects.equals(norm(a.name()), norm(b.name())) && Objects.equals(norm(a.address1()), norm(b.address1()))
                && Objects.equals(norm(a.address2()), norm(b.address2())) && Objects.equals(norm(a.city()), norm(b.city()))
                && Objects.equals(norm(a.postcode()), norm(b.postcode()))
                && Objects.equals(norm(a.country()), norm(b.country())) && Objects.equals(norm(a.phone()), norm(b.phone()));
    }

    private static String norm(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Order with(Order o, ShipTo shipTo, String email, String method, String payment, OrderState state,
            boolean reserved, Long holdId, Instant channelUpdatedAt, Instant now) {
        return new Order(o.orderId(), o.channel(), o.externalId(), o.placedAt(), o.currency(), email, o.lines(), shipTo,
                method, payment, state, reserved, holdId, channelUpdatedAt, o.createdAt(), now, List.of());
    }

    private static Order with(Order o, OrderState state, boolean reserved, Long holdId, Instant now) {
        return with(o, o.shipTo(), o.email(), o.shippingMethod(), o.paymentStatus(), state, reserved, holdId,
                o.channelUpdatedAt(), now);
    }
}
