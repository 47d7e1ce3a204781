package org.handoff.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The foundation's error path on the real application: a processing route using the shared
 * processing-errors configuration dead-letters into the hold table, transient faults are retried
 * first, and the operator API releases (replays) and discards holds.
 */
class HoldTableIT {

    /** A processing route as later issues write them: direct: entry, processing-errors, a bean that may refuse. */
    private static RouteBuilder entryRoute(AtomicInteger calls, Map<String, String> behaviour) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:test-entry").routeId("test-entry").routeConfigurationId("processing-errors")
                        .process(exchange -> {
                            calls.incrementAndGet();
                            String body = exchange.getMessage().getBody(String.class);
                            String mode = behaviour.getOrDefault(body, "ok");
                            switch (mode) {
                                case "refuse" -> throw new HoldException("UNKNOWN_SKU", "SKU X-1 is not in the catalog");
                                case "transient" -> throw new java.net.ConnectException("connection refused");
                                case "boom" -> throw new IllegalStateException("unexpected");
                                default -> exchange.getMessage().setHeader("HandoffOutcome", "accepted");
                            }
                        });
            }
        };
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void deadLetteredRecordIsHeldAndReleaseReplaysItUnderItsOriginalHeaders(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            AtomicInteger calls = new AtomicInteger();
            Map<String, String> behaviour = new java.util.concurrent.ConcurrentHashMap<>(Map.of("order-1", "refuse"));
            hub.app().context().addRoutes(entryRoute(calls, behaviour));

            var producer = hub.app().context().createProducerTemplate();
            producer.sendBodyAndHeaders("direct:test-entry", "order-1",
                    Map.of("HandoffSource", "shopify", "HandoffSubject", "order 1001", "X-Shopify-Event-Id", "ev-1"));

            JsonNode list = hub.api().get("/api/holds?status=open&reason=UNKNOWN_SKU").json();
            assertThat(list.get("holds")).hasSize(1);
            JsonNode hold = list.get("holds").get(0);
            assertThat(hold.get("source").asText()).isEqualTo("shopify");
            assertThat(hold.get("subject").asText()).isEqualTo("order 1001");
            assertThat(hold.get("detail").asText()).contains("X-1");
            assertThat(hold.get("attempts").asInt()).isEqualTo(1);
            assertThat(hold.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            long holdId = hold.get("holdId").asLong();

            JsonNode detail = hub.api().get("/api/holds/" + holdId).json();
            assertThat(detail.get("payload").asText()).isEqualTo("order-1");
            assertThat(detail.get("headers").get("X-Shopify-Event-Id").asText()).isEqualTo("ev-1");
            assertThat(detail.get("entryEndpoint").asText()).isEqualTo("direct:test-entry");

            // still refused: the same hold is updated, one more attempt, no second hold
            TestHub.Response again = hub.api().post("/api/holds/" + holdId + "/release",
                    Map.of("actor", "ops:anna", "note", "try again"));
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().get("status").asText()).isEqualTo("open");
            assertThat(hub.api().get("/api/holds/" + holdId).json().get("attempts").asInt()).isEqualTo(2);
            assertThat(hub.api().get("/api/holds").json().get("holds")).hasSize(1);

            // the fix is in: release applies it and closes the hold, recording actor, note and outcome
            behaviour.put("order-1", "ok");
            TestHub.Response released = hub.api().post("/api/holds/" + holdId + "/release",
                    Map.of("actor", "ops:anna", "note", "SKU mapped"));
            assertThat(released.json().get("status").asText()).isEqualTo("released");
            assertThat(released.json().get("outcome").asText()).isEqualTo("accepted");
            JsonNode closed = hub.api().get("/api/holds/" + holdId).json();
            assertThat(closed.get("actions")).hasSize(2);
            assertThat(closed.get("actions").get(1).get("actor").asText()).isEqualTo("ops:anna");
            assertThat(closed.get("actions").get(1).get("note").asText()).isEqualTo("SKU mapped");

            // acting on a closed hold is a conflict
            TestHub.Response conflict = hub.api().post("/api/holds/" + holdId + "/release", Map.of("actor", "ops:anna"));
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.json().get("error").asText()).isEqualTo("HOLD_CLOSED");
            assertThat(calls.get()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void transientFaultsAreRetriedWithBackOffThenHeldAsDownstreamUnavailable(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            AtomicInteger calls = new AtomicInteger();
            hub.app().context().addRoutes(entryRoute(calls, Map.of("push", "transient", "bug", "boom")));
            var producer = hub.app().context().createProducerTemplate();
            producer.sendBody("direct:test-entry", "push");
            // TestHub sets handoff.redelivery.max-attempts=2: one try and two redeliveries
            assertThat(calls.get()).isEqualTo(3);
            assertThat(hub.api().get("/api/holds?reason=DOWNSTREAM_UNAVAILABLE").json().get("holds")).hasSize(1);

            producer.sendBody("direct:test-entry", "bug");
            // not transient: no redelivery
            assertThat(calls.get()).isEqualTo(4);
            JsonNode held = hub.api().get("/api/holds?reason=PROCESSING_ERROR").json().get("holds");
            assertThat(held).hasSize(1);
            long id = held.get(0).get("holdId").asLong();

            TestHub.Response discarded = hub.api().post("/api/holds/" + id + "/discard",
                    Map.of("actor", "ops:ben", "note", "test record"));
            assertThat(discarded.status()).isEqualTo(200);
            assertThat(hub.api().get("/api/holds/" + id).json().get("status").asText()).isEqualTo("discarded");
            assertThat(hub.api().get("/api/holds?status=open").json().get("holds")).hasSize(1);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(hub.management("/observe/metrics").body())
                    .contains("handoff_holds_open{reason=\"DOWNSTREAM_UNAVAILABLE\"} 1.0")
                    .contains("handoff_holds_open{reason=\"PROCESSING_ERROR\"} 0.0"));
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void operatorApiNeedsTheBearerTokenAndAnswersJsonErrors(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            TestHub.Response noToken = hub.get("/api/holds");
            assertThat(noToken.status()).isEqualTo(401);
            assertThat(noToken.json().get("error").asText()).isEqualTo("UNAUTHORIZED");
            TestHub.Response wrong = hub.post("/api/holds/1/discard", "{}".getBytes(),
                    Map.of("Authorization", "Bearer nope", "Content-Type", "application/json"));
            assertThat(wrong.status()).isEqualTo(401);

            assertThat(hub.api().get("/api/holds/999").status()).isEqualTo(404);
            assertThat(hub.api().get("/api/holds/999").json().get("error").asText()).isEqualTo("NOT_FOUND");
            assertThat(hub.api().get("/api/holds/abc").status()).isEqualTo(404);
            assertThat(hub.api().get("/api/holds?status=bogus").status()).isEqualTo(400);
            TestHub.Response malformed = hub.api().post("/api/holds/1/discard", "{not json");
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.body()).doesNotContain("Exception").doesNotContain("\tat ");
            TestHub.Response missingActor = hub.api().post("/api/holds/1/discard", Map.of("note", "x"));
            assertThat(missingActor.status()).isEqualTo(400);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                TestHub.Response health = hub.management("/observe/health");
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.body()).contains("UP");
            });
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void holdsSurviveARestart(TestDb db) throws Exception {
        TestHub first = TestHub.start(db);
        long holdId;
        try {
            first.app().context().addRoutes(entryRoute(new AtomicInteger(), Map.of("x", "refuse")));
            first.app().context().createProducerTemplate().sendBody("direct:test-entry", "x");
            holdId = first.api().get("/api/holds").json().get("holds").get(0).get("holdId").asLong();
        } finally {
            first.stop();
        }
        try (TestHub second = TestHub.builder().reuse(first).start()) {
            JsonNode hold = second.api().get("/api/holds/" + holdId).json();
            assertThat(hold.get("status").asText()).isEqualTo("open");
            assertThat(hold.get("reasonCode").asText()).isEqualTo("UNKNOWN_SKU");
            assertThat(hold.get("payload").asText()).isEqualTo("x");
        }
    }
}
