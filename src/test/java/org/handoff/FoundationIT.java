package org.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The running hub's own behaviour: health follows the database, mappings reload without a restart. */
class FoundationIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void healthIsUpWithTheDatabaseAndDownWithoutIt(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            // consumers count as UP once they have polled: under load that can take a moment after start
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(hub.management("/observe/health").status()).isEqualTo(200));
            hub.app().database().close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                TestHub.Response health = hub.management("/observe/health");
                assertThat(health.status()).isEqualTo(503);
                assertThat(health.body()).contains("DOWN");
            });
            // the operator API answers 503 with a JSON error, not a stack trace
            TestHub.Response holds = hub.api().get("/api/holds");
            assertThat(holds.status()).isEqualTo(503);
            assertThat(holds.json().get("error").asText()).isEqualTo("STORE_UNAVAILABLE");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void editedMappingsComeIntoForceWithoutARestartAndBrokenOnesAreRefused(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            var mappings = hub.app().wiring().get(org.handoff.mapping.Mappings.class);
            Files.writeString(hub.mappingsDir().resolve("channels.yaml"), "channels:\n  shopify:\n    safetyStock: 9\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> mappings.safetyStock("shopify", "ANY") == 9);

            Files.writeString(hub.mappingsDir().resolve("channels.yaml"), "channels:\n  shopify:\n    safetyStock: x\n");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(hub.management("/observe/health").body()).contains("channels.yaml"));
            assertThat(mappings.safetyStock("shopify", "ANY")).isEqualTo(9);
            assertThat(hub.management("/observe/health").status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void unknownEndpointsAnswerAJsonError(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            TestHub.Response unknown = hub.api().get("/api/no-such-thing");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().get("error").asText()).isEqualTo("NOT_FOUND");
            TestHub.Response wrongMethod = hub.post("/api/holds", "{}".getBytes(), java.util.Map.of());
            assertThat(wrongMethod.status()).isEqualTo(404);
            assertThat(wrongMethod.json().get("message").asText()).contains("POST /api/holds");
        }
    }
}
