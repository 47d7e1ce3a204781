package org.handoff.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.OrderPipeline;
import org.handoff.order.ShipTo;
import org.handoff.order.Source;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One hold, released twice at the same moment (two operators, a client's retry, two instances behind a load
 * balancer): it is replayed once. Before, both releases replayed it and the WMS got the same pick ticket twice.
 * The second is refused 409 {@code HOLD_BUSY} while the first runs, and {@code HOLD_CLOSED} after it.
 */
class ConcurrentReleaseIT {

    /** A WMS that answers 503 until told otherwise, then 200 after 1.5 s (a release takes that long). */
    static final class SlowWms implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger status = new AtomicInteger(503);
        final List<String> accepted = new CopyOnWriteArrayList<>();

        SlowWms() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.createContext("/", ex -> {
                ex.getRequestBody().readAllBytes();
                int s = status.get();
                if (s == 200) {
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    accepted.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
                }
                byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(s, reply.length);
                ex.getResponseBody().write(reply);
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/wms";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** H2: two requests to one hub; PostgreSQL: one request to each of two hubs on the one database. */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aHoldReleasedTwiceAtOnceIsReplayedOnce(TestDb db) throws Exception {
        try (SlowWms wms = new SlowWms();
             TestHub a = TestHub.builder().db(db).property("handoff.wms.url", wms.url())
                     .property("handoff.wms.poll-delay-ms", "100").start()) {
            String orderId = paidOrder(a, "CONC-REL-1");
            JsonNode hold = await().atMost(Duration.ofSeconds(30)).until(
                    () -> a.api().get("/api/holds?status=open&reason=DOWNSTREAM_UNAVAILABLE").json().get("holds"),
                    h -> h.size() == 1).get(0);
            long holdId = hold.get("holdId").asLong();
            await().atMost(Duration.ofSeconds(5)).until(() -> a.jdbc().queryOne(
                    "select status from wms_outbox where order_id = ?", rs -> rs.getString(1), orderId).orElseThrow(),
                    "held"::equals);
            wms.status.set(200);

            TestHub b = db == TestDb.POSTGRES ? TestHub.builder().reuse(a).property("handoff.wms.url", wms.url())
                    .property("handoff.wms.poll-delay-ms", "100").start() : a;
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch go = new CountDownLatch(1);
                Future<TestHub.Response> first = pool.submit(() -> {
                    go.await();
                    return a.api().post("/api/holds/" + holdId + "/release", Map.of("actor", "ops:anna", "note", "WMS back"));
                });
                Future<TestHub.Response> second = pool.submit(() -> {
                    go.await();
                    return b.api().post("/api/holds/" + holdId + "/release", Map.of("actor", "ops:ben", "note", "WMS back"));
                });
                go.countDown();
                TestHub.Response one = first.get();
                TestHub.Response two = second.get();
                assertThat(wms.accepted).as("pick tickets the WMS received for the one held message")
                        .containsExactly(orderId + "-v1");
                assertThat(List.of(one.status(), two.status())).as(one.body() + " / " + two.body())
                        .containsExactlyInAnyOrder(200, 409);
                String refused = one.status() == 409 ? one.body() : two.body();
                assertThat(refused).containsAnyOf("HOLD_BUSY", "HOLD_CLOSED");
                assertThat(a.jdbc().queryOne("select count(*) from hold_actions where hold_id = ? and action = 'release'",
                        rs -> rs.getLong(1), holdId).orElseThrow()).isEqualTo(1);
                // the claim ended with the release: the hold is closed and claims nothing
                assertThat(a.jdbc().queryOne("select status from holds where hold_id = ? and releasing_until is null",
                        rs -> rs.getString(1), holdId)).contains("released");
            } finally {
                pool.shutdown();
                if (b != a) {
                    b.stop();
                }
            }
        }
    }

    static String paidOrder(TestHub hub, String externalId) {
        Instant now = Instant.now();
        hub.jdbc().update("insert into catalog (sku, barcode, description, active, updated_at) values (?, null, ?, true, ?)",
                "SKU-" + externalId, "x", now);
        hub.jdbc().update("insert into stock (sku, on_hand, reserved, updated_at) values (?, 5, 0, ?)", "SKU-" + externalId, now);
        var outcome = hub.app().wiring().get(OrderPipeline.class).submit(new CanonicalOrder("test-shop", externalId,
                now.minusSeconds(60), null, null, "GBP", "customer-1@example.com",
                List.of(new CanonicalOrder.Line("SKU-" + externalId, null, 1, new BigDecimal("12.50"))),
                new ShipTo("Ada Lovelace", "12 St James's Square", null, "London", "SW1Y 4JH", "GB", "+442079460000"),
                "standard", "paid", false), new Source("test-shop", "system:test-shop", Source.Intent.CREATE, now,
                "delivery-" + externalId, "{}", Map.of(), null, null));
        assertThat(outcome.result()).isEqualTo("accepted");
        return outcome.orderId();
    }
}
