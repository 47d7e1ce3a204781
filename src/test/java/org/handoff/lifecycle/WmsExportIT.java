package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.handoff.api.Json;
import org.handoff.testing.HttpReceiver;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Pick tickets and cancels out to the WMS: HTTP with retries and holds, or files; exactly once. */
class WmsExportIT {

    static TestHub.Builder hub(TestDb db, HttpReceiver wms) {
        TestHub.Builder b = TestHub.builder().db(db).env("CARRIER_WEBHOOK_SECRET", Lifecycle.CARRIER_SECRET)
                .property("handoff.wms.poll-delay-ms", "100");
        if (wms != null) {
            // a URL with a query of its own: it reaches the WMS as it is
            b.property("handoff.wms.url", wms.url() + "/wms/orders?client=7");
        }
        return b;
    }

    static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    static List<JsonNode> ofOrder(HttpReceiver wms, String orderId) {
        return wms.received().stream().map(r -> json(r.body())).filter(j -> j.get("orderId").asText().equals(orderId))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void pickTicketGoesOutOnceWithItsIdempotencyKeyAndACancelFollowsACancellation(TestDb db) {
        try (HttpReceiver wms = new HttpReceiver(); TestHub hub = hub(db, wms).start()) {
            Lifecycle.seed(hub, "TEE-1", 5);
            String orderId = Lifecycle.paidOrder(hub, "W-1", "TEE-1", 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> ofOrder(wms, orderId).size() == 1);
            HttpReceiver.Received request = wms.received().get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/wms/orders?client=7");
            assertThat(request.header("Idempotency-Key")).isEqualTo(orderId + "-v1");
            assertThat(request.header("Content-Type")).startsWith("application/json");
            assertThat(request.headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("handoff"));
            JsonNode ticket = json(request.body());
            assertThat(ticket.get("type").asText()).isEqualTo("PICK_TICKET");
            assertThat(ticket.get("version").asInt()).isEqualTo(1);
            assertThat(ticket.get("lines").get(0).get("sku").asText()).isEqualTo("TEE-1");
            assertThat(ticket.get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
            assertThat(ticket.get("shipTo").get("postcode").asText()).isEqualTo("SW1Y 4JH");

            // the same order delivered again, a payment confirmed again: no second ticket
            Lifecycle.paidOrderAgain(hub, "W-1", "TEE-1", 2);
            Lifecycle.event(hub, orderId, "PAYMENT_CAPTURED", Map.of("paymentReference", "pi_again"));
            // cancelled after export: a cancel naming the ticket, same door
            TestHub.Response cancelled = Lifecycle.event(hub, orderId, "CANCEL_REQUESTED", Map.of("reason", "customer"));
            assertThat(cancelled.json().get("state").asText()).isEqualTo("CANCELLED");
            await().atMost(Duration.ofSeconds(20)).until(() -> ofOrder(wms, orderId).size() == 2);
            JsonNode cancel = ofOrder(wms, orderId).get(1);
            assertThat(cancel.get("type").asText()).isEqualTo("CANCEL");
            assertThat(cancel.get("idempotencyKey").asText()).isEqualTo(orderId + "-v2");
            assertThat(cancel.get("cancels").get(0).asText()).isEqualTo(orderId + "-v1");
            assertThat(Lifecycle.stock(hub, "reserved", "TEE-1")).isZero();

            // a restart drains nothing twice
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.jdbc().queryOne(
                    "select count(*) from wms_outbox where status = 'sent'", rs -> rs.getLong(1)).orElseThrow() == 2);
            hub.stop();
            try (TestHub again = TestHub.builder().reuse(hub).property("handoff.wms.url", wms.url() + "/wms/orders")
                    .property("handoff.wms.poll-delay-ms", "100").start()) {
                assertThat(again.jdbc().queryOne("select count(*) from wms_outbox where status = 'sent'",
                        rs -> rs.getLong(1)).orElseThrow()).isEqualTo(2);
                await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                        .until(() -> ofOrder(wms, orderId).size() == 2);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aMessageClaimedByASenderThatDiedIsSentAgainUnderTheSameKey(TestDb db) {
        try (HttpReceiver wms = new HttpReceiver(); TestHub hub = hub(db, wms)
                .property("handoff.wms.claim-timeout", "PT1S").start()) {
            Lifecycle.seed(hub, "TEE-2", 5);
            String orderId = Lifecycle.paidOrder(hub, "W-2", "TEE-2", 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> ofOrder(wms, orderId).size() == 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(hub.jdbc().queryOne(
                    "select status from wms_outbox where order_id = ?", rs -> rs.getString(1), orderId).orElse(null)));
            // as if the instance died after the WMS answered but before it recorded 'sent'
            hub.jdbc().update("update wms_outbox set status = 'sending', claimed_at = ? where order_id = ?",
                    java.time.Instant.now().minusSeconds(5), orderId);
            await().atMost(Duration.ofSeconds(20)).until(() -> ofOrder(wms, orderId).size() == 2);
            List<String> keys = wms.received().stream().map(r -> r.header("Idempotency-Key")).toList();
            assertThat(keys).containsExactly(orderId + "-v1", orderId + "-v1");
            assertThat(hub.jdbc().queryOne("select count(*) from wms_outbox", rs -> rs.getLong(1)).orElseThrow())
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void wmsDownIsRetriedThenHeldAndReleaseSendsItAgain(TestDb db) {
        // the WMS wants a credential: from the environment, on every request, never in the hold
        try (HttpReceiver wms = new HttpReceiver();
             TestHub hub = hub(db, wms).env("HANDOFF_WMS_AUTH", "Bearer wms-secret-7").start()) {
            wms.answer(503);
            Lifecycle.seed(hub, "TEE-3", 5);
            String orderId = Lifecycle.paidOrder(hub, "W-3", "TEE-3", 1);
            JsonNode hold = await().atMost(Duration.ofSeconds(20)).until(
                    () -> hub.api().get("/api/holds?status=open&reason=DOWNSTREAM_UNAVAILABLE").json().get("holds"),
                    h -> h.size() == 1).get(0);
            assertThat(hold.get("source").asText()).isEqualTo("wms");
            assertThat(hold.get("subject").asText()).contains(orderId + "-v1");
            assertThat(hub.api().get("/api/holds/" + hold.get("holdId").asLong()).body()).doesNotContain("wms-secret-7");
            // the drain marks the row held right after the hold's own commit: wait for that, not just the hold
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.jdbc().queryOne("select status from wms_outbox "
                    + "where order_id = ?", rs -> rs.getString(1), orderId).orElseThrow(), "held"::equals);
            // held: the drain leaves it alone
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> hub.api()
                    .get("/api/holds?reason=DOWNSTREAM_UNAVAILABLE").json().get("holds").size() == 1);
            assertThat(wms.received()).isEmpty();

            // still down: the release keeps the same hold open, one more attempt
            long holdId = hold.get("holdId").asLong();
            TestHub.Response stillDown = hub.api().post("/api/holds/" + holdId + "/release", Map.of("actor", "ops:kim"));
            assertThat(stillDown.json().get("status").asText()).isEqualTo("open");

            wms.answer(200);
            TestHub.Response released = hub.api().post("/api/holds/" + holdId + "/release",
                    Map.of("actor", "ops:kim", "note", "WMS back"));
            assertThat(released.json().get("status").asText()).as(released.body()).isEqualTo("released");
            assertThat(wms.received()).hasSize(1);
            assertThat(wms.received().get(0).header("Idempotency-Key")).isEqualTo(orderId + "-v1");
            assertThat(wms.received().get(0).header("Authorization")).isEqualTo("Bearer wms-secret-7");
            assertThat(hub.jdbc().queryOne("select status from wms_outbox where order_id = ?", rs -> rs.getString(1),
                    orderId).orElseThrow()).isEqualTo("sent");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void withoutAUrlEachMessageIsOneFileInTheOutboxFolder(TestDb db) throws Exception {
        try (TestHub hub = hub(db, null).start()) {
            Lifecycle.seed(hub, "TEE-4", 5);
            String orderId = Lifecycle.paidOrder(hub, "W-4", "TEE-4", 1);
            Path outbox = hub.dataDir().resolve("outbox").resolve("wms");
            Path ticket = outbox.resolve("pick-ticket_" + orderId + "_v1.json");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ticket));
            assertThat(json(Files.readString(ticket)).get("idempotencyKey").asText()).isEqualTo(orderId + "-v1");
            Lifecycle.event(hub, orderId, "CANCEL_REQUESTED", Map.of("reason", "customer"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(outbox.resolve("cancel_" + orderId + "_v2.json")));
            try (Stream<Path> files = Files.list(outbox)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                        "pick-ticket_" + orderId + "_v1.json", "cancel_" + orderId + "_v2.json");
            }
        }
    }
}
