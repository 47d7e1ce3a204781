package org.handoff.holds;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.handoff.api.Json;

/** One row of the exception hold table. */
public record Hold(
        long holdId,
        String reasonCode,
        String source,
        String subject,
        String detail,
        String payload,
        Map<String, String> headers,
        String entryEndpoint,
        HoldStatus status,
        int attempts,
        Instant createdAt,
        Instant updatedAt,
        Instant closedAt) {

    public boolean isOpen() {
        return status == HoldStatus.open;
    }

    /** The list view of DESIGN §4. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("holdId", holdId);
        m.put("reasonCode", reasonCode);
        m.put("source", source);
        m.put("subject", subject);
        m.put("detail", detail);
        m.put("status", status.name());
        m.put("attempts", attempts);
        m.put("createdAt", Json.time(createdAt));
        return m;
    }

    /** The detail view: the original payload and every action taken. */
    public Map<String, Object> detailView(List<HoldAction> actions) {
        Map<String, Object> m = summary();
        m.put("updatedAt", Json.time(updatedAt));
        m.put("closedAt", Json.time(closedAt));
        m.put("entryEndpoint", entryEndpoint);
        m.put("replayable", entryEndpoint != null);
        m.put("headers", headers);
        m.put("payload", payload);
        m.put("actions", actions.stream().map(HoldAction::view).toList());
        return m;
    }
}
