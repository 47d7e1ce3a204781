package org.handoff.holds;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.handoff.api.Json;

/** What was done to a hold, by whom, and with what outcome. */
public record HoldAction(String action, String actor, String note, String outcome, Instant actedAt) {

    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", action);
        m.put("actor", actor);
        m.put("note", note);
        m.put("outcome", outcome);
        m.put("actedAt", Json.time(actedAt));
        return m;
    }
}
