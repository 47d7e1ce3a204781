package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A parcel fails delivery, the operator handles it (the CARRIER_EXCEPTION hold is discarded with a note). Later the
 * carrier reports failure again (a new event): that is a new open hold and a history entry, not the old discarded
 * hold that nobody looks at (from a review). While a hold is open, a second event saying the same joins it.
 */
class RepeatedCarrierExceptionIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aLaterCarrierFailureAfterTheFirstWasHandledIsHeldAgain(TestDb db) {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "CX-1", 10);
            String orderId = Lifecycle.paidOrder(hub, "CX-A", "CX-1", 1);
            Lifecycle.pickAndHandOver(hub, orderId, "usps", "9400CX");
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Lifecycle.carrierPost(hub, Lifecycle.trackerEvent("evt_cx1", "USPS", "9400CX", "in_transit", t));
            JsonNode first = Lifecycle.carrierPost(hub, Lifecycle.trackerEvent("evt_cx2", "USPS", "9400CX", "failure",
                    t.plusSeconds(10))).json();
            assertThat(first.get("result").asText()).isEqualTo("held");
            long firstHold = first.get("holdId").asLong();
            TestHub.Response discard = hub.api().post("/api/holds/" + firstHold + "/discard",
                    Map.of("actor", "ops", "note", "called USPS: redelivery booked for tomorrow"));
            assertThat(discard.status()).as(discard.body()).isEqualTo(200);
            int historyBefore = hub.api().get("/api/orders/" + orderId).json().get("history").size();

            // the redelivery fails too
            JsonNode second = Lifecycle.carrierPost(hub, Lifecycle.trackerEvent("evt_cx3", "USPS", "9400CX", "failure",
                    t.plusSeconds(20))).json();
            assertThat(second.get("result").asText()).isEqualTo("held");
            assertThat(second.get("holdId").asLong()).isNotEqualTo(firstHold);
            assertThat(Lifecycle.openHolds(hub, "CARRIER_EXCEPTION"))
                    .as("open CARRIER_EXCEPTION holds after the second failure (answer " + second + ")").isEqualTo(1);
            int historyAfter = hub.api().get("/api/orders/" + orderId).json().get("history").size();
            assertThat(historyAfter).isGreaterThan(historyBefore);

            // while it is open, the carrier saying it once more joins it
            JsonNode third = Lifecycle.carrierPost(hub, Lifecycle.trackerEvent("evt_cx4", "USPS", "9400CX", "failure",
                    t.plusSeconds(30))).json();
            assertThat(third.get("holdId").asLong()).isEqualTo(second.get("holdId").asLong());
            assertThat(Lifecycle.openHolds(hub, "CARRIER_EXCEPTION")).isEqualTo(1);
            assertThat(hub.api().get("/api/orders/" + orderId).json().get("history").size()).isEqualTo(historyAfter);
        }
    }
}
