package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Out of order: the carrier's "delivered" reaches the hub before its earlier "failure" (the first attempt). The
 * stale failure is recorded, but opens no CARRIER_EXCEPTION hold ("contact the carrier and the customer") for a
 * parcel already delivered (from a review).
 */
class StaleCarrierExceptionIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aStaleFailureArrivingAfterDeliveryOpensNoExceptionHold(TestDb db) {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "CX-2", 10);
            String orderId = Lifecycle.paidOrder(hub, "CX-B", "CX-2", 1);
            Lifecycle.pickAndHandOver(hub, orderId, "usps", "9400CY");
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Lifecycle.carrierPost(hub, Lifecycle.trackerEvent("evt_cy3", "USPS", "9400CY", "delivered", t.plusSeconds(20)));
            Lifecycle.awaitState(hub, orderId, "DELIVERED");
            JsonNode stale = Lifecycle.carrierPost(hub, Lifecycle.trackerEvent("evt_cy2", "USPS", "9400CY", "failure",
                    t.plusSeconds(10))).json();
            String lastStatus = hub.jdbc().queryOne("select last_status from shipments where order_id = ?",
                    rs -> rs.getString(1), orderId).orElseThrow();
            assertThat(lastStatus).isEqualTo("delivered");
            assertThat(stale.get("result").asText()).as(stale.toString()).isEqualTo("accepted");
            assertThat(Lifecycle.openHolds(hub, "CARRIER_EXCEPTION")).as("answer to the stale failure: " + stale).isZero();
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("DELIVERED");
        }
    }
}
