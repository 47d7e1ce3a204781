package org.handoff.holds;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.handoff.Headers;
import org.handoff.api.ApiException;
import org.handoff.api.Json;
import org.handoff.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exception hold table's behaviour: what the dead-letter channel writes, and what an operator's
 * release and discard do. A replay goes back into the entry endpoint the record first came through,
 * with its original headers (so its original idempotency key), and a replay that fails again updates
 * the same hold rather than opening another.
 */
public final class HoldService {

    private static final Logger LOG = LoggerFactory.getLogger(HoldService.class);

    /** Reason for a failure no rule anticipated (extends DESIGN §7's list). */
    public static final String PROCESSING_ERROR = "PROCESSING_ERROR";
    public static final String DOWNSTREAM_UNAVAILABLE = "DOWNSTREAM_UNAVAILABLE";

    /**
     * How long a release may take before another may start (a replay's sends with all their retries take well under
     * a minute); a release whose instance died holds the hold no longer than this.
     */
    static final java.time.Duration RELEASE_LEASE = java.time.Duration.ofMinutes(5);

    private final HoldStore store;
    /** The hub's whole back-off for a transient fault (handoff.redelivery.*): all its delays added up. */
    private final java.time.Duration backOff;
    private ProducerTemplate producer;

    public HoldService(HoldStore store) {
        this(store, java.time.Duration.ofMillis(7_500));
    }

    public HoldService(HoldStore store, java.time.Duration backOff) {
        this.store = store;
        this.backOff = backOff;
    }

    /** All the delays of {@code attempts} redeliveries starting at {@code initialMs}, each {@code multiplier} times the last. */
    public static java.time.Duration backOff(int attempts, long initialMs, double multiplier) {
        double total = 0;
        double delay = initialMs;
        for (int i = 0; i < attempts; i++) {
            total += delay;
            delay *= multiplier;
        }
        return java.time.Duration.ofMillis((long) Math.min(total, Long.MAX_VALUE / 2.0));
    }

    /** Set once the Camel context exists (release sends through it). */
    public void setProducer(ProducerTemplate producer) {
        this.producer = producer;
    }

    public HoldStore store() {
        return store;
    }

    /** Opens (or, for a replay, updates) a hold for this exchange and marks the exchange as held. */
    public long hold(Exchange exchange, HoldRequest request) {
        long id = store.raise(request, replayOf(exchange));
        markHeld(exchange, id);
        LOG.info("hold {} {} source={} subject={}", id, request.reasonCode(), request.source(), request.subject());
        return id;
    }

    public static void markHeld(Exchange exchange, long holdId) {
        exchange.getMessage().setHeader(Headers.OUTCOME, "held");
        exchange.getMessage().setHeader(Headers.HOLD_ID, holdId);
    }

    public static Long replayOf(Exchange exchange) {
        return exchange.getMessage().getHeader(Headers.REPLAY_HOLD_ID, Long.class);
    }

    /**
     * The dead-letter channel's sink: the original message (as it entered the route) and the
     * exception that exhausted the error handler become one hold.
     */
    public void deadLetter(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = exchange.getMessage().getHeader(Headers.REASON, String.class);
        if (reason == null) {
            reason = reasonFor(cause);
        }
        String routeId = exchange.getFromRouteId();
        String source = exchange.getMessage().getHeader(Headers.SOURCE, routeId, String.class);
        String subject = exchange.getMessage().getHeader(Headers.SUBJECT, String.class);
        String detail = cause == null ? "failed without an exception" : describe(cause);
        String payload = exchange.getMessage().getBody(String.class);
        HoldRequest request = new HoldRequest(reason, source == null ? "unknown" : source, subject, detail,
                payload, replayHeaders(exchange), entryEndpoint(exchange), null);
        long id = hold(exchange, request);
        LOG.warn("route {} dead-lettered exchange {} into hold {} ({})", routeId, exchange.getExchangeId(), id, reason);
        exchange.getMessage().setBody(Json.write(Map.of("result", "held", "holdId", id)));
    }

    static String reasonFor(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HoldException h) {
                return h.reasonCode();
            }
        }
        return isTransient(cause) ? DOWNSTREAM_UNAVAILABLE : PROCESSING_ERROR;
    }

    /**
     * The faults {@code routes/errors.camel.yaml}'s {@code transient-faults} redelivers, listed there for the
     * integrator and here for the hold's reason (HoldServiceTest keeps the two lists the same).
     */
    static final List<Class<? extends Throwable>> TRANSIENT_FAULTS = List.of(ConnectException.class,
            org.apache.hc.client5.http.ConnectTimeoutException.class, java.net.UnknownHostException.class,
            SocketTimeoutException.class, java.net.http.HttpTimeoutException.class, java.sql.SQLTransientException.class,
            org.apache.camel.ExchangeTimedOutException.class, org.apache.hc.core5.http.NoHttpResponseException.class,
            StoreUnavailableException.class);

    /**
     * Faults worth retrying: the other side may answer later. Also the rule of the {@code processing-errors}
     * route configuration for HTTP answers (routes/errors.camel.yaml), so a push is retried exactly when a hold
     * would call it {@code DOWNSTREAM_UNAVAILABLE}.
     */
    public static boolean isTransient(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            for (Class<? extends Throwable> fault : TRANSIENT_FAULTS) {
                if (fault.isInstance(t)) {
                    return true;
                }
            }
            if (t.getClass().getName().equals(HTTP_REFUSAL)) {
                return httpStatus(t).map(HoldService::isTransientStatus).orElse(false);
            }
        }
        return false;
    }

    private static final String HTTP_REFUSAL = "org.apache.camel.http.base.HttpOperationFailedException";

    /**
     * An HTTP answer that refuses the hub's credential (401, 403: a token expired or revoked): every later request
     * would be refused the same way, so a push pauses its destination as it does for one that does not answer,
     * rather than holding message after message until someone fixes the credential.
     */
    public static boolean refusesCredential(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals(HTTP_REFUSAL)) {
                return httpStatus(t).map(status -> status == 401 || status == 403).orElse(false);
            }
        }
        return false;
    }

    /**
     * An HTTP answer that refuses what was sent (a 4xx other than 401/403, 408 and 429): the request itself, not the
     * moment or the credential. A channel that refuses an ATS batch for one value in it (a SKU it does not list)
     * refuses it so; re-sending it unchanged would be refused again.
     */
    public static boolean refusesContent(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals(HTTP_REFUSAL)) {
                return httpStatus(t).map(status -> status >= 400 && status < 500 && !isTransientStatus(status)
                        && status != 401 && status != 403).orElse(false);
            }
        }
        return false;
    }

    private static java.util.Optional<Integer> httpStatus(Throwable refusal) {
        try {
            return java.util.Optional.of((Integer) refusal.getClass().getMethod("getStatusCode").invoke(refusal));
        } catch (ReflectiveOperationException | ClassCastException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The {@code downstream-later} rule of routes/errors.camel.yaml: a transient HTTP answer is redelivered on the
     * hub's back-off unless it asked, with {@code Retry-After}, for a longer wait than that whole back-off (a rate
     * limit's quota spent for an hour): re-sending it sooner only spends more of the other side's quota. Such an
     * answer is held at once, and the push's pause ({@link org.handoff.OutboundPause}) waits what it asked for.
     */
    public boolean retriedHere(Throwable cause) {
        return isTransient(cause) && retryAfter(cause, java.time.Instant.now())
                .map(wait -> wait.compareTo(backOff) <= 0).orElse(true);
    }

    /**
     * The wait an HTTP refusal in {@code cause} asked for: its {@code Retry-After} header, in seconds or as an HTTP
     * date (RFC 9110), from {@code now}; empty without one or when it cannot be read.
     */
    public static java.util.Optional<java.time.Duration> retryAfter(Throwable cause, java.time.Instant now) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals(HTTP_REFUSAL)) {
                try {
                    Object headers = t.getClass().getMethod("getResponseHeaders").invoke(t);
                    if (!(headers instanceof Map<?, ?> map)) {
                        return java.util.Optional.empty();
                    }
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        if ("Retry-After".equalsIgnoreCase(String.valueOf(e.getKey())) && e.getValue() != null) {
                            return parseRetryAfter(String.valueOf(e.getValue()).trim(), now);
                        }
                    }
                } catch (ReflectiveOperationException e) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    static java.util.Optional<java.time.Duration> parseRetryAfter(String value, java.time.Instant now) {
        try {
            if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                return java.util.Optional.of(java.time.Duration.ofSeconds(Long.parseLong(value)));
            }
            java.time.Instant at = java.time.ZonedDateTime.parse(value,
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return java.util.Optional.of(at.isAfter(now) ? java.time.Duration.between(now, at) : java.time.Duration.ZERO);
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            return java.util.Optional.empty(); // an answer we cannot read asks for nothing
        }
    }

    /**
     * HTTP answers that say "later", not "no": 5xx, 408 Request Timeout and 429 Too Many Requests (a channel's or
     * WMS's rate limit: Shopify and WooCommerce hosts answer 429 when pushed too fast).
     */
    public static boolean isTransientStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (cause instanceof java.sql.SQLException) {
            return org.handoff.store.Jdbc.describe(cause);
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // a database's own message quotes the statement and the values it refused (names, addresses, emails): a
        // hold detail names its SQLState, as Jdbc.translate's message does
        String rootMessage = root instanceof java.sql.SQLException ? org.handoff.store.Jdbc.describe(root) : root.getMessage();
        if (root != cause && rootMessage != null && !message.contains(rootMessage)) {
            message = message + " (" + rootMessage + ")";
        }
        return message;
    }

    /** The headers a replay needs: ours and the channel's (X-...), never Camel's plumbing. */
    public static Map<String, String> replayHeaders(Exchange exchange) {
        Map<String, String> out = new LinkedHashMap<>();
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (value == null) {
                return;
            }
            boolean ours = name.startsWith("Handoff") && !name.equals(Headers.OUTCOME) && !name.equals(Headers.HOLD_ID)
                    && !name.equals(Headers.REPLAY_HOLD_ID);
            boolean channel = name.regionMatches(true, 0, "X-", 0, 2);
            if ((ours || channel || name.equals(Exchange.FILE_NAME_ONLY)) && isSimple(value)) {
                out.put(name, value.toString());
            }
        });
        return out;
    }

    private static boolean isSimple(Object value) {
        return value instanceof CharSequence || value instanceof Number || value instanceof Boolean;
    }

    private static String entryEndpoint(Exchange exchange) {
        String explicit = exchange.getMessage().getHeader(Headers.ENTRY_ENDPOINT, String.class);
        if (explicit != null) {
            return explicit;
        }
        if (exchange.getFromEndpoint() != null) {
            String uri = exchange.getFromEndpoint().getEndpointUri();
            if (uri.startsWith("direct:") || uri.startsWith("seda:")) {
                return uri.replace("://", ":");
            }
        }
        return null;
    }

    // ---- operator actions -------------------------------------------------------------------

    public Hold get(long holdId) {
        return store.find(holdId).orElseThrow(() -> ApiException.notFound("hold " + holdId));
    }

    public List<Hold> list(String status, String reason, String source, int limit) {
        return store.list(status, reason, source, limit);
    }

    /**
     * Replays the hold's payload (or the corrected one) into its entry endpoint under its original
     * headers. Applied: the hold is released. Held again: the same hold stays open with one more attempt.
     */
    public Map<String, Object> release(long holdId, String actor, String note, JsonNode correctedPayload) {
        Hold hold = openHold(holdId);
        if (hold.entryEndpoint() == null) {
            throw ApiException.conflict("NOT_REPLAYABLE",
                    "hold " + holdId + " has no entry point to replay into; discard it once handled");
        }
        String payload = correctedPayload == null || correctedPayload.isNull() ? hold.payload()
                : correctedPayload.isTextual() ? correctedPayload.asText() : Json.write(correctedPayload);
        claimForRelease(holdId);
        try {
            return replay(hold, payload, actor, note);
        } finally {
            // normally ended in the transaction that records the release; this only covers a failure before it
            store.jdbc().inTransaction(c -> {
                store.unclaim(c, holdId);
                return null;
            });
        }
    }

    /**
     * One release at a time: two at once (two operators, two instances, a client's retry) would both replay the
     * hold. The claim is a lease: a release that died with its instance frees the hold after {@link #RELEASE_LEASE}.
     */
    private void claimForRelease(long holdId) {
        if (store.claimForRelease(holdId, RELEASE_LEASE)) {
            return;
        }
        Hold now = get(holdId);
        if (!now.isOpen()) {
            throw ApiException.conflict("HOLD_CLOSED", "hold " + holdId + " is " + now.status() + ", not open");
        }
        throw ApiException.conflict("HOLD_BUSY", "hold " + holdId + " is being released by another request"
                + store.releasingUntil(holdId).map(until -> " (at the latest until " + until + ")").orElse(""));
    }

    private Map<String, Object> replay(Hold hold, String payload, String actor, String note) {
        long holdId = hold.holdId();
        Exchange result = producer.send(hold.entryEndpoint(), ex -> {
            ex.getMessage().setBody(payload);
            ex.getMessage().setHeaders(new LinkedHashMap<>(hold.headers()));
            ex.getMessage().setHeader(Headers.REPLAY_HOLD_ID, holdId);
        });
        String outcome = result.getMessage().getHeader(Headers.OUTCOME, String.class);
        Long heldAs = result.getMessage().getHeader(Headers.HOLD_ID, Long.class);
        Exception failure = result.getException();
        if (failure != null) {
            outcome = "failed";
        } else if (outcome == null) {
            outcome = "applied";
        }
        boolean stillHeld = "held".equals(outcome) && heldAs != null && heldAs == holdId;
        Hold after = get(holdId);
        String outcomeText = stillHeld ? "held again: " + after.reasonCode() + " — " + after.detail()
                : failure != null ? "replay failed: " + describe(failure)
                : "held".equals(outcome) ? "held as hold " + heldAs : outcome;
        String finalOutcome = outcome;
        store.jdbc().inTransaction(c -> {
            if (!stillHeld && failure == null) {
                store.close(c, holdId, HoldStatus.released);
            }
            store.unclaim(c, holdId);
            store.recordAction(c, holdId, "release", actor, note, outcomeText);
            return null;
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("holdId", holdId);
        answer.put("status", get(holdId).status().name());
        answer.put("outcome", finalOutcome);
        answer.put("detail", outcomeText);
        Object orderId = result.getMessage().getHeader(Headers.ORDER_ID);
        if (orderId != null) {
            answer.put("orderId", orderId);
        }
        if (heldAs != null) {
            answer.put("heldAs", heldAs);
        }
        LOG.info("hold {} released by {}: {}", holdId, actor, finalOutcome);
        return answer;
    }

    public Map<String, Object> discard(long holdId, String actor, String note) {
        openHold(holdId);
        boolean closed = store.jdbc().inTransaction(c -> {
            boolean done = store.discard(c, holdId);
            if (done) {
                store.recordAction(c, holdId, "discard", actor, note, "discarded");
            }
            return done;
        });
        if (!closed) {
            if (get(holdId).isOpen()) {
                throw ApiException.conflict("HOLD_BUSY", "hold " + holdId + " is being released; discard it afterwards "
                        + "if it is still open");
            }
            throw ApiException.conflict("HOLD_CLOSED", "hold " + holdId + " is no longer open");
        }
        LOG.info("hold {} discarded by {}", holdId, actor);
        return Map.of("holdId", holdId, "status", HoldStatus.discarded.name());
    }

    /** A later fact settled the hold (e.g. the carrier scan arrived): closed as resolved, with the fact. */
    public boolean resolve(long holdId, String actor, String fact) {
        return store.jdbc().inTransaction(c -> {
            boolean done = store.close(c, holdId, HoldStatus.resolved);
            if (done) {
                store.recordAction(c, holdId, "resolve", actor, null, fact);
            }
            return done;
        });
    }

    private Hold openHold(long holdId) {
        Hold hold = get(holdId);
        if (!hold.isOpen()) {
            throw ApiException.conflict("HOLD_CLOSED", "hold " + holdId + " is " + hold.status() + ", not open");
        }
        return hold;
    }
}
