package org.handoff.webhook;

import java.time.Instant;
import java.util.Map;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.Source;

/**
 * One signed webhook delivery, verified and parsed on the request thread, ready for the writer.
 *
 * @param dedupeKey      the delivery idempotency key within the channel
 * @param body           the raw body as received (UTF-8)
 * @param headers        the headers that matter (topic, ids, times), kept for replay
 * @param draft          the canonical order, or null when {@code malformed} says why not
 * @param replayOf       the hold being released (a replay bypasses the delivery dedupe)
 * @param redo           a stored delivery being processed again (release or recovery): update its row
 */
public record Delivery(String channel, String dedupeKey, String topic, String sha256, String body,
        Map<String, String> headers, Instant receivedAt, Instant observedAt, CanonicalOrder draft,
        Source.Intent intent, String malformed, String entryEndpoint, Long replayOf, boolean redo) {

    public Source source() {
        return new Source(channel, "system:" + channel, intent, observedAt, dedupeKey, body, headers, entryEndpoint,
                replayOf);
    }
}
