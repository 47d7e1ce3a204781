package org.handoff;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The hub's own meters, on the Prometheus registry that Camel serves at /observe/metrics.
 * Names follow DESIGN §4: deliveries by channel and result, holds open by reason, file rows by
 * outcome, sync latency from event time to applied, ATS pushes.
 */
public final class HandoffMetrics {

    /** DESIGN §7 reason codes, so every open-holds gauge exists (at 0) before the first hold. */
    public static final Set<String> REASON_CODES = Set.of("MALFORMED_PAYLOAD", "IDEMPOTENCY_CONFLICT",
            "MISSING_ADDRESS", "MISSING_CARRIER_PHONE", "INVALID_POSTCODE", "INVALID_TIMESTAMP", "UNKNOWN_SKU",
            "UNMAPPED_VARIANT", "INSUFFICIENT_STOCK", "ADDRESS_CHANGE_AFTER_PICK", "STALE_UPDATE", "BAD_FILE_NAME",
            "BAD_FILE_HEADER", "BAD_ROW", "STALE_SNAPSHOT", "TEMPLATE_VERSION_MISMATCH", "CARRIER_SILENT",
            "SETTLEMENT_MISMATCH", "DOWNSTREAM_UNAVAILABLE", "PROCESSING_ERROR", "ORPHAN_DONE_MARKER");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Long> openHolds = new ConcurrentHashMap<>();
    private volatile long openHoldsReadAt;
    private Supplier<Map<String, Long>> openHoldsSource = Map::of;

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Open holds are counted in the database (the truth across instances), at most once a second. */
    public void watchOpenHolds(Supplier<Map<String, Long>> source) {
        this.openHoldsSource = source;
        REASON_CODES.forEach(this::registerOpenHoldGauge);
    }

    private void registerOpenHoldGauge(String reason) {
        Gauge.builder("handoff.holds.open", this, m -> m.openHolds(reason))
                .description("open holds by reason code")
                .tag("reason", reason)
                .register(registry);
    }

    private double openHolds(String reason) {
        long now = System.currentTimeMillis();
        if (now - openHoldsReadAt > 1_000) {
            try {
                Map<String, Long> fresh = openHoldsSource.get();
                openHolds.clear();
                openHolds.putAll(fresh);
                fresh.keySet().stream().filter(r -> !REASON_CODES.contains(r)).forEach(this::registerOpenHoldGauge);
            } catch (RuntimeException e) {
                return Double.NaN;
            } finally {
                openHoldsReadAt = now;
            }
        }
        return openHolds.getOrDefault(reason, 0L);
    }

    public void delivery(String channel, String result) {
        Counter.builder("handoff.deliveries").description("webhook deliveries by channel and result")
                .tag("channel", channel).tag("result", result).register(registry).increment();
    }

    public void signatureRejected(String channel) {
        Counter.builder("handoff.signature.rejected").description("webhook deliveries refused with 401")
                .tag("channel", channel).register(registry).increment();
    }

    public void fileRows(String kind, String outcome, long count) {
        if (count > 0) {
            Counter.builder("handoff.file.rows").description("drop-folder rows by kind and outcome")
                    .tag("kind", kind).tag("outcome", outcome).register(registry).increment(count);
        }
    }

    public void syncLatency(String flow, Duration latency) {
        if (!latency.isNegative()) {
            Timer.builder("handoff.sync.latency").description("from the event's own time to applied in the hub")
                    .tag("flow", flow).register(registry).record(latency);
        }
    }

    public void atsPush(String channel, String result, long values) {
        Counter.builder("handoff.ats.pushes").description("ATS values pushed to channels")
                .tag("channel", channel).tag("result", result).register(registry).increment(values);
    }
}
