package org.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutboundPauseTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void eachFailureInARowDoublesThePauseUpToEightTimesTheBase() {
        OutboundPause pause = new OutboundPause(Duration.ofSeconds(30));
        assertThat(pause.isPaused(T0)).isFalse();
        assertThat(pause.failed(T0)).hasSeconds(30);
        assertThat(pause.failed(T0)).hasSeconds(60);
        assertThat(pause.failed(T0)).hasSeconds(120);
        assertThat(pause.failed(T0)).hasSeconds(240);
        assertThat(pause.failed(T0)).hasSeconds(240);
    }

    @Test
    void pausedUntilThePauseEndsAndAPushItTakesEndsTheOutage() {
        OutboundPause pause = new OutboundPause(Duration.ofSeconds(30));
        assertThat(pause.succeeded()).isFalse(); // nothing to end
        pause.failed(T0);
        assertThat(pause.isPaused(T0.plusSeconds(29))).isTrue();
        assertThat(pause.isPaused(T0.plusSeconds(30))).isFalse(); // time for a try; still down until it takes one
        assertThat(pause.failed(T0.plusSeconds(30))).hasSeconds(60);
        assertThat(pause.succeeded()).isTrue();
        assertThat(pause.isPaused(T0.plusSeconds(31))).isFalse();
        assertThat(pause.failed(T0.plusSeconds(40))).hasSeconds(30); // a new outage starts from the base
    }

    @Test
    void aPauseIsAtLeastWhatTheLastAnswerAskedForUpToTheLongestPause() {
        OutboundPause pause = new OutboundPause(Duration.ofSeconds(30));
        assertThat(pause.failed(T0, Duration.ofSeconds(5))).hasSeconds(30); // asked for less: the back-off's pause
        assertThat(pause.failed(T0, Duration.ofSeconds(90))).hasSeconds(90); // more than 60: what it asked for
        assertThat(pause.isPaused(T0.plusSeconds(89))).isTrue();
        assertThat(pause.failed(T0, Duration.ofHours(1))).hasSeconds(240); // an hour: the longest pause, 8 x 30 s
        assertThat(pause.failed(T0, null)).hasSeconds(240);
    }
}
