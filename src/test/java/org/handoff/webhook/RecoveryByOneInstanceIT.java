package org.handoff.webhook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.handoff.api.Json;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import java.util.ArrayList;
import java.util.List;

/**
 * DESIGN §3 + §9: a delivery committed but not processed (the instance died right after the commit) is completed by
 * the recovery sweep — by one instance. Two instances on one PostgreSQL both run the sweep; when their sweeps met,
 * each replayed the same stored delivery: the order got a DUPLICATE history entry from its one delivery, and the
 * loser overwrote the delivery log's result. A sweep now claims a delivery before replaying it.
 */
class RecoveryByOneInstanceIT {

    @Test
    void aStoredDeliveryIsRecoveredByOneInstanceOnly() throws Exception {
        TestDb.POSTGRES.assumeAvailable();
        try (TestHub a = TestHub.builder().db(TestDb.POSTGRES).env("SHOPIFY_WEBHOOK_SECRET", "s").start()) {
            TestHub b = TestHub.builder().reuse(a).env("SHOPIFY_WEBHOOK_SECRET", "s").start();
            List<Integer> recoveredPerRound = new ArrayList<>();
            try {
                for (int round = 0; round < 5; round++) {
                    String body = Files.readString(Path.of("samples/webhooks/shopify-orders-create.json"))
                            .replace("5810038866001", "58100388660" + (10 + round));
                    a.jdbc().update("insert into webhook_deliveries (channel, dedupe_key, topic, body_sha256, body, headers, "
                            + "status, received_at) values ('shopify', ?, 'orders/create', 'x', ?, ?, 'received', ?)",
                            "event:race-" + round, body, Json.write(Map.of("X-Shopify-Topic", "orders/create",
                                    "X-Shopify-Event-Id", "race-" + round)), Instant.now().minusSeconds(60));
                    ExecutorService pool = Executors.newFixedThreadPool(2);
                    CountDownLatch go = new CountDownLatch(1);
                    Future<Integer> fa = pool.submit(() -> { go.await(); return a.app().wiring().get(WebhookDeliveries.class).recover(); });
                    Future<Integer> fb = pool.submit(() -> { go.await(); return b.app().wiring().get(WebhookDeliveries.class).recover(); });
                    go.countDown();
                    recoveredPerRound.add(fa.get() + fb.get());
                    pool.shutdown();
                }
                Thread.sleep(1000);
                List<String> duplicates = a.jdbc().query("select o.external_id from order_history h join orders o "
                        + "on o.order_id = h.order_id where h.reason_code = 'DUPLICATE'", rs -> rs.getString(1));
                assertThat(recoveredPerRound).as("times each single stored delivery was processed (5 rounds)")
                        .containsOnly(1);
                assertThat(duplicates).as("orders with a DUPLICATE entry though each arrived once").isEmpty();
                assertThat(a.jdbc().query("select status from webhook_deliveries where dedupe_key like 'event:race-%'",
                        rs -> rs.getString(1))).hasSize(5).containsOnly("processed");
            } finally {
                b.stop();
            }
        }
    }
}
