package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.handoff.store.Jdbc;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The WMS outbox drain in rounds: one claim for the round, the claimed rows sent as claimed, and the ones that
 * went out marked sent together at the end of the round; held ones are not; stale claims go again under the
 * same key; concurrent claimers never share a message.
 */
class WmsOutboxDrainIT {

    /** A WMS standing in: records the Idempotency-Key of every request, answers 503 to the keys told to fail. */
    static final class Wms implements AutoCloseable {
        final HttpServer server;
        final List<String> received = new CopyOnWriteArrayList<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        /** How long each answer takes (a slow WMS). */
        volatile long delayMs;
        /** What the keys told to fail are answered. */
        volatile int failStatus = 503;

        Wms() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                if (delayMs > 0) {
                    try {
                        Thread.sleep(delayMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                int status = failing.contains(key) ? failStatus : 200;
                if (status == 200) {
                    received.add(key);
                }
                byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, reply.length);
                exchange.getResponseBody().write(reply);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/wms/orders";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Writes pending messages straight into the outbox, in one transaction (as one round will find them). */
    static List<String> enqueue(TestHub hub, String prefix, int n) {
        List<String> keys = new ArrayList<>();
        hub.jdbc().inTransaction(c -> {
            for (int i = 1; i <= n; i++) {
                String orderId = prefix + "-" + i;
                String key = WmsMessage.key(orderId, 1);
                Jdbc.update(c, "insert into wms_outbox (order_id, version, kind, idempotency_key, status, "
                        + "attempts, created_at) values (?, 1, 'PICK_TICKET', ?, 'pending', 0, ?)", orderId, key,
                        Instant.now());
                Jdbc.update(c, "insert into wms_outbox_payload (message_id, payload) select message_id, ? from wms_outbox "
                        + "where order_id = ? and version = 1",
                        "{\"type\":\"PICK_TICKET\",\"orderId\":\"" + orderId + "\",\"idempotencyKey\":\"" + key + "\"}",
                        orderId);
                keys.add(key);
            }
            return null;
        });
        return keys;
    }

    record Row(String key, String status, int attempts, Instant sentAt, String destination, Long holdId) {}

    static Map<String, Row> rows(TestHub hub) {
        Map<String, Row> rows = new java.util.TreeMap<>();
        hub.jdbc().query("select idempotency_key, status, attempts, sent_at, destination, hold_id from wms_outbox",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getInt(3), Jdbc.instant(rs, "sent_at"),
                        rs.getString(5), Jdbc.nullableLong(rs, "hold_id"))).forEach(r -> rows.put(r.key(), r));
        return rows;
    }

    static long count(TestHub hub, String sql, Object... params) {
        return hub.jdbc().queryOne(sql, rs -> rs.getLong(1), params).orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aRoundMarksAllItsMessagesSentTogether(TestDb db) throws Exception {
        try (Wms wms = new Wms(); TestHub hub = TestHub.builder().db(db).property("handoff.wms.url", wms.url())
                .property("handoff.wms.poll-delay-ms", "100").start()) {
            List<String> keys = enqueue(hub, "R", 7);
            await().atMost(Duration.ofSeconds(20)).until(
                    () -> count(hub, "select count(*) from wms_outbox where status = 'sent'") == 7);
            assertThat(wms.received).containsExactlyInAnyOrderElementsOf(keys);
            Map<String, Row> rows = rows(hub);
            assertThat(rows.values()).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo("sent");
                assertThat(r.attempts()).isEqualTo(1);
                assertThat(r.destination()).isEqualTo("http");
            });
            // one update at the end of the round marked them all: one sent_at for the seven
            assertThat(rows.values().stream().map(Row::sentAt).distinct()).hasSize(1).doesNotContainNull();
            // later rounds send nothing again
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> wms.received.size() == 7);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aBacklogLargerThanARoundIsDrainedInRoundsBackToBackAndAPartRoundWaitsThePollDelay(TestDb db)
            throws Exception {
        // rounds of 5, one every 4 s: 23 due at the first round would take 5 rounds and 16 s one per delay
        try (TestHub hub = TestHub.builder().db(db).property("handoff.wms.poll-delay-ms", "4000")
                .property("handoff.wms.round-size", "5").start()) {
            enqueue(hub, "B", 23);
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> count(hub, "select count(*) from wms_outbox where status = 'sent'") == 23);
            List<Instant> rounds = rows(hub).values().stream().map(Row::sentAt).distinct().sorted().toList();
            // each round one commit, one sent_at: four full rounds and the last three, back to back
            assertThat(rounds).hasSize(5);
            assertThat(Duration.between(rounds.get(0), rounds.get(4))).isLessThan(Duration.ofSeconds(3));
            assertThat(rows(hub).values()).allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1));

            // the last round was not full: the drain went back to its poll delay instead of polling again at once
            enqueue(hub, "L", 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(rows(hub).get("L-1-v1").status()));
            assertThat(Duration.between(rounds.get(4), rows(hub).get("L-1-v1").sentAt()))
                    .isGreaterThan(Duration.ofSeconds(3));
            try (var files = Files.list(hub.dataDir().resolve("outbox").resolve("wms"))) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("pick-ticket_"))).hasSize(24);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aRoundLongerThanTheClaimTimeoutRenewsItsClaimsSoNoOtherInstanceSendsThemAgain(TestDb db) throws Exception {
        // 12 messages at 400 ms each: a round of ~5 s against a claim timeout of 2 s
        try (Wms wms = new Wms(); TestHub hub = TestHub.builder().db(db).property("handoff.wms.url", wms.url())
                .property("handoff.wms.poll-delay-ms", "100").property("handoff.wms.claim-timeout", "PT2S").start()) {
            wms.delayMs = 400;
            List<String> keys = enqueue(hub, "S", 12);
            // the hub's drain claims all twelve in one round
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> count(hub, "select count(*) from wms_outbox where status = 'pending'") == 0);
            // another instance, claiming what it finds due (abandoned claims included) every 100 ms
            WmsOutbox other = new WmsOutbox(hub.jdbc(), null, Clock.systemUTC(), "", 1000, Duration.ofSeconds(2), 100,
                    Duration.ofSeconds(2), hub.dataDir().resolve("outbox").resolve("wms"), null, Duration.ofSeconds(30));
            List<Long> takenByTheOther = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (count(hub, "select count(*) from wms_outbox where status = 'sent'") < 12 && System.nanoTime() < deadline) {
                other.claimDue().claimed().forEach(m -> takenByTheOther.add(m.messageId()));
                Thread.sleep(100);
            }
            assertThat(takenByTheOther).isEmpty();
            assertThat(wms.received).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(rows(hub).values()).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo("sent");
                assertThat(r.attempts()).isEqualTo(1);
            });
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aMessageHeldAfterFailedSendsIsNotMarkedSentWithTheRestOfItsRound(TestDb db) throws Exception {
        try (Wms wms = new Wms(); TestHub hub = TestHub.builder().db(db).property("handoff.wms.url", wms.url())
                .property("handoff.wms.poll-delay-ms", "100").start()) {
            wms.failing.add(WmsMessage.key("H-2", 1));
            enqueue(hub, "H", 3);
            // H-2 is held; once the WMS has taken H-3 after the pause, H-2 goes once more by itself (it may have been
            // down only for a moment) and is held again under the same hold: two attempts, then no more sends
            // until something else shows the WMS answering
            await().atMost(Duration.ofSeconds(20)).until(() -> count(hub,
                    "select count(*) from wms_outbox where status in ('sent', 'held')") == 3
                    && count(hub, "select count(*) from holds where attempts = 2") == 1);
            Map<String, Row> rows = rows(hub);
            Row held = rows.get("H-2-v1");
            assertThat(held.status()).isEqualTo("held");
            assertThat(held.sentAt()).isNull();
            assertThat(held.holdId()).isNotNull();
            assertThat(hub.api().get("/api/holds/" + held.holdId()).json().get("reasonCode").asText())
                    .isEqualTo("DOWNSTREAM_UNAVAILABLE");
            assertThat(rows.get("H-1-v1").status()).isEqualTo("sent");
            assertThat(rows.get("H-3-v1").status()).isEqualTo("sent");
            assertThat(wms.received).containsExactlyInAnyOrder("H-1-v1", "H-3-v1");
            // the drain leaves the held one alone
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> "held".equals(
                    rows(hub).get("H-2-v1").status()) && wms.received.size() == 2);

            // the next message the WMS takes after H-2's pause sends it once more (held a third time); from then on it
            // is the operator's: a WMS failing on that message must not pause the drain after every later message
            for (String prefix : List.of("J", "K", "L")) {
                enqueue(hub, prefix, 1);
                await().atMost(Duration.ofSeconds(20)).until(() -> wms.received.contains(prefix + "-1-v1"));
            }
            await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5)).until(() -> "held".equals(
                    rows(hub).get("H-2-v1").status()) && count(hub, "select count(*) from holds where attempts = 3") == 1);
            assertThat(count(hub, "select count(*) from holds")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aWmsThatDoesNotAnswerLeavesTheRestOfTheRoundUnsentAndTheDrainPausesBeforeTheNextClaim(TestDb db)
            throws Exception {
        try (Wms wms = new Wms(); TestHub hub = TestHub.builder().db(db).property("handoff.wms.url", wms.url())
                .property("handoff.wms.poll-delay-ms", "100").property("handoff.wms.unreachable-pause", "PT3S").start()) {
            for (int i = 1; i <= 3; i++) {
                wms.failing.add(WmsMessage.key("U-" + i, 1));
            }
            enqueue(hub, "U", 3);
            // U-1 goes through its attempts and is held; U-2 and U-3, claimed in the same round, are given back
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Map<String, Row> r = rows(hub);
                return "held".equals(r.get("U-1-v1").status()) && "pending".equals(r.get("U-2-v1").status())
                        && "pending".equals(r.get("U-3-v1").status());
            });
            assertThat(rows(hub).get("U-2-v1").attempts()).isZero();
            assertThat(count(hub, "select count(*) from holds")).isEqualTo(1);
            // and stay unclaimed for the pause, not tried and held one after the other
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() ->
                    count(hub, "select count(*) from wms_outbox where status = 'pending'") == 2);

            // the WMS answers again: after the pause the drain sends them by itself, and, once the WMS took one, the
            // held one too (before, it waited for an operator's release): its hold is resolved, saying so
            wms.failing.clear();
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received.size() == 3);
            assertThat(wms.received).containsExactly("U-2-v1", "U-3-v1", "U-1-v1");
            assertThat(rows(hub).get("U-1-v1").status()).isEqualTo("sent");
            assertThat(count(hub, "select count(*) from holds")).isEqualTo(1);
            JsonNode hold = hub.api().get("/api/holds/" + rows(hub).get("U-1-v1").holdId()).json();
            assertThat(hold.get("status").asText()).isEqualTo("resolved");
            assertThat(hold.toString()).contains("system:wms-outbox").contains("answered again");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aHeldMessageQueuedAgainWhoseHoldTheOperatorDiscardsIsNotSent(TestDb db) throws Exception {
        try (Wms wms = new Wms(); TestHub hub = TestHub.builder().db(db).property("handoff.wms.url", wms.url())
                .property("handoff.wms.poll-delay-ms", "100").property("handoff.wms.unreachable-pause", "PT2S").start()) {
            wms.failing.add(WmsMessage.key("D-1", 1));
            wms.failing.add(WmsMessage.key("D-2", 1));
            enqueue(hub, "D", 2);
            // D-1 held, then (after the pause) D-2: two holds
            await().atMost(Duration.ofSeconds(30)).until(() -> "held".equals(rows(hub).get("D-1-v1").status())
                    && "held".equals(rows(hub).get("D-2-v1").status()));
            long discarded = rows(hub).get("D-2-v1").holdId();

            // the WMS takes a message again: both are queued again; D-1 fails once more, so D-2 is given back unsent
            // and waits, pending, for the pause
            wms.failing.remove(WmsMessage.key("D-2", 1));
            enqueue(hub, "E", 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> wms.received.contains("E-1-v1")
                    && "pending".equals(rows(hub).get("D-2-v1").status())
                    && count(hub, "select count(*) from holds where hold_id = ? and attempts = 2",
                            rows(hub).get("D-1-v1").holdId()) == 1);
            // meanwhile the operator discards D-2's hold: it is not to go
            assertThat(hub.api().post("/api/holds/" + discarded + "/discard", Map.of("actor", "ops", "note", "no"))
                    .status()).isEqualTo(200);

            // the WMS answers: later messages go, D-2 does not; it stays held under its discarded hold
            wms.failing.clear();
            enqueue(hub, "F", 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> wms.received.contains("F-1-v1"));
            await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(3)).until(() ->
                    !wms.received.contains("D-2-v1") && "held".equals(rows(hub).get("D-2-v1").status()));
            assertThat(hub.api().get("/api/holds/" + discarded).json().get("status").asText()).isEqualTo("discarded");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aWmsThatRefusesTheHubsCredentialHoldsOneMessageAndPausesTheRestWaitUnheld(TestDb db) throws Exception {
        try (Wms wms = new Wms(); TestHub hub = TestHub.builder().db(db).property("handoff.wms.url", wms.url())
                .property("handoff.wms.poll-delay-ms", "100").property("handoff.wms.unreachable-pause", "PT3S").start()) {
            wms.failStatus = 401; // the token expired: every message would be refused the same way
            for (int i = 1; i <= 3; i++) {
                wms.failing.add(WmsMessage.key("A-" + i, 1));
            }
            enqueue(hub, "A", 3);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Map<String, Row> r = rows(hub);
                return "held".equals(r.get("A-1-v1").status()) && "pending".equals(r.get("A-2-v1").status())
                        && "pending".equals(r.get("A-3-v1").status());
            });
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() ->
                    count(hub, "select count(*) from wms_outbox where status = 'pending'") == 2
                            && count(hub, "select count(*) from holds") == 1);

            // the credential fixed: after the pause the drain sends the rest; the held one waits for its release
            wms.failing.clear();
            await().atMost(Duration.ofSeconds(20)).until(() -> wms.received.size() == 2);
            assertThat(wms.received).containsExactlyInAnyOrder("A-2-v1", "A-3-v1");
            assertThat(count(hub, "select count(*) from holds")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aStaleSendingClaimIsSentAgainUnderTheSameFileName(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).property("handoff.wms.poll-delay-ms", "100")
                .property("handoff.wms.claim-timeout", "PT1S").start()) {
            enqueue(hub, "S", 2);
            Path outbox = hub.dataDir().resolve("outbox").resolve("wms");
            Path ticket = outbox.resolve("pick-ticket_S-1_v1.json");
            await().atMost(Duration.ofSeconds(20)).until(
                    () -> count(hub, "select count(*) from wms_outbox where status = 'sent'") == 2);
            assertThat(Files.readString(ticket)).contains("S-1-v1");
            Files.delete(ticket);
            // as if the instance died after writing the file but before the round's 'sent' commit
            hub.jdbc().update("update wms_outbox set status = 'sending', sent_at = null, claimed_at = ? "
                    + "where idempotency_key = 'S-1-v1'", Instant.now().minusSeconds(5));
            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(rows(hub).get("S-1-v1").status()));
            assertThat(Files.readString(ticket)).contains("S-1-v1");
            Row again = rows(hub).get("S-1-v1");
            assertThat(again.attempts()).isEqualTo(2);
            assertThat(again.destination()).isEqualTo("file");
            assertThat(rows(hub).get("S-2-v1").attempts()).isEqualTo(1);
            try (var files = Files.list(outbox)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("pick-ticket_S-1_v1.json", "pick-ticket_S-2_v1.json");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void withoutAUrlARoundWritesItsFilesAndMarksThemSentTogetherAndAFileThatCannotBeWrittenIsHeld(TestDb db)
            throws Exception {
        try (TestHub hub = TestHub.builder().db(db).property("handoff.wms.poll-delay-ms", "100").start()) {
            Path outbox = hub.dataDir().resolve("outbox").resolve("wms");
            // a directory squatting on one ticket's file name: that one file cannot be written
            Path squatter = outbox.resolve("pick-ticket_F-2_v1.json");
            Files.createDirectories(squatter.resolve("in-the-way"));
            enqueue(hub, "F", 5);
            await().atMost(Duration.ofSeconds(20)).until(
                    () -> count(hub, "select count(*) from wms_outbox where status in ('sent', 'held')") == 5);
            Map<String, Row> rows = rows(hub);
            List<Row> sent = rows.values().stream().filter(r -> "sent".equals(r.status())).toList();
            assertThat(sent).extracting(Row::key).containsExactlyInAnyOrder("F-1-v1", "F-3-v1", "F-4-v1", "F-5-v1");
            assertThat(sent).allSatisfy(r -> {
                assertThat(r.attempts()).isEqualTo(1);
                assertThat(r.destination()).isEqualTo("file");
            });
            assertThat(sent.stream().map(Row::sentAt).distinct()).hasSize(1).doesNotContainNull();
            for (int i : new int[] {1, 3, 4, 5}) {
                String payload = hub.jdbc().queryOne("select p.payload from wms_outbox_payload p join wms_outbox o "
                        + "on o.message_id = p.message_id where o.order_id = ?",
                        rs -> rs.getString(1), "F-" + i).orElseThrow();
                assertThat(Files.readString(outbox.resolve("pick-ticket_F-" + i + "_v1.json"))).isEqualTo(payload);
            }
            try (var files = Files.list(outbox)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".writing-"));
            }

            // the one that could not be written went the one-message way and is held for the operator
            Row held = rows.get("F-2-v1");
            assertThat(held.status()).isEqualTo("held");
            assertThat(held.sentAt()).isNull();
            assertThat(held.holdId()).isNotNull();
            assertThat(hub.api().get("/api/holds/" + held.holdId()).json().get("source").asText()).isEqualTo("wms");
            // the folder fixed, the release writes it
            Files.delete(squatter.resolve("in-the-way"));
            Files.delete(squatter);
            assertThat(hub.api().post("/api/holds/" + held.holdId() + "/release", Map.of("actor", "ops", "note",
                    "folder fixed")).json().get("status").asText()).isEqualTo("released");
            assertThat(rows(hub).get("F-2-v1").status()).isEqualTo("sent");
            assertThat(Files.readString(squatter)).contains("F-2-v1");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void concurrentClaimersNeverTakeTheSameMessage(TestDb db) throws Exception {
        // the hub's own drain stays idle (first tick in an hour): only the claimers below take messages
        try (TestHub hub = TestHub.builder().db(db).property("handoff.wms.poll-delay-ms", "3600000").start()) {
            int messages = 400;
            enqueue(hub, "C", messages);
            int claimers = 4;
            List<WmsOutbox> outboxes = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                outboxes.add(new WmsOutbox(hub.jdbc(), null, Clock.systemUTC(), "", 1000, Duration.ofMinutes(5), 25,
                        Duration.ofSeconds(2), hub.dataDir().resolve("outbox").resolve("wms"), null, Duration.ofSeconds(30)));
            }

            List<Long> first = claimAll(outboxes);
            assertThat(first).doesNotHaveDuplicates().hasSize(messages);
            assertThat(count(hub, "select count(*) from wms_outbox where status = 'sending' and attempts = 1"))
                    .isEqualTo(messages);

            // every claim gone stale (their senders died): claimed again, still once each
            hub.jdbc().update("update wms_outbox set claimed_at = ?", Instant.now().minus(Duration.ofHours(1)));
            List<Long> second = claimAll(outboxes);
            assertThat(second).doesNotHaveDuplicates().hasSize(messages);
            assertThat(count(hub, "select count(*) from wms_outbox where status = 'sending' and attempts = 2"))
                    .isEqualTo(messages);
            // nothing is due any more
            assertThat(outboxes.get(0).claimDue().claimed()).isEmpty();
        }
    }

    /** Every claimer claims rounds until none is left, all starting at once; all the ids claimed, in order. */
    private static List<Long> claimAll(List<WmsOutbox> outboxes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(outboxes.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (WmsOutbox outbox : outboxes) {
                results.add(pool.submit(() -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    int emptyRounds = 0;
                    // a claimer whose round lost every row to another keeps going until the table is drained
                    while (emptyRounds < 3) {
                        List<WmsMessage> round = outbox.claimDue().claimed();
                        round.forEach(m -> assertThat(m.status()).isEqualTo(WmsMessage.SENDING));
                        round.forEach(m -> mine.add(m.messageId()));
                        emptyRounds = round.isEmpty() ? emptyRounds + 1 : 0;
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            Set<Integer> busy = new HashSet<>();
            for (int i = 0; i < results.size(); i++) {
                List<Long> mine = results.get(i).get(60, TimeUnit.SECONDS);
                if (!mine.isEmpty()) {
                    busy.add(i);
                }
                all.addAll(mine);
            }
            assertThat(busy).as("claimers that claimed something").isNotEmpty();
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
