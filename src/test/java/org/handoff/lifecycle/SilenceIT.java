package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.handoff.lifecycle.Lifecycle.carrierPost;
import static org.handoff.lifecycle.Lifecycle.trackerEvent;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CARRIER_SILENT: raised once per order past its carrier's cut-off without a scan, resolved by the late scan. */
class SilenceIT {

    /** The repository's mappings in a folder of their own, with this carriers.yaml. */
    private static Path withCarriers(String carriersYaml) throws java.io.IOException {
        Path mappings = Files.createTempDirectory("mappings");
        TestHub.copyTree(Path.of("mappings"), mappings);
        Files.writeString(mappings.resolve("carriers.yaml"), carriersYaml);
        return mappings;
    }

    /** Waits for the first open CARRIER_SILENT hold. */
    private static JsonNode firstSilentHold(TestHub hub) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> hub.api().get("/api/holds?status=open&reason=CARRIER_SILENT").json().get("holds"),
                h -> h.size() >= 1).get(0);
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void silenceRaisesExactlyOneHoldAndTheLateScanResolvesIt(TestDb db) throws Exception {
        // ups falls silent after 2 seconds here; dhl-express keeps 24 hours
        Path mappings = withCarriers("""
                    carriers:
                      ups:
                        phoneRequired: true
                        silenceCutoff: PT2S
                      dhl-express:
                        phoneRequired: true
                        silenceCutoff: PT24H
                    """);
        try {
            try (TestHub hub = Lifecycle.hub(db).mappingsFrom(mappings).start()) {
                Lifecycle.seed(hub, "BOX-1", 10);
                String quiet = Lifecycle.paidOrder(hub, "S-1", "BOX-1", 1);
                String patient = Lifecycle.paidOrder(hub, "S-2", "BOX-1", 1);
                Lifecycle.pickAndHandOver(hub, quiet, "ups", "1Z999AA10000000001");
                Lifecycle.pickAndHandOver(hub, patient, "dhl-express", "JD0140000000001");

                JsonNode hold = firstSilentHold(hub);
                // many more checks run: still exactly one, and none for the carrier with a longer cut-off
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                        .until(() -> hub.api().get("/api/holds?reason=CARRIER_SILENT").json().get("holds").size() == 1);
                assertThat(hold.get("subject").asText()).contains(quiet).contains("1Z999AA10000000001");
                assertThat(hold.get("detail").asText()).contains("no carrier scan").contains("PT2S");
                JsonNode order = hub.api().get("/api/orders/" + quiet).json();
                assertThat(order.get("state").asText()).isEqualTo("HANDED_OVER");
                JsonNode last = order.get("history").get(order.get("history").size() - 1);
                assertThat(last.get("reasonCode").asText()).isEqualTo("CARRIER_SILENT");
                assertThat(last.get("evidence").get("holdId").asLong()).isEqualTo(hold.get("holdId").asLong());

                // the scan arrives late: SHIPPED, and the hub closes its own hold
                TestHub.Response scan = carrierPost(hub, trackerEvent("evt_late", "UPS", "1Z999AA10000000001", "in_transit",
                        Instant.now().truncatedTo(ChronoUnit.SECONDS)));
                assertThat(scan.json().get("result").asText()).isEqualTo("accepted");
                assertThat(Lifecycle.state(hub, quiet)).isEqualTo("SHIPPED");
                JsonNode resolved = hub.api().get("/api/holds/" + hold.get("holdId").asLong()).json();
                assertThat(resolved.get("status").asText()).isEqualTo("resolved");
                assertThat(resolved.get("actions").get(0).get("actor").asText()).isEqualTo("carrier:easypost");
                assertThat(resolved.get("actions").get(0).get("outcome").asText()).contains("evt_late");
                await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                        .until(() -> Lifecycle.openHolds(hub, "CARRIER_SILENT") == 0);
                assertThat(Lifecycle.state(hub, patient)).isEqualTo("HANDED_OVER");
            }
        } finally {
            TestHub.deleteTree(mappings);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aScanRecordedThroughTheApiResolvesTheSilentHoldAsTheCarriersScanDoes(TestDb db) throws Exception {
        Path mappings = withCarriers("""
                    carriers:
                      ups:
                        phoneRequired: true
                        silenceCutoff: PT2S
                    """);
        try {
            try (TestHub hub = Lifecycle.hub(db).mappingsFrom(mappings).start()) {
                Lifecycle.seed(hub, "BOX-2", 10);
                String quiet = Lifecycle.paidOrder(hub, "S-3", "BOX-2", 1);
                Lifecycle.pickAndHandOver(hub, quiet, "ups", "1Z999AA10000000003");
                JsonNode hold = firstSilentHold(hub);

                // the warehouse has the carrier's scan on paper and records it: the hold waited for exactly that
                TestHub.Response scanned = Lifecycle.event(hub, quiet, "CARRIER_SCANNED",
                        java.util.Map.of("carrier", "ups", "trackingNumber", "1Z999AA10000000003"));
                assertThat(scanned.status()).as(scanned.body()).isEqualTo(200);
                assertThat(scanned.json().get("state").asText()).isEqualTo("SHIPPED");
                JsonNode resolved = hub.api().get("/api/holds/" + hold.get("holdId").asLong()).json();
                assertThat(resolved.get("status").asText()).as(resolved.toString()).isEqualTo("resolved");
                JsonNode action = resolved.get("actions").get(0);
                assertThat(action.get("actor").asText()).isEqualTo("wms:WH1");
                assertThat(action.get("outcome").asText()).contains("CARRIER_SCANNED").contains("SHIPPED");
                await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                        .until(() -> Lifecycle.openHolds(hub, "CARRIER_SILENT") == 0);
            }
        } finally {
            TestHub.deleteTree(mappings);
        }
    }
}
