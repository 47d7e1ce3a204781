package org.handoff.holds;

import java.util.Map;

/**
 * Everything needed to hold a record and replay it later.
 *
 * @param entryEndpoint the Camel endpoint release replays into (null: not replayable, discard only)
 * @param dedupeKey     when set, at most one hold ever exists for it (e.g. CARRIER_SILENT per order)
 * @param about         the record whose decision waits for this hold, beyond its subject (a returns manifest row's
 *                      hold: {@code return:<rma>}); null for none. Holds are found by it ({@link HoldStore#openAbout}).
 */
public record HoldRequest(
        String reasonCode,
        String source,
        String subject,
        String detail,
        String payload,
        Map<String, String> headers,
        String entryEndpoint,
        String dedupeKey,
        String about) {

    public HoldRequest(String reasonCode, String source, String subject, String detail, String payload,
                       Map<String, String> headers, String entryEndpoint, String dedupeKey) {
        this(reasonCode, source, subject, detail, payload, headers, entryEndpoint, dedupeKey, null);
    }

    public HoldRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        if (detail != null && detail.length() > 4000) {
            detail = detail.substring(0, 3990) + " [...]";
        }
        // a subject is built from what a sender sent (an order id, a file name): too long must not lose the hold
        if (subject != null && subject.length() > 400) {
            subject = subject.substring(0, 390) + " [...]";
        }
    }

    public static HoldRequest of(String reasonCode, String source, String subject, String detail) {
        return new HoldRequest(reasonCode, source, subject, detail, null, Map.of(), null, null);
    }

    public HoldRequest withReplay(String payload, Map<String, String> headers, String entryEndpoint) {
        return new HoldRequest(reasonCode, source, subject, detail, payload, headers, entryEndpoint, dedupeKey, about);
    }

    public HoldRequest withDedupeKey(String key) {
        return new HoldRequest(reasonCode, source, subject, detail, payload, headers, entryEndpoint, key, about);
    }

    public HoldRequest withAbout(String record) {
        return new HoldRequest(reasonCode, source, subject, detail, payload, headers, entryEndpoint, dedupeKey, record);
    }
}
