package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pick ticket whose send was still being retried when its order was cancelled (withdraw() saw it 'sending' and
 * queued a CANCEL) runs out of retries afterwards: it is superseded by the cancel, never sent, not even by its
 * hold's release (from a review). The same when its sender died instead and its claim lapsed: the drain does not
 * re-send it after the cancel.
 */
class WmsSupersededTicketIT {

    /** The WMS: answers 503 while {@code down[0]}, records "key kind" of what it took. */
    private record Wms(HttpServer server, List<String> received, boolean[] down) implements AutoCloseable {
        static Wms start() throws Exception {
            List<String> received = new CopyOnWriteArrayList<>();
            boolean[] down = {true};
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int status = down[0] ? 503 : 200;
                if (status == 200) {
                    received.add(ex.getRequestHeaders().getFirst("Idempotency-Key") + " "
                            + (body.contains("PICK_TICKET") ? "PICK_TICKET" : "CANCEL"));
                }
                byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(status, reply.length);
                ex.getResponseBody().write(reply);
                ex.close();
            });
            server.start();
            return new Wms(server, received, down);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/wms";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static TestHub hub(TestDb db, Wms wms) {
        return Lifecycle.hub(db).property("handoff.wms.url", wms.url())
                .property("handoff.wms.unreachable-pause", "PT1S")
                // the send of the ticket is retried for about 3 s (1 s, then 2 s): the cancel arrives meanwhile
                .property("handoff.redelivery.initial-delay-ms", "1000").property("handoff.redelivery.max-attempts", "2")
                .start();
    }

    /** Ticket v1 being retried, the order cancelled (CANCEL v2 queued), then v1 runs out of retries. */
    private static String cancelWhileTheTicketIsRetried(TestHub hub, String externalId) {
        String orderId = Lifecycle.paidOrder(hub, externalId, "WX-1", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> "sending".equals(status(hub, orderId, 1)));
        TestHub.Response cancel = Lifecycle.event(hub, orderId, "CANCEL_REQUESTED", Map.of("reason", "customer"));
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("held", "superseded").contains(status(hub, orderId, 1)));
        return orderId;
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aTicketHeldAfterItsOrderWasCancelledIsNeverSentOnRelease(TestDb db) throws Exception {
        try (Wms wms = Wms.start(); TestHub hub = hub(db, wms)) {
            Lifecycle.seed(hub, "WX-1", 10);
            String orderId = cancelWhileTheTicketIsRetried(hub, "WX-A");
            wms.down()[0] = false;
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received().contains(orderId + "-v2 CANCEL"));

            long holdId = holdOf(hub, orderId);
            TestHub.Response release = hub.api().post("/api/holds/" + holdId + "/release",
                    Map.of("actor", "ops", "note", "WMS is back"));
            Thread.sleep(500);
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("CANCELLED");
            assertThat(wms.received()).as("what the WMS received (release answered %s)", release.body())
                    .doesNotContain(orderId + "-v1 PICK_TICKET");
            // nobody is asked to release a ticket that must never go
            assertThat(status(hub, orderId, 1)).isEqualTo("superseded");
            assertThat(hub.api().get("/api/holds/" + holdId).json().get("status").asText()).isEqualTo("resolved");
        }
    }

    /**
     * The same, had the hold been written before the cancel committed (the two transactions race): the ticket is
     * still held and its hold open when it is released; the release supersedes it instead of sending it.
     */
    @Test
    void aReleaseOfATicketWithALaterMessageSupersedesItInsteadOfSendingIt() throws Exception {
        try (Wms wms = Wms.start(); TestHub hub = hub(TestDb.H2, wms)) {
            Lifecycle.seed(hub, "WX-1", 10);
            String orderId = cancelWhileTheTicketIsRetried(hub, "WX-B");
            long holdId = holdOf(hub, orderId);
            // as the race leaves it: v1 held, its hold open, the cancel v2 queued after it
            hub.jdbc().update("update wms_outbox set status = 'held' where order_id = ? and version = 1", orderId);
            hub.jdbc().update("update holds set status = 'open', closed_at = null where hold_id = ?", holdId);
            wms.down()[0] = false;
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received().contains(orderId + "-v2 CANCEL"));

            TestHub.Response release = hub.api().post("/api/holds/" + holdId + "/release",
                    Map.of("actor", "ops", "note", "WMS is back"));
            assertThat(release.status()).as(release.body()).isEqualTo(200);
            assertThat(release.json().get("outcome").asText()).isEqualTo("superseded");
            assertThat(release.json().get("status").asText()).isEqualTo("resolved");
            Thread.sleep(500);
            assertThat(wms.received()).doesNotContain(orderId + "-v1 PICK_TICKET");
            assertThat(status(hub, orderId, 1)).isEqualTo("superseded");
        }
    }

    /**
     * The crash: the drain claimed ticket v1 ('sending'), the order was cancelled while it was on its way (so the
     * ticket could not be withdrawn and CANCEL v2 was queued), and the hub went down before the round marked v1
     * sent. After the restart the cancel goes out at once, and v1's claim lapses later: the lapsed claim is
     * superseded by the cancel, not re-sent after it (the WMS would pick a cancelled order). The cancel still goes.
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aTicketWhoseClaimLapsedAfterItsOrderWasCancelledIsNotSentAgainButTheCancelIs(TestDb db) throws Exception {
        try (Wms wms = Wms.start(); TestHub first = Lifecycle.hub(db).property("handoff.wms.url", wms.url())
                .property("handoff.wms.poll-delay-ms", "3600000").start()) {
            wms.down()[0] = false;
            String orderId = cancelledWhileClaimedThenDown(first, "WX-C");
            try (TestHub hub = Lifecycle.hub(db).reuse(first).property("handoff.wms.url", wms.url())
                    .property("handoff.wms.claim-timeout", "PT1S").start()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(status(hub, orderId, 2))
                        && !"sending".equals(status(hub, orderId, 1)));
                Thread.sleep(500);
                assertThat(wms.received()).containsExactly(orderId + "-v2 CANCEL");
                assertThat(status(hub, orderId, 1)).isEqualTo("superseded");
                assertThat(Lifecycle.state(hub, orderId)).isEqualTo("CANCELLED");
            }
        }
    }

    /** The same with no WMS URL: the round that writes the outbox folder's files supersedes it the same way. */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void withoutAUrlATicketWhoseClaimLapsedAfterItsOrderWasCancelledIsNotWrittenAgain(TestDb db) throws Exception {
        try (TestHub first = Lifecycle.hub(db).property("handoff.wms.poll-delay-ms", "3600000").start()) {
            String orderId = cancelledWhileClaimedThenDown(first, "WX-D");
            try (TestHub hub = Lifecycle.hub(db).reuse(first).property("handoff.wms.claim-timeout", "PT1S").start()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(status(hub, orderId, 2))
                        && !"sending".equals(status(hub, orderId, 1)));
                Thread.sleep(500);
                try (var files = java.nio.file.Files.list(hub.dataDir().resolve("outbox").resolve("wms"))) {
                    assertThat(files.map(f -> f.getFileName().toString())).containsExactly("cancel_" + orderId + "_v2.json");
                }
                assertThat(status(hub, orderId, 1)).isEqualTo("superseded");
            }
        }
    }

    /**
     * With no WMS URL, the crash between a ticket's file landing in the outbox folder and the round's 'sent'
     * commit (from a review). The round is stopped there for real: of two tickets claimed in one round, the second
     * one's temporary file is a FIFO nobody reads, so the round has written the first file and waits. The first
     * ticket's claim is already committed ('sending'), so the cancel that arrives now queues a CANCEL instead of
     * withdrawing a ticket the WMS may already hold; then the hub goes down before the round's 'sent' commit.
     * After the restart the WMS folder holds the ticket and the cancel naming it, and the ticket is not written
     * again after the cancel. Before, the round claimed, wrote and marked in one transaction: the file was in the
     * folder while its row was still 'pending', the cancel withdrew it without a word to the WMS (and, crashed,
     * the round's rollback left it so), and the WMS picked a cancelled order.
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void withoutAUrlACancelAfterATicketsFileWasWrittenReachesTheWmsEvenIfTheHubDiesBeforeTheSentMark(TestDb db)
            throws Exception {
        try (TestHub first = Lifecycle.hub(db).property("handoff.wms.poll-delay-ms", "3600000").start()) {
            Lifecycle.seed(first, "WX-1", 10);
            String orderId = Lifecycle.paidOrder(first, "WX-E", "WX-1", 1);
            String other = Lifecycle.paidOrder(first, "WX-F", "WX-1", 1);
            first.stop();
            Path outbox = first.dataDir().resolve("outbox").resolve("wms");
            Files.createDirectories(outbox);
            Path stuck = outbox.resolve(WmsFolder.TEMP_PREFIX + "pick-ticket_" + other + "_v1.json");
            Assumptions.assumeTrue(new ProcessBuilder("mkfifo", stuck.toString()).start().waitFor() == 0, "mkfifo");
            Path ticket = outbox.resolve("pick-ticket_" + orderId + "_v1.json");
            Path cancel = outbox.resolve("cancel_" + orderId + "_v2.json");
            Thread unblock = new Thread(() -> {
                try (var in = Files.newInputStream(stuck)) {
                    in.readAllBytes();
                } catch (java.io.IOException e) {
                    // the test's end: nothing was waiting
                }
            });
            unblock.setDaemon(true);
            try {
                TestHub second = Lifecycle.hub(db).reuse(first).start();
                try {
                    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ticket));
                    // the round waits on the other ticket's file: this one is in the WMS's folder, not yet marked sent
                    assertThat(status(second, orderId, 1)).as("the ticket whose file the WMS may have taken")
                            .isEqualTo("sending");
                    TestHub.Response cancelled = Lifecycle.event(second, orderId, "CANCEL_REQUESTED",
                            Map.of("reason", "customer"));
                    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
                    assertThat(status(second, orderId, 2)).as("the CANCEL of a ticket that may be at the WMS")
                            .isEqualTo("pending");
                } finally {
                    // the crash: the hub goes down with the round still waiting; the round then finds no store
                    // to mark its files sent in
                    second.stop();
                    unblock.start();
                }
            } finally {
                unblock.join(5000);
                if (unblock.isAlive()) {
                    new java.io.FileOutputStream(stuck.toFile()).close(); // frees the reader if no round ever wrote
                }
            }
            // what the crash left: the ticket's file in the folder, its row claimed, the cancel queued (a hub that
            // only looks: its drain is idle; stopped, not closed, which would delete the store)
            TestHub idle = Lifecycle.hub(db).reuse(first).property("handoff.wms.poll-delay-ms", "3600000").start();
            try {
                assertThat(status(idle, orderId, 1)).isEqualTo("sending");
                assertThat(status(idle, orderId, 2)).isEqualTo("pending");
                assertThat(ticket).exists();
            } finally {
                idle.stop();
            }
            try (TestHub hub = Lifecycle.hub(db).reuse(first).property("handoff.wms.claim-timeout", "PT1S").start()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(status(hub, orderId, 2))
                        && !"sending".equals(status(hub, orderId, 1)));
                Thread.sleep(500);
                try (var files = Files.list(outbox)) {
                    assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.contains(orderId)))
                            .containsExactlyInAnyOrder(ticket.getFileName().toString(), cancel.getFileName().toString());
                }
                assertThat(Files.readString(cancel)).contains("\"cancels\":[\"" + orderId + "-v1\"]");
                // the ticket is not written again after the cancel: superseded once its claim lapsed
                assertThat(status(hub, orderId, 1)).isEqualTo("superseded");
                assertThat(Lifecycle.state(hub, orderId)).isEqualTo("CANCELLED");
            }
        }
    }

    /**
     * On a hub whose drain is idle: a paid order's ticket v1 claimed as the drain claims it, the order cancelled
     * through the API (the hub queues CANCEL v2, the ticket being on its way), then the hub stopped with v1 still
     * 'sending'.
     */
    private static String cancelledWhileClaimedThenDown(TestHub hub, String externalId) {
        Lifecycle.seed(hub, "WX-1", 10);
        String orderId = Lifecycle.paidOrder(hub, externalId, "WX-1", 1);
        assertThat(hub.jdbc().update("update wms_outbox set status = 'sending', claimed_at = ?, attempts = attempts + 1 "
                + "where order_id = ? and version = 1 and status = 'pending'", java.time.Instant.now(), orderId)).isEqualTo(1);
        TestHub.Response cancel = Lifecycle.event(hub, orderId, "CANCEL_REQUESTED", Map.of("reason", "customer"));
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(status(hub, orderId, 2)).isEqualTo("pending");
        hub.stop();
        return orderId;
    }

    private static long holdOf(TestHub hub, String orderId) {
        return hub.jdbc().queryOne("select hold_id from wms_outbox where order_id = ? and version = 1",
                rs -> rs.getLong(1), orderId).orElseThrow();
    }

    private static String status(TestHub hub, String orderId, int version) {
        return hub.jdbc().queryOne("select status from wms_outbox where order_id = ? and version = ?",
                rs -> rs.getString(1), orderId, version).orElse(null);
    }
}
