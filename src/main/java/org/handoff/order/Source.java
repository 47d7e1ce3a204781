package org.handoff.order;

import java.time.Instant;
import java.util.Map;

/**
 * Where a submitted order came from and what it means, so the pipeline can record evidence and make a
 * hold replayable through the same door.
 *
 * @param channel        e.g. shopify, woocommerce
 * @param actor          who decided, for the history: system:shopify, system:csv-inbox, ...
 * @param intent         create, update, paid, cancel
 * @param observedAt     when the fact happened at its source (event time), else when it was received
 * @param deliveryKey    the idempotency key of the delivery or file row (for the evidence)
 * @param payload        the original payload, kept by a hold for replay
 * @param headers        the original headers a replay needs
 * @param entryEndpoint  the direct: endpoint a release replays into
 * @param replayOf       the hold being released, when this submission is a replay
 */
public record Source(String channel, String actor, Intent intent, Instant observedAt, String deliveryKey,
        String payload, Map<String, String> headers, String entryEndpoint, Long replayOf) {

    public enum Intent { CREATE, UPDATE, PAID, CANCEL }

    public Source {
        headers = headers == null ? Map.of() : headers;
    }

    public Source withIntent(Intent other) {
        return new Source(channel, actor, other, observedAt, deliveryKey, payload, headers, entryEndpoint, replayOf);
    }
}
