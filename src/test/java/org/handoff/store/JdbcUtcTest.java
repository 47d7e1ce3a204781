package org.handoff.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JdbcUtcTest {

    @Test
    void theParameterIsTheInstantAtUtc() {
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L), random.nextInt(1_000_000_000));
            assertThat(Jdbc.utc(instant)).isEqualTo(instant.atOffset(ZoneOffset.UTC));
        }
        assertThat(Jdbc.utc(Instant.EPOCH).getOffset()).isEqualTo(ZoneOffset.UTC);
    }
}
