package org.handoff.webhook;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Service;
import org.handoff.holds.HoldRequest;
import org.handoff.holds.HoldStore;
import org.handoff.order.OrderPipeline;
import org.handoff.store.Jdbc;
import org.handoff.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of webhook deliveries: request threads verify and parse, then hand the delivery
 * here and wait; this thread takes everything queued (group commit), and in ONE transaction checks each
 * delivery key, stores the raw delivery and runs it through the order pipeline. Each request is answered
 * when its batch has committed, so a 2xx always means durable. Stock rows are locked in sorted SKU order
 * first, so the batch cannot deadlock with other writers.
 *
 * <p>If the store is down the whole batch fails (503, nothing committed). If one delivery's processing
 * fails unexpectedly, it is rolled back to its savepoint and stored as 'received' (answered
 * {@code received}); the recovery sweep completes it later.
 */
public final class DeliveryWriter implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWriter.class);

    public static final String IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT";
    public static final String MALFORMED_PAYLOAD = "MALFORMED_PAYLOAD";

    /** What the sender is told: accepted, held, duplicate, ignored or received. */
    public record Result(String result, String orderId, Long holdId) {}

    private record Pending(Delivery delivery, CompletableFuture<Result> done) {}

    private record Seen(String sha256, Result result) {}

    private final Jdbc jdbc;
    private final DeliveryLog log;
    private final OrderPipeline pipeline;
    private final HoldStore holds;
    private final Clock clock;
    private final int maxBatch;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread thread;

    private final io.micrometer.core.instrument.DistributionSummary batchSizes;
    private final io.micrometer.core.instrument.Timer batchTimes;

    public DeliveryWriter(Jdbc jdbc, DeliveryLog log, OrderPipeline pipeline, HoldStore holds, Clock clock, int maxBatch,
            io.micrometer.core.instrument.MeterRegistry registry) {
        this.batchSizes = io.micrometer.core.instrument.DistributionSummary.builder("handoff.webhook.batch.size")
                .description("deliveries committed per transaction by the delivery writer").register(registry);
        this.batchTimes = io.micrometer.core.instrument.Timer.builder("handoff.webhook.batch.time")
                .description("time to process and commit one batch of deliveries").register(registry);
        this.jdbc = jdbc;
        this.log = log;
        this.pipeline = pipeline;
        this.holds = holds;
        this.clock = clock;
        this.maxBatch = maxBatch;
    }

    public CompletableFuture<Result> submit(Delivery delivery) {
        CompletableFuture<Result> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new StoreUnavailableException("the delivery writer is not running", null));
            return done;
        }
        queue.add(new Pending(delivery, done));
        return done;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "handoff-delivery-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after everything already queued is written (graceful shutdown). */
    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("delivery writer: unexpected failure", e);
            }
        }
    }

    private void write(List<Pending> batch) {
        List<Result> results = new ArrayList<>(batch.size());
        Set<String> changed = new TreeSet<>();
        long started = System.nanoTime();
        try {
            boolean together = batch.size() > 1 && batch.stream().noneMatch(p -> p.delivery().redo());
            jdbc.inTransaction(c -> {
                results.clear();
                changed.clear();
                if (together) {
                    results.addAll(processAll(c, batch.stream().map(Pending::delivery).toList(), changed));
                } else {
                    Map<String, Seen> seen = new HashMap<>();
                    Instant now = clock.instant();
                    for (Pending p : batch) {
                        results.add(process(c, p.delivery(), seen, changed, now));
                    }
                }
                return null;
            });
        } catch (StoreUnavailableException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        } catch (RuntimeException e) {
            if (batch.size() > 1) {
                // do not let one bad delivery fail its neighbours: write them one by one
                LOG.warn("delivery batch of {} failed ({}); writing them one by one", batch.size(), Jdbc.describe(e));
                for (Pending p : batch) {
                    write(List.of(p));
                }
            } else {
                batch.get(0).done().completeExceptionally(e);
            }
            return;
        }
        batchSizes.record(batch.size());
        batchTimes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(results.get(i));
        }
        pipeline.notifyStockChanged(changed);
    }

    /**
     * A batch of new deliveries, set-based: the delivery log is read once for all their keys, every order
     * goes through {@link OrderPipeline#submitAll} together, and the deliveries are stored as one JDBC
     * batch. A key repeated within the batch is answered from its first arrival. Any unexpected failure
     * fails the whole batch, which {@link #write} then redoes one delivery at a time with {@link #process}.
     */
    private List<Result> processAll(Connection c, List<Delivery> deliveries, Set<String> changed) throws SQLException {
        Instant now = clock.instant();
        Map<String, List<String>> keysByChannel = new HashMap<>();
        for (Delivery d : deliveries) {
            keysByChannel.computeIfAbsent(d.channel(), k -> new ArrayList<>()).add(d.dedupeKey());
        }
        Map<String, Seen> stored = new HashMap<>();
        for (Map.Entry<String, List<String>> e : keysByChannel.entrySet()) {
            log.findAll(c, e.getKey(), e.getValue()).forEach((key, s) -> stored.put(e.getKey() + '\u0000' + key,
                    new Seen(s.sha256(), new Result(s.result(), s.orderId(), s.holdId()))));
        }
        Result[] results = new Result[deliveries.size()];
        Map<String, Integer> firstArrival = new HashMap<>();
        List<Integer> repeats = new ArrayList<>();
        List<OrderPipeline.Submission> submissions = new ArrayList<>();
        List<Integer> submitted = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            String key = d.channel() + '\u0000' + d.dedupeKey();
            Seen prior = stored.get(key);
            if (prior != null) {
                results[i] = seenBefore(c, d, prior);
            } else if (firstArrival.putIfAbsent(key, i) != null) {
                repeats.add(i);
            } else if (d.malformed() != null) {
                results[i] = new Result("held", null, holds.raise(c, new HoldRequest(MALFORMED_PAYLOAD, d.channel(),
                        subject(d), d.malformed(), d.body(), d.headers(), d.entryEndpoint(), null), d.replayOf()));
            } else {
                submissions.add(new OrderPipeline.Submission(d.draft(), d.source()));
                submitted.add(i);
            }
        }
        List<OrderPipeline.Outcome> outcomes = pipeline.submitAll(c, submissions);
        for (int j = 0; j < outcomes.size(); j++) {
            OrderPipeline.Outcome o = outcomes.get(j);
            results[submitted.get(j)] = new Result(o.result(), o.orderId(), o.holdId());
            changed.addAll(o.changedSkus());
        }
        for (int i : repeats) {
            Delivery d = deliveries.get(i);
            int first = firstArrival.get(d.channel() + '\u0000' + d.dedupeKey());
            results[i] = seenBefore(c, d, new Seen(deliveries.get(first).sha256(), results[first]));
        }
        List<DeliveryLog.Processed> rows = new ArrayList<>(firstArrival.size());
        for (int i : firstArrival.values().stream().sorted().toList()) {
            Result r = results[i];
            rows.add(new DeliveryLog.Processed(deliveries.get(i), r.result(), r.orderId(), r.holdId()));
        }
        log.insertProcessed(c, rows, now);
        return List.of(results);
    }

    /** One delivery on its own, in a savepoint: a processing failure stores it 'received' for the recovery sweep. */
    private Result process(Connection c, Delivery d, Map<String, Seen> seen, Set<String> changed, Instant now)
            throws SQLException {
        if (!d.redo()) {
            Seen prior = seen.get(d.dedupeKey());
            if (prior == null) {
                prior = log.find(c, d.channel(), d.dedupeKey())
                        .map(s -> new Seen(s.sha256(), new Result(s.result(), s.orderId(), s.holdId()))).orElse(null);
            }
            if (prior != null) {
                return seenBefore(c, d, prior);
            }
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            Result result;
            if (d.malformed() != null) {
                long holdId = holds.raise(c, new HoldRequest(MALFORMED_PAYLOAD, d.channel(), subject(d), d.malformed(),
                        d.body(), d.headers(), d.entryEndpoint(), null), d.replayOf());
                result = new Result("held", null, holdId);
            } else {
                OrderPipeline.Outcome outcome = pipeline.submit(c, d.draft(), d.source());
                changed.addAll(outcome.changedSkus());
                result = new Result(outcome.result(), outcome.orderId(), outcome.holdId());
            }
            if (d.redo()) {
                log.markProcessed(c, d.channel(), d.dedupeKey(), result.result(), result.orderId(), result.holdId(), now);
            } else {
                log.insert(c, d, "processed", result.result(), result.orderId(), result.holdId(), now);
            }
            c.releaseSavepoint(savepoint);
            seen.put(d.dedupeKey(), new Seen(d.sha256(), result));
            return result;
        } catch (SQLException e) {
            c.rollback(savepoint);
            if (Jdbc.isDuplicateKey(e) && !d.redo()) {
                // another instance stored this delivery key first
                var stored = log.find(c, d.channel(), d.dedupeKey());
                if (stored.isPresent()) {
                    var s = stored.get();
                    return seenBefore(c, d, new Seen(s.sha256(), new Result(s.result(), s.orderId(), s.holdId())));
                }
            }
            RuntimeException translated = Jdbc.translate(e);
            if (translated instanceof StoreUnavailableException) {
                throw translated;
            }
            return processingFailed(c, d, e, now);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            c.rollback(savepoint);
            return processingFailed(c, d, e, now);
        }
    }

    /** The key was seen: the same body is a duplicate; a different body is held IDEMPOTENCY_CONFLICT. */
    private Result seenBefore(Connection c, Delivery d, Seen prior) throws SQLException {
        if (prior.sha256().equals(d.sha256())) {
            return new Result("duplicate", prior.result().orderId(), prior.result().holdId());
        }
        long holdId = holds.raise(c, new HoldRequest(IDEMPOTENCY_CONFLICT, d.channel(), subject(d),
                "delivery key " + d.dedupeKey() + " was already received with a different body (sha256 "
                        + prior.sha256().substring(0, 12) + "…, now " + d.sha256().substring(0, 12) + "…)",
                d.body(), d.headers(), d.entryEndpoint(), null)
                .withDedupeKey(IDEMPOTENCY_CONFLICT + "|" + d.channel() + "|" + d.dedupeKey() + "|" + d.sha256()), null);
        return new Result("held", prior.result().orderId(), holdId);
    }

    /** Stored durably but not processed: the recovery sweep (or a release) completes it. */
    private Result processingFailed(Connection c, Delivery d, Exception e, Instant now) throws SQLException {
        if (d.redo()) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
        LOG.warn("delivery {} {} stored, processing failed and will be retried: {}", d.channel(), d.dedupeKey(),
                Jdbc.describe(e));
        log.insert(c, d, "received", null, null, null, now);
        return new Result("received", null, null);
    }

    private static String subject(Delivery d) {
        return d.channel() + " delivery " + d.dedupeKey() + (d.topic() == null ? "" : " (" + d.topic() + ")");
    }
}
