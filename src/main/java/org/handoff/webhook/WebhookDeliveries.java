package org.handoff.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.handoff.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Housekeeping of the delivery log: the recovery sweep completes deliveries that were committed but
 * never processed (the process died, or processing failed), and the purge forgets delivery keys past
 * their retention.
 */
public final class WebhookDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveries.class);

    private final DeliveryLog log;
    private final Map<String, String> replayEndpoints;
    private final Clock clock;
    private final Duration retention;
    private final Duration recoveryGrace;
    /** How long a sweep's claim on a delivery lasts: a replay takes well under it. */
    static final Duration RECOVERY_LEASE = Duration.ofMinutes(2);
    private ProducerTemplate producer;

    public WebhookDeliveries(DeliveryLog log, Map<String, String> replayEndpoints, Clock clock, Duration retention,
            Duration recoveryGrace) {
        this.log = log;
        this.replayEndpoints = Map.copyOf(replayEndpoints);
        this.clock = clock;
        this.retention = retention;
        this.recoveryGrace = recoveryGrace;
    }

    public void setProducer(ProducerTemplate producer) {
        this.producer = producer;
    }

    /** Processes stored-but-unprocessed deliveries through their channel's replay route. */
    public int recover() {
        int done = 0;
        Instant now = clock.instant();
        for (DeliveryLog.Stored stored : log.unprocessed(now.minus(recoveryGrace), 500, now)) {
            String endpoint = replayEndpoints.get(stored.channel());
            if (endpoint == null || producer == null) {
                continue;
            }
            // another instance's sweep may have listed it too: one replays it (a failed replay's claim lapses and the
            // next sweep tries again)
            Instant at = clock.instant();
            if (!log.claimForRecovery(stored.id(), at, at.plus(RECOVERY_LEASE))) {
                continue;
            }
            Exchange result = producer.send(endpoint, ex -> {
                ex.getMessage().setBody(stored.body());
                ex.getMessage().setHeaders(new LinkedHashMap<>(stored.headers()));
                ex.getMessage().setHeader(WebhookIntake.RECOVERY, true);
            });
            if (result.getException() != null) {
                LOG.warn("recovery of delivery {} {} failed, will retry: {}", stored.channel(), stored.dedupeKey(),
                        result.getException().getMessage());
                continue;
            }
            Long holdId = result.getMessage().getHeader(Headers.HOLD_ID, Long.class);
            String outcome = result.getMessage().getHeader(Headers.OUTCOME, String.class);
            if ("held".equals(outcome) && holdId != null) {
                // dead-lettered into a hold: the hold has it now
                log.markProcessed(stored.channel(), stored.dedupeKey(), "held", null, holdId, clock.instant());
            }
            LOG.info("recovered delivery {} {}: {}", stored.channel(), stored.dedupeKey(), outcome);
            done++;
        }
        return done;
    }

    /** Forgets delivery keys older than handoff.webhook.key-retention. */
    public int purge() {
        Instant cutoff = clock.instant().minus(retention);
        int purged = log.purge(cutoff);
        if (purged > 0) {
            LOG.info("purged {} webhook delivery keys received before {}", purged, cutoff);
        }
        return purged;
    }
}
