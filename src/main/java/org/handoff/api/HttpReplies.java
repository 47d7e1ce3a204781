package org.handoff.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.handoff.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever an HTTP route ended with into a JSON answer: {@link ApiException} keeps its status,
 * a store outage is 503 (retry later), anything else is 500 — never a stack trace to the caller.
 */
public final class HttpReplies {

    private static final Logger LOG = LoggerFactory.getLogger(HttpReplies.class);

    public static void json(Exchange exchange, int status, Object body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body instanceof String s ? s : Json.write(body));
    }

    /** Used by the http-errors route configuration for every exception on an HTTP-facing route. */
    public void failure(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // an error answer carries nothing of the request: platform-http would echo its headers (and a form
        // body's fields, which it turns into headers) back to the caller
        exchange.getMessage().removeHeaders("*");
        ApiException api = find(cause, ApiException.class);
        StoreUnavailableException down = find(cause, StoreUnavailableException.class);
        String route = exchange.getFromRouteId();
        if (api != null) {
            Map<String, Object> answer = error(api.code(), api.getMessage());
            api.details().forEach(answer::putIfAbsent);
            json(exchange, api.status(), answer);
        } else if (down != null) {
            LOG.warn("route {}: store unavailable, answered 503", route);
            json(exchange, 503, error("STORE_UNAVAILABLE", "the store is unavailable; retry later"));
        } else if (org.handoff.holds.HoldService.isTransient(cause)) {
            // a lock held longer than the store's lock timeout (a large file's step on the same rows), a deadlock
            // broken: the same request a moment later goes through, so it is "later", not a failure of the hub
            LOG.warn("route {}: {}, answered 503", route, org.handoff.store.Jdbc.describe(cause));
            json(exchange, 503, error("STORE_BUSY", "the store is busy with the same records; retry shortly"));
        } else {
            LOG.error("route {}: unexpected failure (exchange {})", route, exchange.getExchangeId(), cause);
            json(exchange, 500, error("INTERNAL_ERROR", "unexpected failure; see the hub log for exchange "
                    + exchange.getExchangeId()));
        }
    }

    public static Map<String, Object> error(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
