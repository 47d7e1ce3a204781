package org.handoff.security;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 webhook signatures, computed over the exact bytes received and compared in constant
 * time ({@link MessageDigest#isEqual}), so timing tells an attacker nothing about the expected value.
 */
public final class HmacSignatures {

    private HmacSignatures() {}

    public static byte[] hmacSha256(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** True when {@code presented} is the base64 HMAC-SHA256 of {@code body} under {@code key}. */
    public static boolean matchesBase64(byte[] key, byte[] body, String presented) {
        if (key == null || key.length == 0 || presented == null || presented.isBlank()) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(presented.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmacSha256(key, body), claimed);
    }

    public static String base64(byte[] key, byte[] body) {
        return Base64.getEncoder().encodeToString(hmacSha256(key, body));
    }
}
