package org.handoff.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HmacSignaturesTest {

    static final byte[] KEY = "test_secret_key".getBytes(StandardCharsets.UTF_8);
    static final byte[] BODY = "{\"foo\": \"bar\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shopifysPublishedVectorVerifies() {
        assertThat(BODY).hasSize(14);
        assertThat(HmacSignatures.matchesBase64(KEY, BODY, "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=")).isTrue();
        assertThat(HmacSignatures.base64(KEY, BODY)).isEqualTo("B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=");
    }

    @Test
    void oneByteChangedOrAnythingMissingFails() {
        byte[] altered = BODY.clone();
        altered[9] = 'c';
        assertThat(HmacSignatures.matchesBase64(KEY, altered, "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=")).isFalse();
        assertThat(HmacSignatures.matchesBase64(KEY, BODY, null)).isFalse();
        assertThat(HmacSignatures.matchesBase64(KEY, BODY, "")).isFalse();
        assertThat(HmacSignatures.matchesBase64(KEY, BODY, "not base64 !")).isFalse();
        assertThat(HmacSignatures.matchesBase64(null, BODY, "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=")).isFalse();
        assertThat(HmacSignatures.matchesBase64("other".getBytes(StandardCharsets.UTF_8), BODY,
                "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=")).isFalse();
    }
}
