package org.handoff.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.webhook.Deliveries.demoStock;
import static org.handoff.webhook.Deliveries.reserved;
import static org.handoff.webhook.Deliveries.sample;
import static org.handoff.webhook.Deliveries.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One lock order for every writer: an order's row, then (for a pick) its warehouse's watermark, then stock rows. An
 * event on an order (applyEvent: the WMS's PICKED, an operator's cancel) takes them in that order. A channel's
 * cancel webhook used to lock the batch's stock rows first and the order after: racing a PICKED of the same order,
 * each waited for the other (a deadlock, one of them failed). Here a transaction holds the order's row as a PICKED
 * does while the cancel arrives, then takes the order's stock rows as the PICKED would next: they must be free.
 */
class CancelRacingPickIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aCancelWebhookWaitsForTheOrdersRowBeforeTakingItsStock(TestDb db) throws Exception {
        try (TestHub hub = Deliveries.hub(db).start()) {
            demoStock(hub);
            String orderId = shopify(hub, "orders/create", "ev-c", sample("shopify-orders-create.json")).json()
                    .get("orderId").asText();
            assertThat(reserved(hub, "MUG-WHITE")).isPositive();

            CompletableFuture<JsonNode> cancel;
            long waitedForStockMs;
            try (Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                TestHub.lockRow(c, "select order_id from orders where order_id = ? for update", orderId);
                cancel = CompletableFuture.supplyAsync(() ->
                        shopify(hub, "orders/cancelled", "ev-x", sample("shopify-orders-cancelled.json")).json());
                Thread.sleep(1_000); // the cancel's batch reaches its locks
                assertThat(cancel).isNotDone(); // it waits for the order's row
                long start = System.nanoTime();
                TestHub.lockRow(c, "select sku from stock where sku = ? for update", "MUG-WHITE");
                waitedForStockMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                c.commit();
            }
            assertThat(waitedForStockMs).as("the stock row was held by the waiting cancel").isLessThan(500);
            assertThat(cancel.get(20, TimeUnit.SECONDS).get("result").asText()).isEqualTo("accepted");
            assertThat(hub.api().get("/api/orders/" + orderId).json().get("state").asText()).isEqualTo("CANCELLED");
            assertThat(reserved(hub, "MUG-WHITE")).isZero();
        }
    }
}
