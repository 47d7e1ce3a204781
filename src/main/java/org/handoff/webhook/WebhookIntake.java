package org.handoff.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.handoff.HandoffMetrics;
import org.handoff.Headers;
import org.handoff.api.ApiException;
import org.handoff.api.HttpReplies;
import org.handoff.api.Json;
import org.handoff.holds.HoldService;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.Source;
import org.handoff.order.StoredWidths;
import org.handoff.security.HmacSignatures;
import org.handoff.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One storefront's webhook door (DESIGN §3), the steps its route calls in order: read the exact bytes
 * (413 above the limit), verify the signature over them (401, nothing stored), normalize on the request
 * thread, then hand the delivery to the single {@link DeliveryWriter} and answer once it is committed.
 */
public final class WebhookIntake {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);
    private static final String RAW_BODY = "HandoffRawBody";
    private static final String DELIVERY = "HandoffDelivery";
    /** Set by the recovery sweep: process a stored delivery again. */
    public static final String RECOVERY = "HandoffRecovery";
    /** The widths of webhook_deliveries.dedupe_key and .topic (V20). */
    private static final int MAX_KEY_LENGTH = 400;
    private static final int MAX_TOPIC_LENGTH = 100;
    private static final Pattern PING = Pattern.compile("webhook_id=\\d+");
    private static final ObjectReader STRICT_JSON = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * What differs between storefronts.
     *
     * @param secretEnv       the environment variable holding the shared secret
     * @param keptHeaders     headers stored with the delivery and replayed with it
     * @param dedupeKey       the delivery idempotency key from the headers (null: none given)
     * @param replayEndpoint  the direct: route a held delivery is released into
     */
    public record Channel(String name, String secretEnv, String signatureHeader, String topicHeader,
            List<String> keptHeaders, Function<Function<String, String>, String> dedupeKey,
            Function<Function<String, String>, Instant> eventTime, String replayEndpoint, ChannelNormalizer normalizer) {}

    private final Channel channel;
    private final byte[] secret;
    private final DeliveryWriter writer;
    private final HandoffMetrics metrics;
    private final Clock clock;
    private final long maxBodyBytes;
    private final long answerTimeoutMs;

    public WebhookIntake(Channel channel, Map<String, String> env, DeliveryWriter writer, HandoffMetrics metrics,
            Clock clock, long maxBodyBytes, long answerTimeoutMs) {
        this.channel = channel;
        String value = env.get(channel.secretEnv());
        this.secret = value == null || value.isEmpty() ? null : value.getBytes(StandardCharsets.UTF_8);
        if (secret == null) {
            LOG.warn("{} is not set: every delivery to /webhooks/{} is refused with 401", channel.secretEnv(),
                    channel.name());
        }
        this.writer = writer;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.answerTimeoutMs = answerTimeoutMs;
    }

    public Channel channel() {
        return channel;
    }

    // ---- the steps of the route ----------------------------------------------------------------

    /** The exact bytes received, whatever the content type; 413 above handoff.webhook.max-body-bytes. */
    public void readBody(Exchange exchange) {
        String declared = exchange.getMessage().getHeader("Content-Length", String.class);
        if (declared != null && declared.trim().matches("\\d{1,18}") && Long.parseLong(declared.trim()) > maxBodyBytes) {
            throw tooLarge(exchange);
        }
        byte[] raw = RawFormBodies.of(exchange).orElse(null);
        if (raw == null) {
            Object body = exchange.getMessage().getBody();
            // with stream caching (Camel's default) the body arrives cached in memory: copy its bytes once, instead
            // of Camel's InputStream -> byte[] conversion (a 16 KiB transfer buffer and a growing copy per request,
            // 18% of the hub's allocation under W1); read from its start, and rewound for whoever reads it after us
            if (body instanceof org.apache.camel.StreamCache cache && body instanceof java.io.InputStream in) {
                try {
                    cache.reset();
                    raw = readCached(in);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                cache.reset();
            } else {
                raw = body == null ? new byte[0] : exchange.getMessage().getBody(byte[].class);
            }
        }
        if (raw == null) {
            raw = new byte[0];
        }
        if (raw.length > maxBodyBytes) {
            throw tooLarge(exchange);
        }
        exchange.setProperty(RAW_BODY, raw);
    }

    /** A cached body's bytes: an in-memory cache knows its length, so they are read straight into one array. */
    static byte[] readCached(java.io.InputStream in) throws IOException {
        byte[] bytes = new byte[Math.max(0, in.available())];
        int read = in.readNBytes(bytes, 0, bytes.length);
        int next = in.read();
        if (read == bytes.length && next < 0) {
            return bytes;
        }
        // the cache did not know (a body spooled to a file): whatever is left, after what was read
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(read + 8192);
        out.write(bytes, 0, read);
        if (next >= 0) {
            out.write(next);
            in.transferTo(out);
        }
        return out.toByteArray();
    }

    /**
     * A refusal answers with nothing of the request: platform-http copies message headers into the
     * answer (the request's own, and the form fields of a form-encoded body it decoded — on /webhooks/ it
     * no longer decodes them, {@link RawFormBodies}), which are not the sender's business.
     */
    private static void dropRequestHeaders(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
    }

    private ApiException tooLarge(Exchange exchange) {
        dropRequestHeaders(exchange);
        metrics.delivery(channel.name(), "too_large");
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "the body is larger than " + maxBodyBytes + " bytes");
    }

    /** The signature header against an HMAC-SHA256 of the raw bytes, compared in constant time; else 401. */
    public void verifySignature(Exchange exchange) {
        byte[] raw = raw(exchange);
        String presented = exchange.getMessage().getHeader(channel.signatureHeader(), String.class);
        if (!HmacSignatures.matchesBase64(secret, raw, presented)) {
            metrics.signatureRejected(channel.name());
            LOG.warn("{} webhook refused with 401: {} signature (topic {}, {} bytes)", channel.name(),
                    presented == null || presented.isBlank() ? "missing" : "wrong",
                    safe(exchange.getMessage().getHeader(channel.topicHeader(), String.class)), raw.length);
            dropRequestHeaders(exchange);
            throw new ApiException(401, "INVALID_SIGNATURE", "the webhook signature is missing or does not match the body");
        }
    }

    /** A WooCommerce ping: form body {@code webhook_id=N} and no signature. */
    public boolean isPing(Exchange exchange) {
        String signature = exchange.getMessage().getHeader(channel.signatureHeader(), String.class);
        return (signature == null || signature.isBlank())
                && PING.matcher(new String(raw(exchange), StandardCharsets.UTF_8).trim()).matches();
    }

    /** The canonical order from the payload, on the request thread; an unusable payload is marked malformed. */
    public void normalize(Exchange exchange) {
        byte[] raw = raw(exchange);
        Function<String, String> header = name -> exchange.getMessage().getHeader(name, String.class);
        String topic = header.apply(channel.topicHeader());
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : channel.keptHeaders()) {
            String value = header.apply(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        String sha = sha256(raw);
        String key = channel.dedupeKey().apply(header);
        if (key == null || key.isBlank()) {
            key = "sha256:" + sha;
        } else if (key.length() > MAX_KEY_LENGTH) {
            // no real delivery id is this long; its hash still deduplicates re-sends of the same id
            key = "sha256-of-id:" + sha256(key.getBytes(StandardCharsets.UTF_8));
        }
        if (topic != null && topic.length() > MAX_TOPIC_LENGTH) {
            topic = topic.substring(0, MAX_TOPIC_LENGTH);
        }
        CanonicalOrder draft = null;
        Source.Intent intent = null;
        String malformed = null;
        try {
            JsonNode payload = STRICT_JSON.readTree(raw);
            draft = channel.normalizer().normalize(payload, header);
            List<String> overlong = StoredWidths.unstorable(draft);
            if (!overlong.isEmpty()) {
                throw new MalformedPayloadException(String.join("; ", overlong));
            }
            intent = channel.normalizer().intent(topic, draft);
        } catch (IOException e) {
            malformed = "the body is not valid JSON";
        } catch (MalformedPayloadException e) {
            malformed = e.getMessage();
        }
        Instant now = clock.instant();
        Instant observed = channel.eventTime().apply(header);
        if (observed == null && draft != null) {
            observed = draft.updatedAt();
        }
        Long replayOf = HoldService.replayOf(exchange);
        boolean redo = replayOf != null || Boolean.TRUE.equals(exchange.getMessage().getHeader(RECOVERY, Boolean.class));
        exchange.setProperty(DELIVERY, new Delivery(channel.name(), key, topic, sha, org.handoff.store.StoredText.of(raw),
                kept, now, observed == null ? now : observed, draft, intent, malformed, channel.replayEndpoint(),
                replayOf, redo));
        if (draft != null) {
            exchange.getMessage().setHeader(Headers.SUBJECT, channel.name() + " order " + draft.externalId());
        }
    }

    /** Durable, deduplicated and processed in the writer's next batch; answered after its commit. */
    public void commit(Exchange exchange) {
        DeliveryWriter.Result result = await(exchange);
        metrics.delivery(channel.name(), result.result());
        answer(exchange, result);
    }

    /** The release (or recovery) of a stored delivery: same pipeline, outcome in the Handoff headers. */
    public void replay(Exchange exchange) {
        DeliveryWriter.Result result = await(exchange);
        exchange.getMessage().setHeader(Headers.OUTCOME, result.result());
        if (result.orderId() != null) {
            exchange.getMessage().setHeader(Headers.ORDER_ID, result.orderId());
        }
        if (result.holdId() != null) {
            exchange.getMessage().setHeader(Headers.HOLD_ID, result.holdId());
        } else {
            exchange.getMessage().removeHeader(Headers.HOLD_ID);
        }
        exchange.getMessage().setBody(Json.write(body(result)));
    }

    /** A topic this door does not handle: 200, nothing stored. */
    public void ignored(Exchange exchange) {
        metrics.delivery(channel.name(), "ignored");
        answer(exchange, new DeliveryWriter.Result("ignored", null, null));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private DeliveryWriter.Result await(Exchange exchange) {
        Delivery delivery = exchange.getProperty(DELIVERY, Delivery.class);
        try {
            return writer.submit(delivery).get(answerTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while storing the delivery", e);
        } catch (TimeoutException e) {
            // it may still commit: the sender's retry then finds it as a duplicate
            throw new StoreUnavailableException("the store did not confirm the delivery in time", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static void answer(Exchange exchange, DeliveryWriter.Result result) {
        // the request's headers must not be echoed back to the sender
        exchange.getMessage().removeHeaders("*");
        HttpReplies.json(exchange, 200, body(result));
    }

    private static Map<String, Object> body(DeliveryWriter.Result result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", result.result());
        if (result.orderId() != null) {
            body.put("orderId", result.orderId());
        }
        if (result.holdId() != null) {
            body.put("holdId", result.holdId());
        }
        return body;
    }

    private static byte[] raw(Exchange exchange) {
        byte[] raw = exchange.getProperty(RAW_BODY, byte[].class);
        if (raw == null) {
            // a replay: the stored body
            String body = exchange.getMessage().getBody(String.class);
            raw = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.setProperty(RAW_BODY, raw);
        }
        return raw;
    }

    static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String safe(String s) {
        return s == null ? "none" : s.replaceAll("[^A-Za-z0-9/._-]", "?");
    }
}
