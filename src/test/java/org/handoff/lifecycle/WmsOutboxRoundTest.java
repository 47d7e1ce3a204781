package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the drain runs its next round at once: a full round, the oldest message of it fresh. */
class WmsOutboxRoundTest {

    private static final Instant NOW = Instant.parse("2026-11-24T05:00:00Z");
    // rounds of 3; keeping up means the oldest message of a full round was queued within the last 2 s
    private final WmsOutbox outbox = new WmsOutbox(null, null, Clock.systemUTC(), "", 1000, Duration.ofMinutes(5), 3,
            Duration.ofSeconds(2), Path.of("unused"), null, Duration.ofSeconds(30));

    private static List<WmsMessage> queued(Instant... createdAt) {
        List<WmsMessage> out = new ArrayList<>();
        long id = 1;
        for (Instant at : createdAt) {
            out.add(new WmsMessage(id, "O-" + id, 1, WmsMessage.PICK_TICKET, "O-" + id + "-v1", "{}",
                    WmsMessage.PENDING, 0, null, at, null));
            id++;
        }
        return out;
    }

    @Test
    void aFullRoundOfFreshMessagesRunsTheNextRoundAtOnce() {
        assertThat(outbox.runAgainAtOnce(queued(NOW.minusMillis(1900), NOW.minusMillis(500), NOW), NOW)).isTrue();
        assertThat(outbox.runAgainAtOnce(queued(NOW.minusSeconds(2), NOW, NOW), NOW)).isTrue();
    }

    @Test
    void aRoundThatIsNotFullWaitsThePollDelay() {
        assertThat(outbox.runAgainAtOnce(queued(NOW, NOW), NOW)).isFalse();
        assertThat(outbox.runAgainAtOnce(queued(), NOW)).isFalse();
    }

    @Test
    void aFullRoundWhoseOldestMessageIsOlderIsBehindAndWaitsThePollDelay() {
        // a backlog (a peak, a restart, the WMS down): one round per poll delay, the CPU left to the intake
        assertThat(outbox.runAgainAtOnce(queued(NOW.minusMillis(2001), NOW, NOW), NOW)).isFalse();
        assertThat(outbox.runAgainAtOnce(queued(NOW.minus(Duration.ofHours(1)), NOW, NOW), NOW)).isFalse();
    }

    @Test
    void aMessageWithoutItsQueueTimeCountsAsBehind() {
        assertThat(outbox.runAgainAtOnce(queued(null, NOW, NOW), NOW)).isFalse();
    }
}
