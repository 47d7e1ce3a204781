package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.handoff.order.OrderEvent;
import org.handoff.order.OrderPipeline;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.api.Test;

/**
 * The silence check pages through every shipment awaiting a scan: many older parcels still inside a longer
 * cut-off, or of orders moved on without a scan, never hide a younger parcel past its own (from a review; it
 * listed the 500 oldest, whatever their cut-off, and never looked further).
 */
class SilenceCheckPagingIT {

    /** 500 usps parcels (48 h) handed over 30 h ago, before a dhl-express parcel (24 h) handed over 26 h ago. */
    @Test
    void aShipmentPastItsCutoffIsCheckedWhateverIsOlderAndStillInsideItsOwn() {
        starved(500, false);
    }

    /**
     * 500 old parcels whose orders were moved on by the operator API (CARRIER_SCANNED, as the README allows) keep
     * first_scan_at null and no silent hold: they are no longer candidates, and do not disable the check.
     */
    @Test
    void shipmentsOfOrdersMovedOnWithoutAScanDoNotDisableTheSilenceCheck() {
        starved(500, true);
    }

    private void starved(int older, boolean movedOn) {
        try (TestHub hub = Lifecycle.hub(TestDb.H2).start()) {
            Lifecycle.seed(hub, "SIL-2", 1000);
            OrderPipeline pipeline = hub.app().wiring().get(OrderPipeline.class);
            Instant usps = Instant.now().minus(30, ChronoUnit.HOURS);
            for (int i = 0; i < older; i++) {
                String id = Lifecycle.paidOrder(hub, "U-" + i, "SIL-2", 1);
                pipeline.applyEvent(id, OrderEvent.PICKED, Map.of("reference", "p" + i), "wms:WH1", usps);
                pipeline.applyEvent(id, OrderEvent.HANDED_OVER, Map.of("carrier", "usps", "trackingNumber", "9400U" + i),
                        "wms:WH1", usps.plusSeconds(i).minus(movedOn ? 48 : 0, ChronoUnit.HOURS));
                if (movedOn) {
                    pipeline.applyEvent(id, OrderEvent.CARRIER_SCANNED, Map.of("carrier", "usps", "trackingNumber",
                            "9400U" + i), "ops", null);
                }
            }
            String dhl = Lifecycle.paidOrder(hub, "D-1", "SIL-2", 1);
            Instant dhlAt = Instant.now().minus(26, ChronoUnit.HOURS);
            pipeline.applyEvent(dhl, OrderEvent.PICKED, Map.of("reference", "pd"), "wms:WH1", dhlAt);
            pipeline.applyEvent(dhl, OrderEvent.HANDED_OVER, Map.of("carrier", "dhl-express", "trackingNumber", "JD9999"),
                    "wms:WH1", dhlAt);
            sleep(5000); // 25 silence checks at 200 ms
            // (a usps parcel of the moved-on kind may be held in the moment between its handover and its move)
            assertThat(hub.jdbc().queryOne("select count(*) from holds where status = 'open' and reason_code = "
                    + "'CARRIER_SILENT' and subject like '%JD9999%'", rs -> rs.getLong(1)).orElseThrow())
                    .as("CARRIER_SILENT for the dhl-express parcel silent 26 h (cut-off 24 h)").isEqualTo(1);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
