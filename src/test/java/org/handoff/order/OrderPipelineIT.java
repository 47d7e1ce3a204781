package org.handoff.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The channel-neutral pipeline on the real application and database, driven through its Java entry point. */
class OrderPipelineIT {

    static final ShipTo ADDRESS = new ShipTo("Zoë Müller", "Hauptstraße 1", null, "Berlin", "10115", "DE", "+49301234");

    static CanonicalOrder draft(String externalId, String payment, CanonicalOrder.Line... lines) {
        return new CanonicalOrder("csv-test", externalId, Instant.now().minusSeconds(60), null, null, "EUR",
                "z@example.com", List.of(lines), ADDRESS, "standard", payment, false);
    }

    static Source source(Source.Intent intent) {
        return new Source("csv-test", "system:test", intent, Instant.now(), "k-1", "{}", Map.of(), null, null);
    }

    static void seed(TestHub hub, String sku, int onHand) {
        Instant now = Instant.now();
        hub.jdbc().update("insert into catalog (sku, barcode, description, active, updated_at) values (?, null, ?, true, ?)",
                sku, sku, now);
        hub.jdbc().update("insert into stock (sku, on_hand, reserved, updated_at) values (?, ?, 0, ?)", sku, onHand, now);
    }

    static long reserved(TestHub hub, String sku) {
        return hub.jdbc().queryOne("select reserved from stock where sku = ?", rs -> rs.getLong(1), sku).orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void acceptsReservesDeduplicatesHoldsAndCancels(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-1", 3);
            OrderPipeline pipeline = hub.app().wiring().get(OrderPipeline.class);

            var accepted = pipeline.submit(draft("A-1", "pending",
                    new CanonicalOrder.Line("SKU-1", null, 2, new BigDecimal("19.90"))), source(Source.Intent.CREATE));
            assertThat(accepted.result()).isEqualTo("accepted");
            assertThat(reserved(hub, "SKU-1")).isEqualTo(2);

            // the same order again, by any door: it exists once
            var again = pipeline.submit(draft("A-1", "pending",
                    new CanonicalOrder.Line("SKU-1", null, 2, new BigDecimal("19.90"))), source(Source.Intent.CREATE));
            assertThat(again.result()).isEqualTo("duplicate");
            assertThat(again.orderId()).isEqualTo(accepted.orderId());
            assertThat(reserved(hub, "SKU-1")).isEqualTo(2);

            // only one unit left: held INSUFFICIENT_STOCK, nothing reserved
            var tooMany = pipeline.submit(draft("A-2", "paid", new CanonicalOrder.Line("SKU-1", null, 2, null)),
                    source(Source.Intent.CREATE));
            assertThat(tooMany.result()).isEqualTo("held");
            JsonNode hold = hub.api().get("/api/holds/" + tooMany.holdId()).json();
            assertThat(hold.get("reasonCode").asText()).isEqualTo("INSUFFICIENT_STOCK");
            assertThat(reserved(hub, "SKU-1")).isEqualTo(2);

            // unknown SKU and a bad postcode: one hold naming both
            var bad = pipeline.submit(new CanonicalOrder("csv-test", "A-3", Instant.now(), null, null, "EUR", null,
                    List.of(new CanonicalOrder.Line("NOPE", null, 1, null)),
                    new ShipTo("n", "a", null, "c", "ABCDE", "DE", null), "standard", "paid", false),
                    source(Source.Intent.CREATE));
            JsonNode badHold = hub.api().get("/api/holds/" + bad.holdId()).json();
            assertThat(badHold.get("reasonCode").asText()).isEqualTo("UNKNOWN_SKU");
            assertThat(badHold.get("detail").asText()).contains("UNKNOWN_SKU", "INVALID_POSTCODE");
            JsonNode badOrder = hub.api().get("/api/orders/" + bad.orderId()).json();
            assertThat(badOrder.get("state").asText()).isEqualTo("HELD");

            // the API shows the canonical order with its history
            JsonNode order = hub.api().get("/api/orders?channel=csv-test&externalId=A-1").json();
            assertThat(order.get("orderId").asText()).isEqualTo(accepted.orderId());
            assertThat(order.get("state").asText()).isEqualTo("ACCEPTED");
            assertThat(order.get("lines").get(0).get("unitPrice").decimalValue()).isEqualByComparingTo("19.90");
            assertThat(order.get("history")).extracting(h -> h.get("to").asText())
                    .containsExactly("RECEIVED", "ACCEPTED", "ACCEPTED");
            // the second arrival is in the history, with who sent it, and changed nothing
            assertThat(order.get("history").get(2).get("reasonCode").asText()).isEqualTo("DUPLICATE");
            assertThat(order.get("history").get(2).get("actor").asText()).isEqualTo("system:test");
            assertThat(hub.api().get("/api/orders?state=HELD").json().get("orders")).hasSize(2);

            // picking before payment is illegal: 409 with the current state
            TestHub.Response illegal = hub.api().post("/api/orders/" + accepted.orderId() + "/events",
                    Map.of("type", "PICKED", "evidence", Map.of("reference", "P-1"), "actor", "wms"));
            assertThat(illegal.status()).isEqualTo(409);
            assertThat(illegal.json().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
            assertThat(illegal.json().get("state").asText()).isEqualTo("ACCEPTED");

            TestHub.Response paid = hub.api().post("/api/orders/" + accepted.orderId() + "/events",
                    Map.of("type", "PAYMENT_CAPTURED", "evidence", Map.of("paymentReference", "pi_1"), "actor", "psp"));
            assertThat(paid.json().get("state").asText()).isEqualTo("READY_TO_PICK");

            // cancellation before the pick releases the reservation
            TestHub.Response cancelled = hub.api().post("/api/orders/" + accepted.orderId() + "/events",
                    Map.of("type", "CANCEL_REQUESTED", "evidence", Map.of("reason", "customer"), "actor", "ops:anna"));
            assertThat(cancelled.json().get("state").asText()).isEqualTo("CANCELLED");
            assertThat(reserved(hub, "SKU-1")).isZero();
            assertThat(hub.api().post("/api/orders/" + accepted.orderId() + "/events",
                    Map.of("type", "CANCEL_REQUESTED", "evidence", Map.of("reason", "again"), "actor", "ops")).status())
                    .isEqualTo(409);
            assertThat(hub.api().post("/api/orders/" + accepted.orderId() + "/events",
                    Map.of("type", "HANDED_OVER", "evidence", Map.of(), "actor", "wms")).status()).isEqualTo(400);
            assertThat(hub.api().get("/api/orders/nope").status()).isEqualTo(404);
        }
    }

    /**
     * One transaction's batch, as the webhook writer and the CSV inbox hand it over: new orders decided in
     * memory against the locked stock, an order repeated within the batch (created, then paid) seeing its
     * own first arrival, the last units going to the first order only, and an order the store had before.
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void decidesABatchInSubmissionOrder(TestDb db) {
        try (TestHub hub = TestHub.start(db)) {
            seed(hub, "SKU-B", 5);
            OrderPipeline pipeline = hub.app().wiring().get(OrderPipeline.class);
            var before = pipeline.submit(draft("B-0", "pending", new CanonicalOrder.Line("SKU-B", null, 1, null)),
                    source(Source.Intent.CREATE));
            assertThat(before.result()).isEqualTo("accepted");

            List<OrderPipeline.Outcome> outcomes = hub.jdbc().inTransaction(c ->
                    pipeline.submitAll(c, List.of(
                            new OrderPipeline.Submission(draft("B-1", "pending",
                                    new CanonicalOrder.Line("SKU-B", null, 3, null)), source(Source.Intent.CREATE)),
                            // only one unit is left after B-1: held, and nothing of it reserved
                            new OrderPipeline.Submission(draft("B-2", "paid",
                                    new CanonicalOrder.Line("SKU-B", null, 2, null)), source(Source.Intent.CREATE)),
                            // B-1 again, now paid: the order created two submissions earlier moves on
                            new OrderPipeline.Submission(draft("B-1", "paid",
                                    new CanonicalOrder.Line("SKU-B", null, 3, null)), source(Source.Intent.PAID)),
                            new OrderPipeline.Submission(draft("B-0", "pending",
                                    new CanonicalOrder.Line("SKU-B", null, 1, null)), source(Source.Intent.CREATE)),
                            new OrderPipeline.Submission(draft("B-3", "paid",
                                    new CanonicalOrder.Line("SKU-B", null, 1, null)), source(Source.Intent.CREATE)))));

            assertThat(outcomes).extracting(OrderPipeline.Outcome::result)
                    .containsExactly("accepted", "held", "accepted", "duplicate", "accepted");
            assertThat(outcomes.get(2).orderId()).isEqualTo(outcomes.get(0).orderId());
            assertThat(outcomes.get(3).orderId()).isEqualTo(before.orderId());
            assertThat(reserved(hub, "SKU-B")).isEqualTo(5);
            JsonNode hold = hub.api().get("/api/holds/" + outcomes.get(1).holdId()).json();
            assertThat(hold.get("reasonCode").asText()).isEqualTo("INSUFFICIENT_STOCK");
            assertThat(hold.get("detail").asText()).contains("SKU-B needs 2, 1 available");
            JsonNode b1 = hub.api().get("/api/orders/" + outcomes.get(0).orderId()).json();
            assertThat(b1.get("state").asText()).isEqualTo("READY_TO_PICK");
            assertThat(b1.get("history")).extracting(h -> h.get("to").asText())
                    .containsExactly("RECEIVED", "ACCEPTED", "READY_TO_PICK");
            assertThat(hub.api().get("/api/orders/" + outcomes.get(4).orderId()).json().get("state").asText())
                    .isEqualTo("READY_TO_PICK");
        }
    }
}
