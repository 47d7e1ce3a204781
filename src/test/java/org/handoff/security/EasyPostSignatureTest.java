package org.handoff.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Vectors computed independently with OpenSSL, e.g.
 * {@code printf '%s' "$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:66696e616c2d7365cc8163726574}
 * where the hex key is the UTF-8 of the NFKD form of the secret.
 */
class EasyPostSignatureTest {

    /** 179 bytes, no trailing newline. */
    static final String BODY = "{\"id\":\"evt_vector1\",\"object\":\"Event\",\"description\":\"tracker.updated\","
            + "\"result\":{\"object\":\"Tracker\",\"tracking_code\":\"9400100000000000000001\",\"carrier\":\"USPS\","
            + "\"status\":\"in_transit\"}}";
    /** "ﬁnal-sécret" with the ﬁ ligature (U+FB01) and a precomposed é (U+00E9): NFKD makes it "final-se\u0301cret". */
    static final String SECRET = "\uFB01nal-s\u00E9cret";
    /** openssl over BODY with hexkey:66696e616c2d7365cc8163726574 (the NFKD bytes). */
    static final String NFKD_VECTOR = "hmac-sha256-hex=905b21ce8f98d5d0678d902de5d774c7c8dba7d969c1add9f8d06687325fcee4";
    /** openssl over BODY with the raw, unnormalized secret bytes (efac816e616c2d73c3a963726574): must NOT verify. */
    static final String RAW_KEY_VECTOR = "hmac-sha256-hex=59416e009a420d2341e5051fecd5830a5caf5aa1de2cc016d5a6aee1a19b1a23";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theBodyIsTheOneTheVectorWasComputedOver() {
        assertThat(bytes(BODY)).hasSize(179);
    }

    @Test
    void verifiesTheOpenSslVectorWithTheSecretNfkdNormalizedFirst() {
        EasyPostSignature sig = new EasyPostSignature(SECRET);
        assertThat(sig.verify(bytes(BODY), NFKD_VECTOR)).isTrue();
        assertThat(sig.sign(bytes(BODY))).isEqualTo(NFKD_VECTOR);
        // the same secret typed already decomposed verifies the same
        assertThat(new EasyPostSignature("final-se\u0301cret").verify(bytes(BODY), NFKD_VECTOR)).isTrue();
    }

    @Test
    void aSignatureKeyedWithTheUnnormalizedSecretDoesNotVerify() {
        assertThat(new EasyPostSignature(SECRET).verify(bytes(BODY), RAW_KEY_VECTOR)).isFalse();
    }

    @Test
    void plainAsciiSecretMatchesOpenSsl() {
        // printf '%s' plain | openssl dgst -sha256 -mac HMAC -macopt key:whsec_test
        EasyPostSignature sig = new EasyPostSignature("whsec_test");
        assertThat(sig.verify(bytes("plain"),
                "hmac-sha256-hex=0a424edb4dcfebd0dfcf461afeecfaca8e78826af6ff1864f3949c0bfd0f3b9e")).isTrue();
        // upper-case hex digits and surrounding blanks are the same signature
        assertThat(sig.verify(bytes("plain"),
                " hmac-sha256-hex=0A424EDB4DCFEBD0DFCF461AFEECFACA8E78826AF6FF1864F3949C0BFD0F3B9E ")).isTrue();
    }

    @Test
    void refusesAnythingElse() {
        EasyPostSignature sig = new EasyPostSignature(SECRET);
        byte[] body = bytes(BODY);
        assertThat(sig.verify(body, null)).isFalse();
        assertThat(sig.verify(body, "")).isFalse();
        assertThat(sig.verify(body, NFKD_VECTOR.substring("hmac-sha256-hex=".length()))).as("missing prefix").isFalse();
        assertThat(sig.verify(body, "sha256=" + NFKD_VECTOR.substring(16))).isFalse();
        assertThat(sig.verify(body, NFKD_VECTOR.substring(0, NFKD_VECTOR.length() - 2))).as("truncated").isFalse();
        assertThat(sig.verify(body, NFKD_VECTOR.replace("905b", "905c"))).as("one digit off").isFalse();
        assertThat(sig.verify(bytes(BODY + " "), NFKD_VECTOR)).as("one byte more in the body").isFalse();
        assertThat(sig.verify(body, "hmac-sha256-hex=zz\u00e9")).isFalse();
    }

    @Test
    void withoutASecretNothingVerifies() {
        assertThat(new EasyPostSignature(null).verify(bytes(BODY), NFKD_VECTOR)).isFalse();
        assertThat(new EasyPostSignature("").configured()).isFalse();
    }
}
