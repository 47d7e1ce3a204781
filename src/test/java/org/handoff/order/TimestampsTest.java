package org.handoff.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    /** What OffsetDateTime.parse says, which the fast path must never contradict. */
    private static Instant reference(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void theUsualShapesAreReadDirectly() {
        assertThat(Timestamps.usualShape("2026-11-22T03:00:00Z")).isEqualTo(Instant.parse("2026-11-22T03:00:00Z"));
        assertThat(Timestamps.usualShape("2026-11-22T04:15:00+01:00")).isEqualTo(Instant.parse("2026-11-22T03:15:00Z"));
        assertThat(Timestamps.usualShape("2026-11-21T22:15:00.250-05:30")).isEqualTo(Instant.parse("2026-11-22T03:45:00.250Z"));
        assertThat(Timestamps.usualShape("2024-02-29T00:00:00Z")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
    }

    @Test
    void everythingElseIsLeftToTheJdkWhichStaysTheJudge() {
        List<String> odd = List.of("2026-11-22T04:15+01:00", "2026-11-22t03:00:00z", "2026-02-29T00:00:00Z",
                "2026-11-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T03:00:60Z",
                "2026-11-22T03:00:00", "2026-11-22 03:00:00Z", "22/11/2026 04:15", "2026-11-22T03:00:00.Z",
                "2026-11-22T03:00:00.1234567891Z", "2026-11-22T03:00:00+19:00", "2026-11-22T03:00:00+0100",
                "+12026-11-22T03:00:00Z", "2026-11-22T03:00:00Z ", "", "x");
        for (String text : odd) {
            assertThat(Timestamps.usualShape(text)).as(text).isNull();
            assertThat(Timestamps.parseOffset(text)).as(text).isEqualTo(reference(text));
        }
        assertThat(Timestamps.parseOffset(null)).isNull();
    }

    @Test
    void agreesWithTheJdkOnManyRandomTimestamps() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
            int offsetMinutes = (random.nextInt(36) - 18) * 30;
            String text = OffsetDateTime.ofInstant(at, java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60)).toString();
            assertThat(Timestamps.parseOffset(text)).as(text).isEqualTo(reference(text)).isEqualTo(at);
        }
    }
}
