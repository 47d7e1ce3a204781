package org.handoff.lifecycle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.handoff.OutboundHttp;
import org.handoff.OutboundPause;
import org.handoff.security.OutboundAuth;
import org.handoff.Headers;
import org.handoff.api.Json;
import org.handoff.holds.HoldService;
import org.handoff.holds.HoldStatus;
import org.handoff.holds.HoldStore;
import org.handoff.store.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WMS outbox: messages are written by {@link WmsExport} in the same transaction as the order's state
 * change, and drained by the wms-outbox routes in rounds. A round claims the due messages ({@code sending})
 * in one transaction, sends each, and marks those the WMS (or the outbox folder) took {@code sent} in one
 * transaction at its end, so a crash in between re-sends them under the same Idempotency-Key (same file
 * name), never a second message. A send that fails past its retries is held (DOWNSTREAM_UNAVAILABLE) and
 * re-sent by the hold's release, which reads the message fresh and marks it sent at once. Neither the re-send
 * of a lapsed claim nor a release sends a pick ticket that a later message of its order (a cancel, a
 * replacement) superseded meanwhile ({@link #supersedeIfReplaced}): one rule wherever a ticket would go again.
 */
public final class WmsOutbox implements org.handoff.Wiring.ContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(WmsOutbox.class);
    /** A message's row, without its payload (kept apart: see V43). */
    private static final String COLUMNS = "message_id, order_id, version, kind, idempotency_key, status, "
            + "attempts, hold_id, created_at, sent_at";
    /** The row and its payload (kept by message id, V62), for the messages about to be sent. */
    private static final String WITH_PAYLOAD = COLUMNS + ", (select p.payload from wms_outbox_payload p "
            + "where p.message_id = wms_outbox.message_id) payload";

    public static final String SEND_ENDPOINT = "direct:wms-send";
    /** Who resolves the hold of a ticket superseded while it was held. */
    static final String ACTOR = "system:wms-outbox";
    /** Exchange properties the wms-send route branches on. */
    public static final String URI = "wmsUri";
    public static final String SKIP = "wmsSkip";
    private static final String MESSAGE = "wmsMessageId";
    /** The claimed row, on an exchange the drain sends (absent on a hold's release). */
    private static final String CLAIMED = "wmsClaimed";
    /** The message an exchange is about, kept in its hold's headers for the release. */
    public static final String MESSAGE_HEADER = "HandoffWmsMessageId";

    private final Jdbc jdbc;
    private final HoldStore holds;
    private final Clock clock;
    private final String url;
    private final int timeoutMs;
    private final Duration claimTimeout;
    private final int batch;
    private final Duration keepingUp;
    private final WmsFolder folder;
    private final OutboundAuth.Credential credential;
    /** Whether the WMS is down: then the drain claims nothing for a while. */
    private final OutboundPause pause;
    /**
     * Set when the WMS takes messages again after not answering (and at start): the drain's next claim puts the
     * messages held meanwhile back in the queue ({@link #REQUEUE}), so they go out by themselves, in message order,
     * instead of waiting for an operator's release.
     */
    private final java.util.concurrent.atomic.AtomicBoolean requeueHeld = new java.util.concurrent.atomic.AtomicBoolean(true);
    private org.apache.camel.ProducerTemplate producer;

    /**
     * @param url the WMS endpoint (camel-http); blank: files in {@code folder}
     * @param keepingUp how old the oldest message of a full round may be for the drain to run its next round
     *                  at once (it is keeping up); older, and it is behind: one round per poll delay
     * @param folder the outbox folder ({@code <data-dir>/outbox/wms})
     * @param credential sent with every HTTP message (from HANDOFF_WMS_AUTH); null: none
     * @param unreachablePause how long the drain claims nothing after a round in which the WMS did not take a
     *                         message past its retries; doubled for each such round in a row, up to 8 times
     */
    public WmsOutbox(Jdbc jdbc, HoldStore holds, Clock clock, String url, int timeoutMs, Duration claimTimeout,
            int batch, Duration keepingUp, java.nio.file.Path folder, OutboundAuth.Credential credential,
            Duration unreachablePause) {
        this.credential = credential;
        this.pause = new OutboundPause(unreachablePause);
        this.keepingUp = keepingUp;
        this.jdbc = jdbc;
        this.holds = holds;
        this.clock = clock;
        this.url = url == null || url.isBlank() ? null : url.trim();
        this.timeoutMs = timeoutMs;
        this.claimTimeout = claimTimeout;
        this.batch = batch;
        this.folder = new WmsFolder(folder);
    }

    // ---- written with the order's transition (WmsExport) --------------------------------------

    /**
     * Adds a message with the order's next version; the payload is told its version and key. For an order
     * created in this very transaction ({@code first}) that version is 1 without asking.
     */
    public void enqueue(Connection c, String orderId, boolean first, String kind,
            java.util.function.BiFunction<Integer, String, Map<String, Object>> payload) throws SQLException {
        int version = first ? 1 : Jdbc.queryOne(c, "select max(version) from wms_outbox where order_id = ?",
                rs -> rs.getInt(1), orderId).orElse(0) + 1;
        insert(c, List.of(new Queued(orderId, version, kind, payload)));
    }

    /** A message to add: the order, its version (1 for an order's first), kind, and payload for (version, key). */
    public record Queued(String orderId, int version, String kind,
            java.util.function.BiFunction<Integer, String, Map<String, Object>> payload) {}

    /** Adds messages whose versions are known (new orders' first tickets), as one JDBC batch. */
    public void insert(Connection c, List<Queued> messages) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        try (PreparedStatement row = c.prepareStatement("insert into wms_outbox (order_id, version, kind, "
                + "idempotency_key, status, attempts, created_at) values (?, ?, ?, ?, 'pending', 0, ?)");
                // the payload under the message id the row was just given, found by the row's unique (order_id, version)
                PreparedStatement payload = c.prepareStatement("insert into wms_outbox_payload (message_id, payload) "
                        + "select message_id, ? from wms_outbox where order_id = ? and version = ?")) {
            for (Queued m : messages) {
                String key = WmsMessage.key(m.orderId(), m.version());
                Jdbc.bind(row, m.orderId(), m.version(), m.kind(), key, now);
                row.addBatch();
                Jdbc.bind(payload, Json.write(m.payload().apply(m.version(), key)), m.orderId(), m.version());
                payload.addBatch();
                LOG.debug("order {}: {} {} queued for the WMS", m.orderId(), m.kind(), key);
            }
            row.executeBatch();
            payload.executeBatch();
        }
    }

    /** The pick tickets still standing at the WMS (or on their way): those after the order's last cancel. */
    public List<WmsMessage> liveTickets(Connection c, String orderId) throws SQLException {
        List<WmsMessage> all = Jdbc.query(c, "select " + COLUMNS + " from wms_outbox where order_id = ? order by version",
                WmsOutbox::mapWithoutPayload, orderId);
        List<WmsMessage> live = new ArrayList<>();
        for (WmsMessage m : all) {
            if (WmsMessage.CANCEL.equals(m.kind())) {
                live.clear();
            } else if (!WmsMessage.SUPERSEDED.equals(m.status())) {
                live.add(m);
            }
        }
        return live;
    }

    /**
     * Withdraws a ticket the WMS cannot have seen yet (pending, or held after failed sends): true when it
     * was withdrawn, false when it may already be there (a cancel must follow). A held ticket's hold is
     * resolved, so its release can never send a ticket for an order that no longer wants picking.
     */
    public boolean withdraw(Connection c, WmsMessage m, String actor, String why) throws SQLException {
        if (WmsMessage.PENDING.equals(m.status()) && m.holdId() != null) {
            // held once and queued again to go out by itself (REQUEUE): its earlier send may have reached the WMS
            Jdbc.update(c, "update wms_outbox set status = 'superseded' where message_id = ? and status = 'pending'",
                    m.messageId());
            if (holds.close(c, m.holdId(), HoldStatus.resolved)) {
                holds.recordAction(c, m.holdId(), "resolve", actor, null, why);
            }
            return false;
        }
        if (WmsMessage.PENDING.equals(m.status())) {
            return Jdbc.update(c, "update wms_outbox set status = 'superseded' where message_id = ? and status = 'pending'",
                    m.messageId()) == 1;
        }
        if (WmsMessage.HELD.equals(m.status())) {
            Jdbc.update(c, "update wms_outbox set status = 'superseded' where message_id = ? and status = 'held'",
                    m.messageId());
            if (m.holdId() != null && holds.close(c, m.holdId(), HoldStatus.resolved)) {
                holds.recordAction(c, m.holdId(), "resolve", actor, null, why);
            }
            // a send that timed out may still have reached the WMS: the caller sends a cancel as well
            return false;
        }
        return false;
    }

    /**
     * A pick ticket whose order has a later message (its cancel, or a ticket replacing it, queued while this one
     * was being sent, so withdraw() could not take it back) must never go (again), or the WMS would get the old
     * ticket after the message that withdrew it. That holds wherever it would be sent from: a held ticket (its
     * send failed past its retries, or its hold is released) and a claim that lapsed (its sender died mid-send,
     * and the drain would re-send it). It is superseded, and its hold (if any) resolved, saying by what. The
     * later message still goes: a cancel names the tickets it cancels, in case this one reached the WMS before.
     * A cancel is never superseded: the tickets it names stay cancelled whatever followed.
     */
    boolean supersedeIfReplaced(Connection c, WmsMessage m) throws SQLException {
        return supersedeIfReplaced(c, m, "status = 'held'");
    }

    /**
     * The same for a row as {@link #due()} read it: held rows are not due; a lapsed claim ({@code sending},
     * claimed before {@code stale}) only while it is still lapsed, so a claim another instance just renewed
     * or took is left alone.
     */
    private boolean supersedeIfReplaced(Connection c, WmsMessage m, Instant stale) throws SQLException {
        if (WmsMessage.PENDING.equals(m.status()) && m.holdId() != null) {
            // a held ticket queued again (REQUEUE): as while it was held
            return supersedeIfReplaced(c, m, "status = 'pending'");
        }
        return WmsMessage.SENDING.equals(m.status())
                && supersedeIfReplaced(c, m, "status = 'sending' and claimed_at < ?", stale);
    }

    private boolean supersedeIfReplaced(Connection c, WmsMessage m, String stillAsRead, Object... params)
            throws SQLException {
        if (!WmsMessage.PICK_TICKET.equals(m.kind())) {
            return false;
        }
        Optional<WmsMessage> later = Jdbc.queryOne(c, "select " + COLUMNS + " from wms_outbox where order_id = ? "
                + "and version > ? order by version limit 1", WmsOutbox::mapWithoutPayload, m.orderId(), m.version());
        if (later.isEmpty()) {
            return false;
        }
        Object[] args = new Object[params.length + 1];
        args[0] = m.messageId();
        System.arraycopy(params, 0, args, 1, params.length);
        if (Jdbc.update(c, "update wms_outbox set status = 'superseded' where message_id = ? and " + stillAsRead,
                args) != 1) {
            return false;
        }
        String why = m.describe() + (WmsMessage.SENDING.equals(m.status()) ? " not sent again after its claim lapsed"
                : " not sent") + ": superseded by " + later.get().describe();
        if (m.holdId() != null && holds.close(c, m.holdId(), HoldStatus.resolved)) {
            holds.recordAction(c, m.holdId(), "resolve", ACTOR, null, why);
        }
        LOG.info("WMS {}", why);
        return true;
    }

    /**
     * The due rows of a round, less the lapsed claims of pick tickets a later message of their order
     * supersedes (superseded now, in the round's transaction), and less the held messages queued again whose hold
     * the operator discarded meanwhile (held again: {@link #heldAgainByOperator}): what is left is to be claimed and sent.
     */
    private List<WmsMessage> notSuperseded(Connection c, List<WmsMessage> due, Instant stale) throws SQLException {
        List<WmsMessage> left = null;
        for (int i = 0; i < due.size(); i++) {
            if (supersedeIfReplaced(c, due.get(i), stale) || heldAgainByOperator(c, due.get(i))) {
                if (left == null) {
                    left = new ArrayList<>(due.subList(0, i));
                }
            } else if (left != null) {
                left.add(due.get(i));
            }
        }
        return left == null ? due : left;
    }

    /**
     * A held message queued again ({@link #REQUEUE}) whose hold the operator closed meanwhile (discarded it: not to
     * go) is held again, as it was before it was queued, and not sent; true when so. Its hold being open is what
     * queued it, and only the drain resolves one after it is sent ({@link #markSent}).
     */
    private static boolean heldAgainByOperator(Connection c, WmsMessage m) throws SQLException {
        if (!WmsMessage.PENDING.equals(m.status()) || m.holdId() == null) {
            return false;
        }
        if (Jdbc.update(c, "update wms_outbox set status = 'held' where message_id = ? and status = 'pending' "
                + "and not exists (select 1 from holds where hold_id = ? and status = 'open')", m.messageId(),
                m.holdId()) != 1) {
            return false;
        }
        LOG.info("WMS {} not sent: its hold {} was closed by the operator after it was queued again", m.describe(),
                m.holdId());
        return true;
    }

    public Optional<WmsMessage> find(long messageId) {
        return jdbc.queryOne("select " + WITH_PAYLOAD + " from wms_outbox where message_id = ?", WmsOutbox::map,
                messageId);
    }

    public List<WmsMessage> ofOrder(String orderId) {
        return jdbc.query("select " + WITH_PAYLOAD + " from wms_outbox where order_id = ? order by version",
                WmsOutbox::map, orderId);
    }

    // ---- the wms-outbox routes ---------------------------------------------------------------

    /**
     * The messages one drain round claimed, as claimed (full rows), and those of them that went out and are
     * not yet marked: the round marks them {@code sent} together, in one transaction, after its last send.
     */
    public static final class Round implements Iterable<WmsMessage> {
        /** When the round's claims were taken, or last renewed. */
        private Instant claimedAt;
        private final List<WmsMessage> claimed;
        private final List<WmsMessage> wentOut = new ArrayList<>();
        private final List<WmsMessage> deferred = new ArrayList<>();
        /** The hold of the message the WMS did not take past its retries in this round; null while it answers. */
        private Long unreachable;
        private final boolean keepingUp;

        Round(Instant claimedAt, List<WmsMessage> claimed, boolean keepingUp) {
            this.claimedAt = claimedAt;
            this.claimed = List.copyOf(claimed);
            this.keepingUp = keepingUp;
        }

        public List<WmsMessage> claimed() {
            return claimed;
        }

        /** True when the drain route runs its next round at once, not after the poll delay ({@link WmsOutbox#runAgainAtOnce}). */
        public boolean isKeepingUp() {
            return keepingUp;
        }

        synchronized Instant claimedAt() {
            return claimedAt;
        }

        synchronized void renewed(Instant at) {
            claimedAt = at;
        }

        synchronized void wentOut(WmsMessage m) {
            wentOut.add(m);
        }

        synchronized Long unreachable() {
            return unreachable;
        }

        synchronized void unreachable(Long holdId) {
            unreachable = holdId == null ? 0L : holdId;
        }

        synchronized void deferred(WmsMessage m) {
            deferred.add(m);
        }

        /** The claimed messages not sent because the WMS did not answer earlier in the round, since the last call. */
        synchronized List<WmsMessage> takeDeferred() {
            List<WmsMessage> out = List.copyOf(deferred);
            deferred.clear();
            return out;
        }

        /** The messages that went out since the last call. */
        synchronized List<WmsMessage> takeWentOut() {
            List<WmsMessage> out = List.copyOf(wentOut);
            wentOut.clear();
            return out;
        }

        @Override
        public java.util.Iterator<WmsMessage> iterator() {
            return claimed.iterator();
        }
    }

    /**
     * The due rows, whole, oldest first: pending ones and stale claims. Each half reads the (status,
     * message_id) index in order and stops at the batch size ("order by status, message_id": H2 only walks an
     * index in order when the order names its leading column); a single "or" made H2 walk the primary key
     * through every message ever sent, at every round.
     */
    private String due() {
        return "select * from (select " + WITH_PAYLOAD + " from wms_outbox where status = 'pending' "
                + "order by status, message_id limit " + batch + ") pending "
                + "union all "
                + "select * from (select " + WITH_PAYLOAD + " from wms_outbox where status = 'sending' and claimed_at < ? "
                + "order by status, message_id limit " + batch + ") stale "
                + "order by message_id limit " + batch;
    }

    /**
     * A round that took as many messages as a round takes, the oldest of them queued within {@link #keepingUp}:
     * the drain is keeping up, and its next round starts at once, while the rows are still in the store's page
     * cache (measured on H2: a round of fresh rows costs a fraction of one read back from the file). A full
     * round of older messages means the drain is behind (a peak, a restart, an outage of the WMS): it works the
     * backlog off at one round per poll delay, leaving the CPU to the intake that a peak needs.
     */
    boolean runAgainAtOnce(List<WmsMessage> due, Instant now) {
        return due.size() >= batch && due.get(0).createdAt() != null
                && !due.get(0).createdAt().isBefore(now.minus(keepingUp));
    }

    // conditional, so that of two instances that selected the same row only one claims it: the other's
    // update waits for the first one's commit, re-reads the row and finds it no longer due
    private static final String CLAIM = "update wms_outbox set status = 'sending', claimed_at = ?, attempts = attempts + 1 "
            + "where message_id = ? and (status = 'pending' or (status = 'sending' and claimed_at < ?))";
    private static final String MARK_SENT = "update wms_outbox set status = 'sent', sent_at = ?, destination = ? "
            + "where message_id = ? and status in ('pending', 'sending', 'held')";

    /**
     * Claims the messages due now, in one transaction: pending ones, and ones claimed so long ago that their
     * sender must have died (re-sent under the same Idempotency-Key, unless a later message of the order
     * supersedes the ticket: {@link #supersedeIfReplaced}). One select reads the due rows whole,
     * one batch of conditional updates claims them, in message order (so two claimers never deadlock).
     */
    public Round claimDue() {
        Instant now = clock.instant();
        if (pause.isPaused(now)) {
            return new Round(now, List.of(), false); // the WMS did not answer lately: nothing claimed until then
        }
        requeueHeld();
        Instant stale = now.minus(claimTimeout);
        boolean[] keepingUp = {false};
        List<WmsMessage> round = claim(now, stale, keepingUp);
        return new Round(now, round, keepingUp[0]);
    }

    /**
     * Messages held because the WMS did not answer (their hold still open, {@code DOWNSTREAM_UNAVAILABLE}) are due
     * again, keeping their hold: a pick ticket must not wait for an operator because the WMS was down for a while.
     * They keep their message ids, so they go before the messages queued since. Sent, their hold is resolved
     * ({@link #markSent}); held again, the same hold counts one more attempt, and one held
     * {@link OutboundPause#HELD_AUTO_TRIES} times is left to the operator (a WMS that fails on that message, not on
     * the moment, would otherwise pause the drain after each of its tries); withdrawn or superseded meanwhile, it is
     * resolved saying so. A hold discarded (or released) by the operator is left as the operator decided.
     */
    private static final String REQUEUE = "update wms_outbox set status = 'pending', claimed_at = null "
            + "where status = 'held' and hold_id in (select hold_id from holds where status = 'open' "
            + "and reason_code = '" + HoldService.DOWNSTREAM_UNAVAILABLE + "' and source = 'wms' "
            + "and attempts < " + OutboundPause.HELD_AUTO_TRIES + ")";

    private void requeueHeld() {
        if (!requeueHeld.compareAndSet(true, false)) {
            return;
        }
        try {
            int requeued = jdbc.update(REQUEUE);
            if (requeued > 0) {
                LOG.info("{} WMS message{} held while the WMS did not answer queued again", requeued,
                        requeued == 1 ? "" : "s");
            }
        } catch (RuntimeException e) {
            requeueHeld.set(true); // the next round tries again
            throw e;
        }
    }

    /** The claim of {@link #claimDue} and {@link #writeDue}: one transaction, committed when this returns. */
    private List<WmsMessage> claim(Instant now, Instant stale, boolean[] keepingUp) {
        return jdbc.inTransaction(c -> {
            List<WmsMessage> read = Jdbc.query(c, due(), WmsOutbox::map, stale);
            keepingUp[0] = runAgainAtOnce(read, now);
            List<WmsMessage> due = notSuperseded(c, read, stale);
            if (due.isEmpty()) {
                return List.of();
            }
            int[] counts = batch(c, CLAIM, due, m -> new Object[] {now, m.messageId(), stale});
            List<WmsMessage> claimed = new ArrayList<>(due.size());
            for (int i = 0; i < due.size(); i++) {
                if (counts[i] == 1) {
                    claimed.add(due.get(i).claimed());
                } else if (counts[i] != 0) {
                    // without a count per row we cannot tell which rows are ours: claim none of them
                    throw new SQLException("the driver did not report which WMS outbox rows were claimed: " + counts[i]);
                }
            }
            return claimed;
        });
    }

    /**
     * With no WMS URL, a whole round without an exchange per message, in two commits: the due messages are
     * claimed ({@code sending}) as {@link #claimDue} claims them, and that claim is committed before the first
     * file is written; then each one's file is written into the outbox folder (under a temporary name, then
     * renamed: the WMS never sees half a ticket, and a re-send replaces the same file with the same bytes), and
     * one transaction marks the written ones {@code sent}. A file in the folder therefore always belongs to a
     * message that is at least {@code sending}: a crash before the mark leaves it so, its claim lapses and the
     * next round writes the same file again, and a cancel of its order meanwhile queues a CANCEL naming it
     * (where a {@code pending} ticket would be withdrawn without one) and supersedes the lapsed ticket. A file
     * that cannot be written stays claimed and is returned: the route sends it the one-message way, which
     * retries it and holds it.
     */
    public Round writeDue() {
        requeueHeld();
        Instant now = clock.instant();
        Instant stale = now.minus(claimTimeout);
        boolean[] keepingUp = {false};
        List<WmsMessage> claimed = claim(now, stale, keepingUp);
        List<WmsMessage> written = new ArrayList<>(claimed.size());
        List<WmsMessage> notWritten = new ArrayList<>();
        for (WmsMessage m : claimed) {
            try {
                folder.write(m);
                written.add(m);
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("WMS {}: file not written ({}), sent the one-message way", m.describe(), e.toString());
                notWritten.add(m);
            }
        }
        if (!written.isEmpty()) {
            Instant at = clock.instant();
            jdbc.inTransaction(c -> markSent(c, written, at, "file"));
            if (LOG.isDebugEnabled()) {
                written.forEach(m -> LOG.debug("WMS message {} ({}) sent (file)", m.messageId(), m.idempotencyKey()));
            }
            LOG.info("{} WMS message{} sent (file)", written.size(), written.size() == 1 ? "" : "s");
        }
        return new Round(now, notWritten, keepingUp[0]);
    }

    @Override
    public void started(org.apache.camel.CamelContext context) {
        this.producer = context.createProducerTemplate();
    }

    /**
     * Sends one claimed message through {@code direct:wms-send} as an exchange of its own, named for its
     * hold (source, subject, order, message id) — the same way a hold's release sends it — so a send that
     * fails past its retries is held with exactly these headers and the message id as payload. The claimed
     * row travels along (exchange property), so the send does not read it again. One that went out is noted
     * in the round (marked sent at its end); one held is marked held now.
     */
    public String sendOne(WmsMessage m, Round round) {
        long id = m.messageId();
        if (round.unreachable() != null) {
            // the WMS did not take an earlier message of this round: this one waits for a later round, unsent
            // and not held (the outbox is its queue); markSent gives its claim back
            round.deferred(m);
            return "deferred";
        }
        Exchange result = producer.send(SEND_ENDPOINT, ex -> {
            ex.setProperty(CLAIMED, m);
            ex.getMessage().setBody(String.valueOf(id));
            ex.getMessage().setHeader(Headers.SOURCE, "wms");
            ex.getMessage().setHeader(Headers.SUBJECT, "WMS " + m.describe() + " (message " + id + ")");
            ex.getMessage().setHeader(Headers.ORDER_ID, m.orderId());
            ex.getMessage().setHeader(MESSAGE_HEADER, id);
            if (m.holdId() != null) {
                // held before and queued again: failing again counts one more attempt on the same hold
                ex.getMessage().setHeader(Headers.REPLAY_HOLD_ID, m.holdId());
            }
        });
        String outcome = result.getMessage().getHeader(Headers.OUTCOME, String.class);
        if (result.getException() == null && "sent".equals(outcome)) {
            round.wentOut(m);
        } else if ("held".equals(outcome)) {
            Long holdId = result.getMessage().getHeader(Headers.HOLD_ID, Long.class);
            jdbc.inTransaction(c -> {
                if (Jdbc.update(c, "update wms_outbox set status = 'held', hold_id = ? where message_id = ? "
                        + "and status = 'sending'", holdId, id) == 1) {
                    supersedeIfReplaced(c, m.held(holdId));
                }
                return null;
            });
            Throwable fault = result.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            if (HoldService.isTransient(fault) || HoldService.refusesCredential(fault)) {
                // a credential refused (401/403) is refused for every message: paused as for a WMS that does not
                // answer, so one message is held and the rest wait in the outbox, not held one by one
                round.unreachable(holdId);
                LOG.warn("the WMS {} (hold {}): no new sends for {} s", HoldService.refusesCredential(fault)
                        ? "refused the hub's credential" : "did not take a message past its retries", holdId,
                        pause.failed(clock.instant(), HoldService.retryAfter(fault, clock.instant()).orElse(null))
                                .toSeconds());
            }
        } else if (result.getException() != null) {
            // not even the hold could be written (store down): the claim times out and the message goes again
            LOG.warn("WMS message {} neither sent nor held: {}", id, result.getException().getMessage());
        }
        if (Duration.between(round.claimedAt(), clock.instant()).compareTo(claimTimeout.dividedBy(2)) > 0) {
            // a slow round (WMS slow, retries): mark what went out, and renew the claims still to send, before
            // another instance may take them for dead and send them again
            markSent(round);
            renewClaims(round);
        }
        return outcome;
    }

    // a claim given back unsent: due again, and the attempt it counted did not happen
    private static final String UNCLAIM = "update wms_outbox set status = 'pending', claimed_at = null, "
            + "attempts = attempts - 1 where message_id = ? and status = 'sending'";

    // only the round's own claims still waiting: one sent, held, or claimed anew by another instance is left alone
    private static final String RENEW = "update wms_outbox set claimed_at = ? where message_id = ? and status = 'sending' "
            + "and claimed_at < ?";

    /**
     * Renews the claims of the round's messages not sent yet, so that they do not look abandoned. Ours were taken
     * (or last renewed) at the round's time, stored rounded to the column's precision; another instance can only
     * have claimed one after ours went stale, a whole claim timeout later, so anything claimed before half of it
     * had passed is ours.
     */
    private void renewClaims(Round round) {
        Instant now = clock.instant();
        Instant oursBefore = round.claimedAt().plus(claimTimeout.dividedBy(2));
        jdbc.inTransaction(c -> batch(c, RENEW, round.claimed(), m -> new Object[] {now, m.messageId(), oursBefore}));
        round.renewed(now);
    }

    /**
     * After the round's last send: marks every message of the round that went out {@code sent}, in one
     * transaction. A crash before this commit leaves them {@code sending}; the claim timeout sends them again
     * under the same Idempotency-Key (at least once, which the key makes harmless at the WMS), but not a pick
     * ticket whose order was cancelled or given a new ticket meanwhile ({@link #supersedeIfReplaced}).
     */
    public int markSent(Round round) {
        List<WmsMessage> deferred = round.takeDeferred();
        if (!deferred.isEmpty()) {
            jdbc.inTransaction(c -> batch(c, UNCLAIM, deferred, m -> new Object[] {m.messageId()}));
            LOG.info("{} WMS message{} left for a later round: the WMS did not answer (hold {})", deferred.size(),
                    deferred.size() == 1 ? "" : "s", round.unreachable());
        }
        List<WmsMessage> out = round.takeWentOut();
        if (out.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        String destination = destination();
        jdbc.inTransaction(c -> markSent(c, out, now, destination));
        if (LOG.isDebugEnabled()) {
            out.forEach(m -> LOG.debug("WMS message {} ({}) sent ({})", m.messageId(), m.idempotencyKey(), destination));
        }
        LOG.info("{} WMS message{} sent ({})", out.size(), out.size() == 1 ? "" : "s", destination);
        return out.size();
    }

    /**
     * Turns the message into the request: JSON body, Idempotency-Key, and where it goes (property
     * {@code wmsUri} for camel-http, else the outbox folder by {@code CamelFileName}). From the drain the
     * claimed row comes along; from a hold's release only the message id does, and the row is read fresh: a
     * message already sent or withdrawn, or a held ticket a later message of its order supersedes, is then
     * skipped (property {@code wmsSkip}).
     */
    public void prepare(Exchange exchange) {
        WmsMessage m = exchange.getProperty(CLAIMED, WmsMessage.class);
        if (m == null) {
            long id = exchange.getMessage().getHeader(MESSAGE_HEADER, exchange.getMessage().getBody(Long.class), Long.class);
            m = find(id).orElseThrow(() -> new IllegalStateException("no WMS outbox message " + id));
            WmsMessage read = m;
            if (WmsMessage.HELD.equals(m.status()) && jdbc.inTransaction(c -> supersedeIfReplaced(c, read))) {
                m = find(id).orElseThrow();
            }
            if (WmsMessage.SENT.equals(m.status()) || WmsMessage.SUPERSEDED.equals(m.status())) {
                exchange.setProperty(MESSAGE, id);
                exchange.setProperty(SKIP, true);
                exchange.getMessage().setHeader(Headers.OUTCOME, m.status());
                LOG.info("WMS {}: already {}, not sent again", m.describe(), m.status());
                return;
            }
        }
        exchange.setProperty(MESSAGE, m.messageId());
        exchange.setProperty(SKIP, false);
        // only what the WMS should see goes out as HTTP headers
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader("Idempotency-Key", m.idempotencyKey());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getMessage().setHeader(Exchange.FILE_NAME, m.fileName());
        exchange.getMessage().setBody(m.payload());
        if (url != null) {
            if (credential != null) {
                exchange.getMessage().setHeader(credential.header(), credential.value());
            }
            OutboundHttp.Endpoint endpoint = OutboundHttp.endpoint(url, timeoutMs);
            exchange.setProperty(URI, endpoint.uri());
            endpoint.applyQuery(exchange.getMessage());
        }
    }

    /**
     * The WMS (or the folder) has it. From the drain, the round marks it sent with the others at its end;
     * from a hold's release, it is marked sent now.
     */
    public void sent(Exchange exchange) {
        long id = exchange.getProperty(MESSAGE, Long.class);
        if (pause.succeeded()) { // from the drain or a hold's release: the WMS takes messages again
            LOG.info("the WMS takes messages again");
            requeueHeld.set(true); // what was held while it did not answer goes again (REQUEUE)
        }
        if (credential != null) {
            exchange.getMessage().removeHeader(credential.header()); // no further than the request
        }
        exchange.getMessage().setHeader(Headers.OUTCOME, "sent");
        if (exchange.getProperty(CLAIMED) != null) {
            return;
        }
        int updated = jdbc.update(MARK_SENT, clock.instant(), destination(), id);
        if (updated == 1) {
            LOG.debug("WMS message {} sent ({})", id, destination());
        }
    }

    /** Marks the messages sent; those held before (queued again, {@link #REQUEUE}) have their hold resolved. */
    private int[] markSent(Connection c, List<WmsMessage> out, Instant at, String destination) throws SQLException {
        int[] counts = batch(c, MARK_SENT, out, m -> new Object[] {at, destination, m.messageId()});
        for (int i = 0; i < out.size(); i++) {
            WmsMessage m = out.get(i);
            if (m.holdId() != null && counts[i] != 0 && holds.close(c, m.holdId(), HoldStatus.resolved)) {
                holds.recordAction(c, m.holdId(), "resolve", ACTOR, null,
                        m.describe() + " sent once the WMS answered again (queued again after its hold)");
            }
        }
        return counts;
    }

    private String destination() {
        return url != null ? "http" : "file";
    }

    /** One JDBC batch of the statement, one row of parameters per message; the update count per message. */
    private static int[] batch(Connection c, String sql, List<WmsMessage> messages,
            java.util.function.Function<WmsMessage, Object[]> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (WmsMessage m : messages) {
                Jdbc.bind(ps, params.apply(m));
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    public boolean httpMode() {
        return url != null;
    }

    private static WmsMessage map(ResultSet rs) throws SQLException {
        return map(rs, rs.getString("payload"));
    }

    /** A row read without its payload (what the order's transitions need to decide): payload null. */
    private static WmsMessage mapWithoutPayload(ResultSet rs) throws SQLException {
        return map(rs, null);
    }

    private static WmsMessage map(ResultSet rs, String payload) throws SQLException {
        return new WmsMessage(rs.getLong("message_id"), rs.getString("order_id"), rs.getInt("version"),
                rs.getString("kind"), rs.getString("idempotency_key"), payload, rs.getString("status"),
                rs.getInt("attempts"), Jdbc.nullableLong(rs, "hold_id"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "sent_at"));
    }
}
