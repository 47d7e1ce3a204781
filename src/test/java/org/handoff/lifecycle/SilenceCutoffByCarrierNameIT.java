package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.api.Test;

/**
 * The silence cut-off knows a carrier under every name event matching knows (CarrierEvent.carrierKey): a WMS that
 * writes "DHL Express" gets dhl-express's 24 h, not the default 48 h (from a review; it only lower-cased the name).
 */
class SilenceCutoffByCarrierNameIT {

    @Test
    void theSilenceCutoffKnowsTheCarrierUnderTheNamesMatchingKnows() throws Exception {
        try (TestHub hub = Lifecycle.hub(TestDb.H2).start()) {
            Lifecycle.seed(hub, "SIL-1", 10);
            String spelled = Lifecycle.paidOrder(hub, "SIL-A", "SIL-1", 1);
            String plain = Lifecycle.paidOrder(hub, "SIL-B", "SIL-1", 1);
            String at = Instant.now().minus(30, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
            Lifecycle.dispatch(hub,
                    spelled + ",PICKED,,," + at,
                    spelled + ",HANDED_OVER,DHL Express,JD0001," + at,
                    plain + ",PICKED,,," + at,
                    plain + ",HANDED_OVER,dhl-express,JD0002," + at);
            // dhl-express: silent after 24 h; both parcels have been silent for 30 h
            await().atMost(Duration.ofSeconds(10)).until(() -> Lifecycle.openHolds(hub, "CARRIER_SILENT") >= 1);
            Thread.sleep(2000); // several more silence checks
            var holds = hub.api().get("/api/holds?status=open&reason=CARRIER_SILENT").json().get("holds");
            assertThat(holds.toString()).contains("JD0002");
            assertThat(holds.toString()).as("no CARRIER_SILENT for the parcel handed to 'DHL Express' 30 h ago")
                    .contains("JD0001");
        }
    }
}
