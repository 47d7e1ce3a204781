package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import org.handoff.files.DropFolders;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** DESIGN §7: CLOSED needs delivery and a reconciled settlement, whichever comes last. */
class OrderCloseIT {

    private static JsonNode settle(TestHub hub, String name, String... rows) throws Exception {
        return DropFolders.awaitReport(DropFolders.drop(hub, "settlements", name,
                "payout_id,order_external_id,type,amount,currency,paid_at\n" + String.join("\n", rows) + "\n"), ".done");
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aDeliveredOrderClosesWhenItsPayoutReconcilesAndNotBefore(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "SKU-CLOSE", 10);
            String orderId = Lifecycle.paidOrder(hub, "close-1", "SKU-CLOSE", 2); // 2 x 12.50 GBP
            Lifecycle.deliver(hub, orderId, "9400CLOSE1");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("DELIVERED");

            settle(hub, "settlement_test-shop_20261123T060000Z.csv",
                    "P-7,close-1,charge,20.00,GBP,2026-11-22T06:00:00Z");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("DELIVERED");
            assertThat(hub.api().get("/api/holds?status=open&reason=SETTLEMENT_MISMATCH").json().get("holds")).hasSize(1);

            settle(hub, "settlement_test-shop_20261124T060000Z.csv",
                    "P-8,close-1,charge,5.00,GBP,2026-11-22T07:00:00Z",
                    "P-8,close-1,fee,-0.90,GBP,2026-11-22T07:00:00Z");
            JsonNode order = hub.api().get("/api/orders/" + orderId).json();
            assertThat(order.get("state").asText()).isEqualTo("CLOSED");
            JsonNode last = order.get("history").get(order.get("history").size() - 1);
            assertThat(last.get("from").asText()).as(order.get("history").toString()).isEqualTo("DELIVERED");
            assertThat(last.get("reasonCode").asText()).isEqualTo("SETTLED");
            assertThat(last.get("actor").asText()).isEqualTo("system:settlement");
            assertThat(last.get("evidence").get("payoutId").asText()).isEqualTo("P-7,P-8");
            assertThat(hub.api().get("/api/holds?status=open&reason=SETTLEMENT_MISMATCH").json().get("holds")).isEmpty();
            // every decision is timed from the fact's own time to the hub's decision
            assertThat(hub.management("/observe/metrics").body())
                    .contains("handoff_sync_latency_seconds_count{flow=\"CARRIER_SCANNED\"}")
                    .contains("handoff_sync_latency_seconds_count{flow=\"SETTLED\"}");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anOrderSettledBeforeDeliveryClosesOnDelivery(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "SKU-CLOSE", 10);
            String orderId = Lifecycle.paidOrder(hub, "close-2", "SKU-CLOSE", 1);
            settle(hub, "settlement_test-shop_20261123T060000Z.csv",
                    "P-9,close-2,charge,12.50,GBP,2026-11-23T06:00:00Z");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("READY_TO_PICK");
            Lifecycle.deliver(hub, orderId, "9400CLOSE2");
            // the delivery itself found the reconciled payout
            TestHub.Response order = hub.api().get("/api/orders/" + orderId);
            assertThat(order.json().get("state").asText()).as(order.body()).isEqualTo("CLOSED");
        }
    }

    /** The operator's SETTLED, as the README shows it. */
    private static TestHub.Response settled(TestHub hub, String orderId, String payoutId) {
        return hub.api().post("/api/orders/" + orderId + "/events", Map.of("type", "SETTLED",
                "evidence", Map.of("payoutId", payoutId), "actor", "ops:anna"));
    }

    private static JsonNode lastEntry(TestHub hub, String orderId) {
        JsonNode history = hub.api().get("/api/orders/" + orderId).json().get("history");
        return history.get(history.size() - 1);
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anOperatorCannotCloseAnOrderWhosePayoutsDoNotReconcileUntilTheMismatchIsAcceptedOnItsHold(TestDb db)
            throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            String orderId = Lifecycle.deliveredOrder(hub, "close-3", 2); // 25.00 GBP
            settle(hub, "settlement_test-shop_20261123T060000Z.csv",
                    "P-7,close-3,charge,20.00,GBP,2026-11-22T06:00:00Z");
            JsonNode holds = hub.api().get("/api/holds?status=open&reason=SETTLEMENT_MISMATCH").json().get("holds");
            assertThat(holds).hasSize(1);
            long holdId = holds.get(0).get("holdId").asLong();

            // the payout lines say 20.00 of 25.00: the operator's word does not close it, the answer names the hold
            TestHub.Response refused = settled(hub, orderId, "P-7");
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
            assertThat(refused.json().get("state").asText()).isEqualTo("DELIVERED");
            assertThat(refused.json().get("reasonCode").asText()).isEqualTo("SETTLEMENT_MISMATCH");
            assertThat(refused.json().get("holdId").asLong()).isEqualTo(holdId);
            assertThat(refused.json().get("message").asText()).contains("expected 25.00 GBP, settled 20.00 GBP");
            // nor does a payout the order's lines do not name
            TestHub.Response other = settled(hub, orderId, "P-99");
            assertThat(other.status()).as(other.body()).isEqualTo(409);
            assertThat(other.json().get("message").asText()).contains("P-99").contains("P-7");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("DELIVERED");
            assertThat(hub.api().get("/api/holds/" + holdId).json().get("status").asText()).isEqualTo("open");

            // a person accepts the mismatch on its hold (shipping paid out with the goods, say); then SETTLED closes
            TestHub.Response discard = hub.api().post("/api/holds/" + holdId + "/discard",
                    Map.of("actor", "ops:anna", "note", "5.00 short: voucher, accepted"));
            assertThat(discard.status()).as(discard.body()).isEqualTo(200);
            TestHub.Response closed = settled(hub, orderId, "P-7");
            assertThat(closed.status()).as(closed.body()).isEqualTo(200);
            assertThat(closed.json().get("state").asText()).isEqualTo("CLOSED");
            JsonNode last = lastEntry(hub, orderId);
            assertThat(last.get("reasonCode").asText()).isEqualTo("SETTLED");
            assertThat(last.get("actor").asText()).isEqualTo("ops:anna");
            assertThat(last.get("evidence").get("payoutId").asText()).isEqualTo("P-7");
            assertThat(last.get("evidence").get("mismatchAcceptedOnHold").asLong()).isEqualTo(holdId);
            assertThat(last.get("evidence").get("reconciliation").asText())
                    .isEqualTo("expected 25.00 GBP, settled 20.00 GBP (payouts P-7)");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anOperatorClosesAnOrderNoPayoutLineIsKnownForButNotWithAnotherOrdersPayout(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            String orderId = Lifecycle.deliveredOrder(hub, "close-4", 1);
            Lifecycle.seed(hub, "SKU-close-5", 10);
            Lifecycle.paidOrder(hub, "close-5", "SKU-close-5", 1);
            settle(hub, "settlement_test-shop_20261123T060000Z.csv",
                    "P-20,close-5,charge,12.50,GBP,2026-11-22T06:00:00Z");

            // P-20 is stored, and it paid close-5, not this order
            TestHub.Response refused = settled(hub, orderId, "P-20");
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
            assertThat(refused.json().get("message").asText()).contains("P-20").contains("other test-shop orders");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("DELIVERED");

            // no payout line known for it: the manual close, with who said so
            TestHub.Response closed = settled(hub, orderId, "bank-transfer-4711");
            assertThat(closed.status()).as(closed.body()).isEqualTo(200);
            assertThat(closed.json().get("state").asText()).isEqualTo("CLOSED");
            JsonNode last = lastEntry(hub, orderId);
            assertThat(last.get("actor").asText()).isEqualTo("ops:anna");
            assertThat(last.get("evidence").get("payoutId").asText()).isEqualTo("bank-transfer-4711");
            assertThat(last.get("evidence").get("reconciliation").asText())
                    .isEqualTo("no payout line stored for this order: closed on the evidence of ops:anna");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aPayoutIdWithACommaIsOneIdAndSeveralIdsCanBeAList(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            String orderId = Lifecycle.deliveredOrder(hub, "close-7", 1);
            Lifecycle.seed(hub, "SKU-close-8", 10);
            Lifecycle.paidOrder(hub, "close-8", "SKU-close-8", 1);
            settle(hub, "settlement_test-shop_20261123T060000Z.csv",
                    "\"P,40\",close-8,charge,12.50,GBP,2026-11-22T06:00:00Z");

            // "P,40" paid close-8: split at its comma it would name two unknown payouts and let the manual close through
            TestHub.Response refused = settled(hub, orderId, "P,40");
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().get("message").asText()).contains("payout P,40 has lines for other");
            TestHub.Response empty = hub.api().post("/api/orders/" + orderId + "/events", Map.of("type", "SETTLED",
                    "evidence", Map.of("payoutId", java.util.List.of(" ")), "actor", "ops:anna"));
            assertThat(empty.status()).as(empty.body()).isEqualTo(400);
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("DELIVERED");

            // several ids as a JSON list, each taken whole
            TestHub.Response closed = hub.api().post("/api/orders/" + orderId + "/events", Map.of("type", "SETTLED",
                    "evidence", Map.of("payoutId", java.util.List.of("bank,4712", "bank-4713")), "actor", "ops:anna"));
            assertThat(closed.status()).as(closed.body()).isEqualTo(200);
            assertThat(closed.json().get("state").asText()).isEqualTo("CLOSED");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void closingAnOrderWhoseLinesNowReconcileResolvesItsOpenMismatchHold(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            String orderId = Lifecycle.deliveredOrder(hub, "close-6", 1); // 12.50 GBP
            settle(hub, "settlement_test-shop_20261123T060000Z.csv",
                    "P-30,close-6,charge,10.00,GBP,2026-11-22T06:00:00Z");
            long holdId = hub.api().get("/api/holds?status=open&reason=SETTLEMENT_MISMATCH").json().get("holds")
                    .get(0).get("holdId").asLong();
            // a later file's batch committed its line and the file broke off before its end: nothing reconciled it
            Instant now = Instant.now();
            hub.jdbc().update("insert into settlement_lines (payout_id, channel, order_external_id, type, amount, currency, "
                    + "paid_at, source_file, source_row, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "P-31",
                    "test-shop", "close-6", "CHARGE", new java.math.BigDecimal("2.50"), "GBP", now,
                    "settlement_test-shop_20261124T060000Z.csv", 2, now);

            TestHub.Response closed = settled(hub, orderId, "P-30,P-31");
            assertThat(closed.status()).as(closed.body()).isEqualTo(200);
            assertThat(closed.json().get("state").asText()).isEqualTo("CLOSED");
            // the hold's subject was settled by the close: resolved, not left open
            JsonNode hold = hub.api().get("/api/holds/" + holdId).json();
            assertThat(hold.get("status").asText()).as(hold.toString()).isEqualTo("resolved");
            assertThat(lastEntry(hub, orderId).get("evidence").get("reconciliation").asText())
                    .isEqualTo("settled 12.50 GBP as expected");
            JsonNode action = hold.get("actions").get(hold.get("actions").size() - 1);
            assertThat(action.get("actor").asText()).isEqualTo("ops:anna");
            assertThat(action.get("outcome").asText()).contains("order closed").contains("settled 12.50 GBP as expected");
        }
    }
}
