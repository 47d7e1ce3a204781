package org.handoff.inventory;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.handoff.HandoffMetrics;
import org.handoff.OutboundHttp;
import org.handoff.OutboundPause;
import org.handoff.mapping.Mappings;
import org.handoff.Headers;
import org.handoff.api.Json;
import org.handoff.holds.HoldException;
import org.handoff.holds.HoldService;
import org.handoff.security.OutboundAuth;
import org.handoff.store.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Available to sell per channel, pushed only when it changed (DESIGN §7).
 *
 * <p>{@link #changed} is the {@link StockChanges} seam: it only notes the SKUs (no database, no I/O), so
 * it never slows the caller's transaction path. The {@code ats-recompute} route then calls
 * {@link #nextBatches} every {@code handoff.ats.period-ms}: the noted SKUs are recomputed per channel and
 * compared with what each channel last confirmed ({@code ats_confirmed}); only differing values go out,
 * in batches, through {@code direct:ats-push} (HTTP, or a file in {@code data/outbox/ats/<channel>/}).
 * {@link #confirm} records what a channel received. A push that fails past its retries becomes a
 * {@code DOWNSTREAM_UNAVAILABLE} hold whose release sends the SKUs' current values; they also go out by themselves
 * once the channel's pause ends, and the hold is then resolved.
 */
public final class AtsPushes implements StockChanges {

    private static final Logger LOG = LoggerFactory.getLogger(AtsPushes.class);

    public static final String CHANNEL = "HandoffAtsChannel";
    public static final String URL = "HandoffAtsUrl";
    public static final String FILE = "HandoffAtsFile";
    private static final String AUTH_HEADER = "HandoffAtsAuthHeader";
    private static final String BATCH = "HandoffAtsBatch";
    private static final String VALUES = "HandoffAtsValues";
    private static final String ROUND = "HandoffAtsRound";
    /** Set on a push of several values: a refusal of its content is split, not held ({@link #splitsRefused}). */
    private static final String SPLITTABLE = "HandoffAtsSplittable";
    private static final String REFUSED = "refused";
    /** Who resolves a hold whose values went out by themselves. */
    private static final String ACTOR = "system:ats";
    private static final String PUSH_ENTRY = "direct:ats-push";
    private static final int RANGE_READ = 10_000;
    /** (channel, SKU) values kept in memory by default (two channels of W2's 100,000 SKUs fit). */
    static final int CACHE_ENTRIES = 400_000;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** One value as channels receive it. */
    public record AtsValue(String sku, long available, String asOf) {}

    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean everything;
    /** SKUs taken by the round in progress (0 once the next round starts): part of what is still to push. */
    private volatile int working;
    private final AtomicLong sequence = new AtomicLong();
    /**
     * This process's mark in outbox file names: two hubs sharing a data folder may write a batch for the same channel
     * in the same millisecond with the same sequence number, and the second file would replace the first.
     */
    private final String process = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36,
            36L * 36 * 36 * 36 * 36 * 36 * 36), 36);
    /** What each channel last confirmed (ats_confirmed and its journal, cached). */
    private final ConfirmedAts confirmed;
    /** The round whose pushes are under way (rounds never overlap: one timer thread). */
    private volatile Round round;
    /**
     * Channels that did not take a batch past its retries, until they take one again; while paused, nothing is
     * pushed to them and their values are owed ({@link #owed}).
     */
    private final Map<String, OutboundPause> outages = new ConcurrentHashMap<>();
    /** SKUs with values a paused channel has not been sent: recomputed once a pause ends (and at every start). */
    private final Set<String> owed = ConcurrentHashMap.newKeySet();
    /**
     * Holds of batches a channel did not take past their retries, with the SKUs of each not delivered since: their
     * values go out again by themselves after the channel's pause, and the hold is resolved once they all went out.
     * In memory: after a restart every SKU is compared again anyway, and such a hold stays for the operator.
     */
    private final Map<Long, HeldForOutage> heldForOutage = new ConcurrentHashMap<>();

    private record HeldForOutage(String channel, Set<String> skus) {}

    /**
     * Per channel, how many times in a row a batch holding the SKU was held because the channel did not take it
     * (until its value is taken). Such values are sent again by themselves up to
     * {@link OutboundPause#HELD_AUTO_TRIES} times, in
     * batches of their own after the round's others: a channel that fails on some content (not on the moment)
     * must not pause itself forever, nor hold new neighbours with it. After that the hold is the operator's.
     */
    private final Map<String, Map<String, Integer>> heldTries = new ConcurrentHashMap<>();

    private final HoldService holds;
    private final Jdbc jdbc;
    private final Mappings mappings;
    private final HandoffMetrics metrics;
    private final Clock clock;
    private final int batchSize;
    private final int maxPerTick;
    private final OutboundAuth auth;
    private final int timeoutMs;
    private final Duration unreachablePause;
    private org.apache.camel.CamelContext context;
    private org.apache.camel.ProducerTemplate producer;

    /**
     * @param cacheEntries (channel, SKU) confirmed values kept in memory at most
     * @param auth         the channels' credentials (HANDOFF_ATS_AUTH_&lt;CHANNEL&gt;), sent with pushes to a URL
     * @param timeoutMs    connect and response timeout of each push to a URL
     * @param unreachablePause how long nothing is pushed to a channel that did not take a batch past its retries;
     *                         doubled for each time in a row, up to 8 times
     */
    public AtsPushes(Jdbc jdbc, Mappings mappings, HandoffMetrics metrics, Clock clock, int batchSize,
                     int maxPerTick, int cacheEntries, OutboundAuth auth, int timeoutMs,
                     Duration unreachablePause, HoldService holds) {
        this.holds = holds;
        this.timeoutMs = timeoutMs;
        this.unreachablePause = unreachablePause;
        this.confirmed = new ConfirmedAts(cacheEntries);
        this.auth = auth;
        this.jdbc = jdbc;
        this.mappings = mappings;
        this.metrics = metrics;
        this.clock = clock;
        this.batchSize = batchSize;
        this.maxPerTick = maxPerTick;
    }

    void started(org.apache.camel.CamelContext context) {
        this.context = context;
        this.producer = context.createProducerTemplate();
    }

    /**
     * Sends one batch into {@code direct:ats-push} as an exchange of its own, so that a batch the channel
     * never takes is held as exactly that batch (its own original message), not as the timer's tick.
     */
    public void push(Message batch) {
        List<AtsValue> values = values(batch);
        if (REFUSED.equals(send(batch, values.size() > 1))) {
            isolate(batch, values);
        }
    }

    /**
     * The channel refused all of these values (more than one) with a 4xx about their content: most often one SKU it
     * does not list, which would otherwise hold every other value of the batch with it. The halves are sent apart,
     * and a refused half split again, so only what the channel refuses is held, by itself; its other values go
     * through (each level costs two requests, the value held one more). When both halves are refused the channel
     * refuses more than one part of the batch (a wrong URL, a body it does not read, or two SKUs it does not list
     * that fell in different halves): the batch is held as one, as before, after three more requests.
     */
    private void isolate(Message refused, List<AtsValue> values) {
        int half = values.size() / 2;
        List<AtsValue> first = values.subList(0, half);
        List<AtsValue> second = values.subList(half, values.size());
        Message firstPart = part(refused, first);
        Message secondPart = part(refused, second);
        String a = send(firstPart, true);
        String b = send(secondPart, true);
        if (REFUSED.equals(a) && REFUSED.equals(b)) {
            send(refused, false);
            return;
        }
        if (REFUSED.equals(a)) {
            narrow(firstPart, first);
        }
        if (REFUSED.equals(b)) {
            narrow(secondPart, second);
        }
    }

    /** A refused part beside a part the channel took: one value is what it refuses (held), more are split again. */
    private void narrow(Message refused, List<AtsValue> values) {
        if (values.size() == 1) {
            send(refused, false);
        } else {
            isolate(refused, values);
        }
    }

    /** A batch of some of {@code batch}'s values, to the same channel. */
    private static Message part(Message batch, List<AtsValue> values) {
        Message m = batch.copy();
        m.setBody(Json.write(values));
        m.setHeader(VALUES, List.copyOf(values));
        m.setHeader(Headers.SUBJECT, subject(values, batch.getHeader(CHANNEL, String.class)));
        return m;
    }

    private static String subject(List<AtsValue> values, String channel) {
        return values.size() == 1 ? "ATS of " + values.get(0).sku() + " for " + channel
                : "ATS of " + values.size() + " SKUs for " + channel;
    }

    @SuppressWarnings("unchecked")
    private static List<AtsValue> values(Message batch) {
        return batch.getHeader(VALUES, List.class);
    }

    /**
     * The {@code ats-batch-refused} rule of routes/errors.camel.yaml: a push of several values that the channel
     * refused for its content is answered {@value #REFUSED} instead of held, and {@link #push} splits it.
     */
    public boolean splitsRefused(Exchange exchange, Throwable fault) {
        return Boolean.TRUE.equals(exchange.getProperty(SPLITTABLE, Boolean.class)) && HoldService.refusesContent(fault);
    }

    /** One push through {@code direct:ats-push}; returns its outcome ({@value #REFUSED} only when splittable). */
    private String send(Message batch, boolean splittable) {
        Round r = round;
        String channel = batch.getHeader(CHANNEL, String.class);
        if (isPaused(channel)) {
            // a batch of the channel was held lately because it did not answer: owed until the pause ends, not tried
            owe(batch);
            return "owed";
        }
        Exchange done = producer.send(PUSH_ENTRY, exchange -> {
            exchange.setIn(batch.copy());
            if (r != null) {
                exchange.setProperty(ROUND, r);
            }
            if (splittable) {
                exchange.setProperty(SPLITTABLE, true);
            }
        });
        if (done.getException() != null) {
            // neither taken nor held (the hold could not be written): its SKUs go again next round, not dropped
            LOG.warn("ATS batch for {} was neither taken nor held ({}): its SKUs are pushed again", channel,
                    done.getException().getClass().getSimpleName());
            owe(batch);
            return "owed";
        }
        String outcome = done.getMessage().getHeader(Headers.OUTCOME, String.class);
        if (REFUSED.equals(outcome)) {
            LOG.info("{} refused an ATS batch of {} values: sent again in halves", channel, values(batch).size());
            return REFUSED;
        }
        // held after its retries because the channel did not answer: one batch's back-off per pause, not every
        // batch's, and no hold per batch while the channel is down
        Throwable fault = done.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if ("held".equals(done.getMessage().getHeader(Headers.OUTCOME)) && HoldService.isTransient(fault)) {
            Long holdId = done.getMessage().getHeader(Headers.HOLD_ID, Long.class);
            unconfirm(channel, batch);
            // its values go out again by themselves after the pause, as the values not sent meanwhile do: a channel
            // back after an outage must not keep showing them until an operator releases the hold
            if (holdId != null) {
                heldForOutage.put(holdId, new HeldForOutage(channel, tryAgain(channel, values(batch))));
            } else {
                tryAgain(channel, values(batch));
            }
            pause(channel, holdId, HoldService.retryAfter(fault, clock.instant()).orElse(null),
                    "did not take ATS values past their retries");
        } else if ("held".equals(done.getMessage().getHeader(Headers.OUTCOME)) && HoldService.refusesCredential(fault)) {
            // the channel refuses the hub's credential (401/403): every batch would be, so it pauses as one that does
            // not answer, its later values owed, instead of a hold per batch per round until the token is fixed
            pause(channel, done.getMessage().getHeader(Headers.HOLD_ID, Long.class), null, "refused the hub's credential");
        }
        return outcome == null ? "" : outcome;
    }

    /**
     * A batch held after its retries may have reached the channel all the same (it read the request and the answer
     * never came, a gateway's 5xx): what the channel shows for its SKUs is not known any more. Recorded as
     * {@link ConfirmedAts#UNKNOWN} (in the tables, so a restart keeps it), so their next value goes out even when it
     * equals the one confirmed before. Only on this failure path: a round's pushes write nothing more.
     */
    @SuppressWarnings("unchecked")
    private void unconfirm(String channel, Message batch) {
        List<AtsValue> values = batch.getHeader(VALUES, List.class);
        try {
            confirmed.record(jdbc, Map.of(channel, values.stream()
                    .map(v -> new AtsValue(v.sku(), ConfirmedAts.UNKNOWN, v.asOf())).toList()), clock.instant());
        } catch (RuntimeException e) {
            // not written: ConfirmedAts keeps them unknown in memory, and the push goes on
            LOG.warn("could not record {} ATS values for {} as unknown: {}", values.size(), channel, e.getMessage());
        }
    }

    private boolean isPaused(String channel) {
        OutboundPause outage = outages.get(channel);
        return outage != null && outage.isPaused(clock.instant());
    }

    @SuppressWarnings("unchecked")
    private void owe(Message batch) {
        List<AtsValue> values = batch.getHeader(VALUES, List.class);
        values.forEach(v -> owed.add(v.sku()));
    }

    private void pause(String channel, Long holdId, Duration askedFor, String why) {
        Duration pause = outages.computeIfAbsent(channel, c -> new OutboundPause(unreachablePause))
                .failed(clock.instant(), askedFor);
        LOG.warn("{} {} (hold {}): nothing more is sent to it for {} s; its values are owed and go out after that",
                channel, why, holdId, pause.toSeconds());
    }

    /** A channel took values (from a round or a hold's release): it is pushed to as usual again. */
    private void reachable(String channel) {
        if (outages.remove(channel) != null) {
            LOG.info("{} takes ATS values again", channel);
        }
    }

    /**
     * A batch held because the channel did not take it: its values are owed (sent again after the pause), each up to
     * {@link OutboundPause#HELD_AUTO_TRIES} holds in a row. Returns its SKUs.
     */
    private Set<String> tryAgain(String channel, List<AtsValue> values) {
        Map<String, Integer> tries = heldTries.computeIfAbsent(channel, k -> new ConcurrentHashMap<>());
        Set<String> skus = ConcurrentHashMap.newKeySet();
        int left = 0;
        for (AtsValue v : values) {
            skus.add(v.sku());
            if (tries.merge(v.sku(), 1, Integer::sum) < OutboundPause.HELD_AUTO_TRIES) {
                owed.add(v.sku());
            } else {
                left++;
            }
        }
        if (left > 0) {
            LOG.warn("{} did not take {} ATS values {} times in a row: they wait for the hold's release", channel, left,
                    OutboundPause.HELD_AUTO_TRIES);
        }
        return skus;
    }

    /** Once no pause is running any more, what the paused channels were owed is recomputed (for every channel). */
    private void releaseOwed() {
        if (!owed.isEmpty() && outages.keySet().stream().noneMatch(this::isPaused)) {
            List<String> skus = new ArrayList<>(owed);
            owed.removeAll(skus);
            pending.addAll(skus);
        }
    }

    /**
     * After the round's last push: records what the channels confirmed in one transaction. One commit per
     * round instead of one per batch (on the embedded store every commit writes its changed pages). A crash
     * before this only means the same values are pushed again, which channels take as they are.
     */
    public void recordRound() {
        Round r = round;
        round = null;
        if (r == null) {
            return;
        }
        List<Confirmed> done = r.close();
        if (done.isEmpty()) {
            return;
        }
        try {
            record(done);
        } catch (RuntimeException e) {
            // not recorded: recompute these SKUs again, rather than forget what the channels were told
            done.forEach(k -> k.values().forEach(v -> pending.add(v.sku())));
            throw e;
        }
    }

    private void record(List<Confirmed> done) {
        Map<String, List<AtsValue>> byChannel = new LinkedHashMap<>();
        done.forEach(k -> byChannel.computeIfAbsent(k.channel(), c -> new ArrayList<>()).addAll(k.values()));
        confirmed.record(jdbc, byChannel, clock.instant());
    }

    /** What one push delivered to a channel. */
    private record Confirmed(String channel, List<AtsValue> values) {}

    /** The confirmations of one ats-recompute round, recorded together by {@link #recordRound}. */
    private static final class Round {
        private final List<Confirmed> confirmed = new ArrayList<>();
        private boolean closed;

        /** False once the round was recorded (a push that finished late records itself). */
        synchronized boolean add(Confirmed k) {
            if (closed) {
                return false;
            }
            confirmed.add(k);
            return true;
        }

        synchronized List<Confirmed> close() {
            closed = true;
            return confirmed;
        }
    }

    /** StockChanges: called after a commit that moved on-hand or reserved of these SKUs. */
    @Override
    public void changed(Collection<String> skus) {
        pending.addAll(skus);
    }

    /** Every SKU is looked at again (at start-up, and when channels or safety stock change). */
    public void recomputeAll() {
        everything = true;
    }

    /** SKUs whose values are not pushed yet (gauge handoff.ats.pending; the benchmark waits for 0). */
    public int pendingCount() {
        return pending.size() + owed.size() + working + (everything ? 1 : 0);
    }

    // ---- ats-recompute route --------------------------------------------------------------------

    /** The next push messages: per channel, batches of values that differ from what it last confirmed. */
    public List<Message> nextBatches() {
        working = 0; // rounds never overlap (one timer thread): the previous one is done
        releaseOwed();
        if (everything) {
            everything = false;
            try {
                pending.addAll(jdbc.query("select sku from stock", rs -> rs.getString(1)));
            } catch (RuntimeException e) {
                everything = true; // the store did not answer: every SKU is still to compare (a changed safety stock)
                throw e;
            }
        }
        List<String> skus = take();
        if (skus.isEmpty()) {
            return List.of();
        }
        working = skus.size();
        try {
            List<Message> messages = messages(recompute(skus, false));
            round = messages.isEmpty() ? null : new Round();
            return messages;
        } catch (RuntimeException e) {
            pending.addAll(skus); // try again next tick: the values must not be lost
            working = 0;
            throw e;
        }
    }

    private List<String> take() {
        TreeSet<String> taken = new TreeSet<>();
        Iterator<String> it = pending.iterator();
        while (it.hasNext() && taken.size() < maxPerTick) {
            String sku = it.next();
            it.remove();
            taken.add(sku);
        }
        return new ArrayList<>(taken);
    }

    /**
     * Current ATS of these SKUs (sorted) per channel; with {@code all=false} only the values that differ from
     * what the channel last confirmed.
     */
    Map<String, List<AtsValue>> recompute(List<String> skus, boolean all) {
        List<String> channels = mappings.channels();
        Map<String, List<AtsValue>> out = new LinkedHashMap<>();
        if (channels.isEmpty()) {
            return out;
        }
        String asOf = Json.time(clock.instant());
        jdbc.inTransaction(c -> {
            // a big round (a first snapshot: every SKU, dense) reads stock by SKU range; smaller rounds look
            // their SKUs up by name, in one statement
            Map<String, long[]> stock = skus.size() >= RANGE_READ ? stockByRange(c, skus) : stockByName(c, skus);
            Map<String, Map<String, Long>> known = all ? Map.of() : confirmed.lookUp(c, channels, skus);
            for (String channel : channels) {
                Map<String, Long> before = known.getOrDefault(channel, Map.of());
                for (String sku : skus) {
                    long[] s = stock.getOrDefault(sku, new long[2]);
                    long available = AtsRule.available(s[0], s[1], mappings.safetyStock(channel, sku));
                    Long last = before.get(sku);
                    if (all || last == null || last != available) {
                        out.computeIfAbsent(channel, k -> new ArrayList<>()).add(new AtsValue(sku, available, asOf));
                    }
                }
            }
            return null;
        });
        return out;
    }

    /**
     * Range reads, filtered to the SKUs asked for. The database's collation may order codes differently from
     * Java's sort: SKUs the range did not return are looked up by name, so nothing depends on the collation.
     */
    private static Map<String, long[]> stockByRange(Connection c, List<String> sorted) throws SQLException {
        Set<String> wanted = new java.util.HashSet<>(sorted);
        Map<String, long[]> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select sku, on_hand, reserved from stock where sku >= ? and sku <= ?")) {
            Jdbc.bind(ps, sorted.get(0), sorted.get(sorted.size() - 1));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (wanted.contains(rs.getString(1))) {
                        out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                    }
                }
            }
        }
        out.putAll(stockByName(c, sorted.stream().filter(sku -> !out.containsKey(sku)).toList()));
        return out;
    }

    private static Map<String, long[]> stockByName(Connection c, List<String> skus) throws SQLException {
        Map<String, long[]> out = new HashMap<>();
        Jdbc.queryIn(c, "select sku, on_hand, reserved from stock where sku in (%s)", skus,
                rs -> out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)}));
        return out;
    }

    /**
     * The order a round pushes to the channels: those that answer first, in their order, then those that did
     * not lately (their first batch after a pause may take its whole back-off before it is held).
     */
    static List<String> pushOrder(Collection<String> channels, Set<String> lastUnreachable) {
        List<String> order = new ArrayList<>();
        channels.stream().filter(c -> !lastUnreachable.contains(c)).forEach(order::add);
        channels.stream().filter(lastUnreachable::contains).forEach(order::add);
        return order;
    }

    private List<Message> messages(Map<String, List<AtsValue>> values) {
        List<Message> out = new ArrayList<>();
        for (String channel : pushOrder(values.keySet(), outages.keySet())) {
            List<AtsValue> list = values.get(channel);
            Map<String, Integer> tries = heldTries.get(channel);
            if (tries != null && !tries.isEmpty()) {
                // values of batches held because the channel did not take them: in batches of their own, last, so
                // that a batch the channel keeps failing on holds no new neighbours with it
                List<AtsValue> others = new ArrayList<>(list.size());
                List<AtsValue> retried = new ArrayList<>();
                for (AtsValue v : list) {
                    (tries.containsKey(v.sku()) ? retried : others).add(v);
                }
                out.addAll(batches(channel, others));
                out.addAll(batches(channel, retried));
            } else {
                out.addAll(batches(channel, list));
            }
        }
        return out;
    }

    private List<Message> batches(String channel, List<AtsValue> list) {
        List<Message> out = new ArrayList<>();
        for (int from = 0; from < list.size(); from += batchSize) {
            List<AtsValue> part = list.subList(from, Math.min(list.size(), from + batchSize));
            Message m = new DefaultMessage(context);
            m.setBody(Json.write(part));
            m.setHeader(CHANNEL, channel);
            m.setHeader(Headers.SOURCE, "ats:" + channel);
            m.setHeader(Headers.SUBJECT, subject(part, channel));
            // a push held after its retries is released into the push route itself
            m.setHeader(Headers.ENTRY_ENDPOINT, PUSH_ENTRY);
            // the values as objects: saves parsing the body back (not kept in a hold: a released batch is
            // recomputed anyway)
            m.setHeader(VALUES, List.copyOf(part));
            out.add(m);
        }
        return out;
    }

    // ---- ats-push route -------------------------------------------------------------------------

    /**
     * Before a push: where it goes (today's mappings), and for a released hold the SKUs' current
     * values (the held ones may be outdated by now).
     */
    public void prepare(Exchange exchange) {
        String channel = exchange.getMessage().getHeader(CHANNEL, String.class);
        @SuppressWarnings("unchecked")
        List<AtsValue> values = exchange.getMessage().getHeader(VALUES, List.class);
        if (values == null) {
            values = read(exchange.getMessage().getBody(String.class));
        }
        exchange.getMessage().removeHeader(VALUES);
        if (!mappings.channels().contains(channel)) {
            // taken out of channels.yaml since (a held batch released now): nothing to send, and not "sent" either
            throw new HoldException(HoldService.PROCESSING_ERROR, channel + " is no longer a channel of channels.yaml: "
                    + "nothing was sent; discard this hold, or put the channel back and release it");
        }
        if (HoldService.replayOf(exchange) != null) {
            List<String> skus = values.stream().map(AtsValue::sku).distinct().sorted().toList();
            values = recompute(skus, true).getOrDefault(channel, List.of());
            exchange.getMessage().setBody(Json.write(values));
        }
        exchange.setProperty(BATCH, values);
        exchange.setProperty(CHANNEL, channel);
        mappings.atsPushUrl(channel).ifPresentOrElse(url -> {
                    // the hub's own Handoff* headers stay inside the hub (InventoryModule's atsHeaderFilter)
                    OutboundHttp.Endpoint endpoint = OutboundHttp.endpoint(url, timeoutMs,
                            "headerFilterStrategy=#atsHeaderFilter");
                    exchange.setProperty(URL, endpoint.uri());
                    endpoint.applyQuery(exchange.getMessage());
                    // added here, after the route's entry: a held batch keeps its original message, without it
                    auth.ats(channel, mappings.atsPushAuthHeader(channel)).ifPresent(c -> {
                        exchange.getMessage().setHeader(c.header(), c.value());
                        exchange.setProperty(AUTH_HEADER, c.header());
                    });
                },
                () -> exchange.setProperty(FILE, outboxFile(channel)));
    }

    /**
     * The next outbox file of a channel without a URL: {@code <channel>/ats_<channel>_<time>_<process>-<n>.json}
     * (by name in time order; the process mark keeps two hubs on one data folder from writing the same name).
     */
    String outboxFile(String channel) {
        return channel + "/ats_" + channel + "_" + FILE_TIME.format(clock.instant()) + "_" + process + "-"
                + sequence.incrementAndGet() + ".json";
    }

    /** After a push went through: remember what the channel now has, so only changes go next time. */
    public void confirm(Exchange exchange) {
        String authHeader = exchange.getProperty(AUTH_HEADER, String.class);
        if (authHeader != null) {
            exchange.getMessage().removeHeader(authHeader); // the credential goes no further than the request
        }
        @SuppressWarnings("unchecked")
        List<AtsValue> values = exchange.getProperty(BATCH, List.class);
        String channel = exchange.getProperty(CHANNEL, String.class);
        if (values == null || values.isEmpty()) {
            return;
        }
        Round r = exchange.getProperty(ROUND, Round.class);
        Confirmed k = new Confirmed(channel, values);
        if (r == null || !r.add(k)) {
            record(List.of(k));
        }
        metrics.atsPush(channel, "pushed", values.size());
        reachable(channel);
        settleHeldForOutage(channel, values, HoldService.replayOf(exchange));
        exchange.getMessage().setHeader(Headers.OUTCOME, "applied");
        LOG.debug("pushed {} ATS values to {}", values.size(), channel);
    }

    /**
     * The channel took these values: a batch held during its outage whose SKUs have all gone out since is resolved
     * (its own release closes itself). A hold that cannot be resolved now stays open, for the operator.
     */
    private void settleHeldForOutage(String channel, List<AtsValue> values, Long replayOf) {
        Map<String, Integer> tries = heldTries.get(channel);
        if (tries != null && !tries.isEmpty()) {
            values.forEach(v -> tries.remove(v.sku()));
        }
        if (heldForOutage.isEmpty()) {
            return;
        }
        if (replayOf != null) {
            heldForOutage.remove(replayOf);
        }
        for (Map.Entry<Long, HeldForOutage> e : heldForOutage.entrySet()) {
            HeldForOutage held = e.getValue();
            if (!held.channel().equals(channel)) {
                continue;
            }
            values.forEach(v -> held.skus().remove(v.sku()));
            if (held.skus().isEmpty() && heldForOutage.remove(e.getKey()) != null) {
                try {
                    holds.resolve(e.getKey(), ACTOR, channel + " took this batch's SKUs' current values once it answered "
                            + "again");
                } catch (RuntimeException failure) {
                    LOG.warn("hold {} ({}): its values went out, but it could not be resolved now: {}", e.getKey(),
                            channel, failure.getMessage());
                }
            }
        }
    }

    private static List<AtsValue> read(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<List<AtsValue>>() {});
        } catch (Exception e) {
            throw new IllegalArgumentException("an ATS push body must be a JSON array of {sku, available, asOf}", e);
        }
    }

    /** Current ATS of one SKU per channel (the inventory API). */
    public Map<String, Long> current(String sku) {
        Map<String, Long> out = new LinkedHashMap<>();
        recompute(List.of(sku), true).forEach((channel, values) -> values.forEach(v -> out.put(channel, v.available())));
        return out;
    }
}
