package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
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
}
