package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN §1.4 hold, don't guess: a dispatch row whose occurred_at is a bare date ("2026-11-24") is held BAD_ROW,
 * not taken as midnight UTC. The pick's time decides whether a count already reflects it: a guessed midnight
 * puts a pick made after the night's count before it, and leaves phantom units sellable (from a review).
 */
class DispatchTimeOfDayIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aDispatchRowWithADateButNoTimeIsHeldNotTakenAsMidnight(TestDb db) {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "DT-1", 10);
            String orderId = Lifecycle.paidOrder(hub, "DT-A", "DT-1", 2);
            LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
            JsonNode report = Lifecycle.dispatch(hub, orderId + ",PICKED,,," + yesterday);
            assertThat(report.get("rowsHeld").asLong()).as("dispatch report " + report).isEqualTo(1);
            assertThat(report.toString()).contains("BAD_ROW");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("READY_TO_PICK");
            assertThat(Lifecycle.stock(hub, "on_hand", "DT-1")).isEqualTo(10);
        }
    }
}
