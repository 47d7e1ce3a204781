package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.drop;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.awaitility.Awaitility;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A carrier or tracking number longer than the shipments table stores is bad data from the sender: a dispatch
 * row is held BAD_ROW alone (the file's good rows apply), the operator API answers 400 with a JSON error; never
 * a failed file or a 500 (from a review).
 */
class ShipmentWidthsIT {

    static final String LONG = "X".repeat(250);

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aDispatchFileWithOneOverLongTrackingNumberHoldsThatRowAlone(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "W-1", 50);
            String o2 = Lifecycle.paidOrder(hub, "W-B", "W-1", 1);
            String o3 = Lifecycle.paidOrder(hub, "W-C", "W-1", 1);
            String at = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
            Path dropped = drop(hub, "dispatch", "dispatch_WH1_20261122T070000Z.csv",
                    "order_id,event,carrier,tracking_number,occurred_at\n"
                            + o2 + ",PICKED,,," + at + "\n"
                            + o2 + ",HANDED_OVER,usps," + LONG + "," + at + "\n"
                            + o3 + ",PICKED,,," + at + "\n"
                            + o3 + ",HANDED_OVER," + "C".repeat(101) + ",9400W3," + at + "\n");
            Path report = dropped.getParent().resolve(".done").resolve(dropped.getFileName() + ".report.json");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(report));
            JsonNode r = org.handoff.api.Json.MAPPER.readTree(Files.readString(report));
            assertThat(r.get("rowsApplied").asLong()).as(r.toString()).isEqualTo(2);
            assertThat(r.get("rowsHeld").asLong()).as(r.toString()).isEqualTo(2);
            assertThat(r.get("heldByReason").get("BAD_ROW").asLong()).as(r.toString()).isEqualTo(2);
            assertThat(Lifecycle.state(hub, o2)).isEqualTo("PICKED");
            assertThat(Lifecycle.state(hub, o3)).isEqualTo("PICKED");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aHandoverPostedWithAnOverLongTrackingNumberOrCarrierIs400(TestDb db) {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "W-1", 50);
            String o1 = Lifecycle.paidOrder(hub, "W-A", "W-1", 1);
            Lifecycle.event(hub, o1, "PICKED", Map.of("reference", "p"));
            TestHub.Response h = Lifecycle.event(hub, o1, "HANDED_OVER", Map.of("carrier", "usps", "trackingNumber", LONG));
            assertThat(h.status()).as(h.body()).isEqualTo(400);
            assertThat(h.json().get("message").asText()).as(h.body()).contains("tracking");
            TestHub.Response c = Lifecycle.event(hub, o1, "HANDED_OVER", Map.of("carrier", LONG, "trackingNumber", "9400W1"));
            assertThat(c.status()).as(c.body()).isEqualTo(400);
            assertThat(c.json().get("message").asText()).as(c.body()).contains("carrier");
            assertThat(Lifecycle.state(hub, o1)).isEqualTo("PICKED");
            // and one that fits still goes
            assertThat(Lifecycle.event(hub, o1, "HANDED_OVER", Map.of("carrier", "usps", "trackingNumber", "9400W1"))
                    .status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aCarrierEventWithAnOverLongTrackingCodeIsHeldMalformed(TestDb db) {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            TestHub.Response c = Lifecycle.carrierPost(hub, Lifecycle.trackerEvent("evt_w1", "USPS", LONG, "in_transit",
                    Instant.now()));
            assertThat(c.status()).as(c.body()).isEqualTo(200);
            // held as what it is: the sender's bad data, not a processing error
            assertThat(c.json().get("result").asText()).as(c.body()).isEqualTo("held");
            assertThat(Lifecycle.openHolds(hub, "MALFORMED_PAYLOAD")).isEqualTo(1);
            assertThat(Lifecycle.openHolds(hub, "PROCESSING_ERROR")).isZero();
        }
    }
}
