package org.handoff.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.HexFormat;

/**
 * EasyPost's webhook signature (DESIGN §3): header {@code X-Hmac-Signature: hmac-sha256-hex=<hex>}, the
 * HMAC-SHA256 of the exact body bytes received, keyed with the webhook secret after Unicode NFKD
 * normalization and UTF-8 encoding — what EasyPost's official client libraries do, so a secret with an
 * accent or a ligature verifies the same here as there. Compared in constant time.
 */
public final class EasyPostSignature {

    public static final String HEADER = "X-Hmac-Signature";
    public static final String PREFIX = "hmac-sha256-hex=";

    private final byte[] key;

    /** @param secret the webhook secret as configured at EasyPost (null or blank: nothing verifies) */
    public EasyPostSignature(String secret) {
        this.key = secret == null || secret.isEmpty() ? null
                : Normalizer.normalize(secret, Normalizer.Form.NFKD).getBytes(StandardCharsets.UTF_8);
    }

    public boolean configured() {
        return key != null;
    }

    /** True only for a well-formed header whose digest matches the body. Never throws on bad input. */
    public boolean verify(byte[] body, String header) {
        if (key == null || body == null || header == null) {
            return false;
        }
        String presented = header.trim();
        if (!presented.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        byte[] expected = (PREFIX + hex(body)).getBytes(StandardCharsets.US_ASCII);
        // hex digits are compared case-insensitively; MessageDigest.isEqual is constant-time for equal lengths
        byte[] given = (PREFIX + presented.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT))
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /** The header value a sender would put on this body (tests, the demo). */
    public String sign(byte[] body) {
        if (key == null) {
            throw new IllegalStateException("no webhook secret configured");
        }
        return PREFIX + hex(body);
    }

    private String hex(byte[] body) {
        return HexFormat.of().formatHex(HmacSignatures.hmacSha256(key, body));
    }
}
