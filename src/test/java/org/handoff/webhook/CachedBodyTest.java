package org.handoff.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A cached webhook body is read whole, whether or not the cache knows how long it is. */
class CachedBodyTest {

    @Test
    void aBodyIsReadWholeWhateverTheCacheSaysIsAvailable() throws Exception {
        byte[] body = new byte[40_000];
        new Random(7).nextBytes(body);
        assertThat(WebhookIntake.readCached(new ByteArrayInputStream(body))).isEqualTo(body);
        assertThat(WebhookIntake.readCached(new ByteArrayInputStream(new byte[0]))).isEmpty();
        for (int claimed : new int[] {0, 1, 10_000}) {
            InputStream unsure = new FilterInputStream(new ByteArrayInputStream(body)) {
                @Override
                public int available() {
                    return claimed;
                }
            };
            assertThat(WebhookIntake.readCached(unsure)).isEqualTo(body);
        }
    }
}
