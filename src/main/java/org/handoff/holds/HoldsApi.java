package org.handoff.holds;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.handoff.api.ApiException;
import org.handoff.api.HttpReplies;
import org.handoff.api.Json;

/** HTTP side of the operator's hold actions (DESIGN §4): parameters in, JSON out. */
public final class HoldsApi {

    private static final Set<String> STATUSES = Set.of("open", "released", "resolved", "discarded");

    private final HoldService holds;

    public HoldsApi(HoldService holds) {
        this.holds = holds;
    }

    public void list(Exchange exchange) {
        String status = param(exchange, "status");
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badRequest("status must be one of " + STATUSES);
        }
        String reason = param(exchange, "reason");
        String source = param(exchange, "source");
        int limit = intParam(exchange, "limit", 500);
        var list = holds.list(status, reason, source, limit).stream().map(Hold::summary).toList();
        HttpReplies.json(exchange, 200, Map.of("holds", list));
    }

    public void get(Exchange exchange) {
        Hold hold = holds.get(holdId(exchange));
        HttpReplies.json(exchange, 200, hold.detailView(holds.store().actions(hold.holdId())));
    }

    public void release(Exchange exchange) {
        JsonNode body = Json.readRequest(exchange.getMessage().getBody(String.class));
        long id = holdId(exchange);
        String actor = actor(body);
        HttpReplies.json(exchange, 200, holds.release(id, actor, note(body), body.get("payload")));
    }

    public void discard(Exchange exchange) {
        JsonNode body = Json.readRequest(exchange.getMessage().getBody(String.class));
        long id = holdId(exchange);
        String actor = actor(body);
        HttpReplies.json(exchange, 200, holds.discard(id, actor, note(body)));
    }

    private static long holdId(Exchange exchange) {
        String raw = exchange.getMessage().getHeader("holdId", String.class);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("hold " + raw);
        }
    }

    public static String param(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public static int intParam(Exchange exchange, String name, int fallback) {
        String value = param(exchange, name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 1 || n > 10_000) {
                throw ApiException.badRequest(name + " must be between 1 and 10000");
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number");
        }
    }

    /**
     * The operator's {@code actor} (required) as the history tables store it (200 characters): checked before
     * anything is done, so a release is not replayed and then fails to be recorded.
     */
    public static String actor(JsonNode body) {
        return fitting(requiredText(body, "actor"), "actor", 200);
    }

    /** The operator's {@code note} (optional), as stored (4000 characters). */
    public static String note(JsonNode body) {
        return fitting(text(body, "note"), "note", 4000);
    }

    private static String fitting(String value, String field, int width) {
        if (value != null && value.length() > width) {
            throw ApiException.badRequest("'" + field + "' is longer than " + width + " characters");
        }
        return value;
    }

    public static String requiredText(JsonNode body, String field) {
        String value = text(body, field);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required");
        }
        return value;
    }

    public static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node != null && node.isContainerNode()) {
            // an object or array has no text: asText() made it "", a note stored empty without a word
            throw ApiException.badRequest("'" + field + "' must be text");
        }
        return node == null || node.isNull() ? null : node.asText();
    }
}
