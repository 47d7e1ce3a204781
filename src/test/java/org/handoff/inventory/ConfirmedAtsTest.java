package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.handoff.inventory.AtsPushes.AtsValue;
import org.handoff.store.Database;
import org.handoff.store.Jdbc;
import org.junit.jupiter.api.AfterEach;
import org.handoff.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The write-through cache of what channels confirmed: the database stays the truth (a new hub reads it, another
 * hub's recording is noticed), and a recording that failed never leaves a value that would stop a re-push.
 */
class ConfirmedAtsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T07:00:00Z");
    private static final List<String> CHANNELS = List.of("shopify", "woocommerce");

    /** How recordings that replace known values reach the table: journaled and folded rarely, or folded at once. */
    enum Mode {
        JOURNAL(20_000), FOLD_EACH_TIME(1);

        final int compactAt;

        Mode(int compactAt) {
            this.compactAt = compactAt;
        }

        ConfirmedAts create(int maxEntries) {
            return new ConfirmedAts(maxEntries, compactAt);
        }
    }

    private Database db;
    private Jdbc jdbc;

    private String pgDatabase;

    /** Every case on both databases (PostgreSQL: a fresh database, when -Dhandoff.test.pg.url is set), each mode. */
    static Stream<Arguments> cases() {
        return TestDb.all().flatMap(db -> Stream.of(Mode.values()).map(mode -> Arguments.of(db, mode)));
    }

    private void open(TestDb which) throws Exception {
        which.assumeAvailable();
        if (which == TestDb.H2) {
            db = Database.open("jdbc:h2:mem:confirmed-ats-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 4);
        } else {
            pgDatabase = "handoff_t_ats_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(TestDb.PG_URL, TestDb.PG_USER, TestDb.PG_PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("create database " + pgDatabase);
            }
            db = Database.open(TestDb.PG_URL.replaceFirst("/[^/?]*(\\?|$)", "/" + pgDatabase + "$1"), TestDb.PG_USER,
                    TestDb.PG_PASSWORD, 4);
        }
        jdbc = new Jdbc(db.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
        if (pgDatabase != null) {
            try (Connection c = DriverManager.getConnection(TestDb.PG_URL, TestDb.PG_USER, TestDb.PG_PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("drop database if exists " + pgDatabase + " with (force)");
            }
        }
    }

    private Map<String, Map<String, Long>> lookUp(ConfirmedAts confirmed, String... skus) {
        return jdbc.inTransaction(c -> confirmed.lookUp(c, CHANNELS, List.of(skus)));
    }

    private static AtsValue v(String sku, long available) {
        return new AtsValue(sku, available, "2026-11-23T07:00:00Z");
    }

    /** What the database says (a hub starting now reads it: the table, and the journal over it). */
    private long stored(String channel, String sku) {
        return lookUp(new ConfirmedAts(1000), sku).get(channel).get(sku);
    }

    /** The blocks alone (not the journal over them). */
    private long inTable(String channel, String sku) {
        return jdbc.queryOne("select confirmed from ats_confirmed where channel = ? and block = ?",
                rs -> AtsBlocks.unpack(rs.getString(1)), channel, AtsBlocks.block(sku))
                .map(block -> block.getOrDefault(sku, ConfirmedAts.NONE)).orElse(ConfirmedAts.NONE);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aValueNeverConfirmedIsNoneAndARecordedOneIsStoredAndCached(TestDb which, Mode mode) throws Exception {
        open(which);
        ConfirmedAts confirmed = mode.create(1000);
        assertThat(lookUp(confirmed, "MUG", "TEE")).isEqualTo(Map.of(
                "shopify", Map.of("MUG", ConfirmedAts.NONE, "TEE", ConfirmedAts.NONE),
                "woocommerce", Map.of("MUG", ConfirmedAts.NONE, "TEE", ConfirmedAts.NONE)));

        confirmed.record(jdbc, Map.of("shopify", List.of(v("MUG", 9), v("TEE", 2)), "woocommerce", List.of(v("MUG", 10))),
                NOW);
        assertThat(stored("shopify", "MUG")).isEqualTo(9);
        assertThat(stored("woocommerce", "MUG")).isEqualTo(10);
        assertThat(lookUp(confirmed, "MUG", "TEE").get("shopify")).containsEntry("MUG", 9L).containsEntry("TEE", 2L);
        assertThat(lookUp(confirmed, "MUG", "TEE").get("woocommerce")).containsEntry("MUG", 10L)
                .containsEntry("TEE", ConfirmedAts.NONE);

        // later confirmations update the rows
        confirmed.record(jdbc, Map.of("shopify", List.of(v("MUG", 4))), NOW);
        assertThat(stored("shopify", "MUG")).isEqualTo(4);
        assertThat(lookUp(confirmed, "MUG").get("shopify")).containsEntry("MUG", 4L);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void lookUpsComeFromMemoryWhileNoOtherHubRecorded(TestDb which, Mode mode) throws Exception {
        open(which);
        ConfirmedAts confirmed = mode.create(1000);
        confirmed.record(jdbc, Map.of("shopify", List.of(v("MUG", 9))), NOW);
        // changed behind the cache's back without moving the counter: the cache answers, not the table
        jdbc.update("update ats_confirmed set confirmed = 'MUG=1' where block = ?", AtsBlocks.block("MUG"));
        assertThat(stored("shopify", "MUG")).isEqualTo(1);
        assertThat(lookUp(confirmed, "MUG").get("shopify")).containsEntry("MUG", 9L);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aNewHubReadsWhatTheDatabaseSays(TestDb which, Mode mode) throws Exception {
        open(which);
        mode.create(1000).record(jdbc, Map.of("shopify", List.of(v("MUG", 9)), "woocommerce", List.of(v("MUG", 8))),
                NOW);
        ConfirmedAts restarted = mode.create(1000);
        assertThat(lookUp(restarted, "MUG", "TEE")).isEqualTo(Map.of(
                "shopify", Map.of("MUG", 9L, "TEE", ConfirmedAts.NONE),
                "woocommerce", Map.of("MUG", 8L, "TEE", ConfirmedAts.NONE)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void anotherHubsRecordingIsNoticedAtTheNextLookUp(TestDb which, Mode mode) throws Exception {
        open(which);
        ConfirmedAts mine = mode.create(1000);
        ConfirmedAts other = mode.create(1000);
        mine.record(jdbc, Map.of("shopify", List.of(v("MUG", 9))), NOW);
        assertThat(lookUp(mine, "MUG").get("shopify")).containsEntry("MUG", 9L);
        other.record(jdbc, Map.of("shopify", List.of(v("MUG", 3))), NOW);
        assertThat(lookUp(mine, "MUG").get("shopify")).containsEntry("MUG", 3L);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void anotherHubsRecordingBetweenLookUpAndRecordIsUpdatedNotInsertedTwice(TestDb which, Mode mode) throws Exception {
        open(which);
        ConfirmedAts mine = mode.create(1000);
        ConfirmedAts other = mode.create(1000);
        // both saw no value for TEE; the other hub records first
        assertThat(lookUp(mine, "TEE").get("shopify")).containsEntry("TEE", ConfirmedAts.NONE);
        assertThat(lookUp(other, "TEE").get("shopify")).containsEntry("TEE", ConfirmedAts.NONE);
        other.record(jdbc, Map.of("shopify", List.of(v("TEE", 3))), NOW);
        mine.record(jdbc, Map.of("shopify", List.of(v("TEE", 5))), NOW);
        assertThat(stored("shopify", "TEE")).isEqualTo(5);
        assertThat(lookUp(mine, "TEE").get("shopify")).containsEntry("TEE", 5L);
        assertThat(lookUp(other, "TEE").get("shopify")).containsEntry("TEE", 5L);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aFailedRecordingLeavesItsValuesUnknownSoTheyArePushedAgain(TestDb which, Mode mode) throws Exception {
        open(which);
        ConfirmedAts confirmed = mode.create(1000);
        confirmed.record(jdbc, Map.of("shopify", List.of(v("MUG", 9))), NOW);
        // the store is gone while the round records: nothing of it is stored
        org.h2.jdbcx.JdbcDataSource gone = new org.h2.jdbcx.JdbcDataSource();
        gone.setURL("jdbc:h2:mem:gone-" + System.nanoTime() + ";IFEXISTS=TRUE");
        assertThatThrownBy(() -> confirmed.record(new Jdbc(gone), Map.of("shopify", List.of(v("MUG", 5))), NOW))
                .isInstanceOf(RuntimeException.class);
        assertThat(stored("shopify", "MUG")).isEqualTo(9);
        // the channel may have 5 now although the table says 9: neither may stop the next push
        long known = lookUp(confirmed, "MUG").get("shopify").get("MUG");
        assertThat(known).isEqualTo(ConfirmedAts.UNKNOWN).isNotEqualTo(9L).isNotEqualTo(5L);
        // still unknown when another hub's recording makes this hub drop its cache
        mode.create(1000).record(jdbc, Map.of("woocommerce", List.of(v("TEE", 1))), NOW);
        assertThat(lookUp(confirmed, "MUG").get("shopify")).containsEntry("MUG", ConfirmedAts.UNKNOWN);
        // the next recording stores it and the cache follows
        confirmed.record(jdbc, Map.of("shopify", List.of(v("MUG", 5))), NOW);
        assertThat(stored("shopify", "MUG")).isEqualTo(5);
        assertThat(lookUp(confirmed, "MUG").get("shopify")).containsEntry("MUG", 5L);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aSkuConfirmedTwiceInOneRecordingKeepsTheLastValue(TestDb which, Mode mode) throws Exception {
        open(which);
        ConfirmedAts confirmed = mode.create(1000);
        confirmed.record(jdbc, Map.of("shopify", List.of(v("MUG", 9), v("MUG", 7))), NOW);
        assertThat(stored("shopify", "MUG")).isEqualTo(7);
        assertThat(lookUp(confirmed, "MUG").get("shopify")).containsEntry("MUG", 7L);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aHubStartingOnASmallTableLoadsItWholeAndAnswersEveryOtherSkuAsNeverConfirmed(TestDb which, Mode mode)
            throws Exception {
        open(which);
        ConfirmedAts first = mode.create(1000);
        first.record(jdbc, Map.of("shopify", List.of(v("MUG", 9), v("TEE", 2))), NOW);
        first.record(jdbc, Map.of("shopify", List.of(v("MUG", 8))), NOW); // journaled in JOURNAL mode
        ConfirmedAts next = mode.create(1000);
        Map<String, Map<String, Long>> seen = lookUp(next, "CAP", "MUG", "TEE");
        assertThat(seen.get("shopify")).isEqualTo(Map.of("CAP", ConfirmedAts.NONE, "MUG", 8L, "TEE", 2L));
        assertThat(seen.get("woocommerce")).isEqualTo(Map.of("CAP", ConfirmedAts.NONE, "MUG", ConfirmedAts.NONE,
                "TEE", ConfirmedAts.NONE));
        assertThat(next.size()).isEqualTo(2);
        // the first value of a SKU is recorded as an insert, the cache keeps answering
        next.record(jdbc, Map.of("woocommerce", List.of(v("CAP", 5))), NOW);
        assertThat(inTable("woocommerce", "CAP")).isEqualTo(5);
        assertThat(lookUp(next, "CAP").get("woocommerce")).containsEntry("CAP", 5L);
        assertThat(stored("shopify", "MUG")).isEqualTo(8);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void afterAnotherHubsRecordingOnlyTheSkusAskedForAreReadNotTheWholeTableAgain(TestDb which, Mode mode)
            throws Exception {
        open(which);
        ConfirmedAts other = mode.create(1000);
        other.record(jdbc, Map.of("shopify", List.of(v("MUG", 9), v("TEE", 2), v("CAP", 4), v("HAT", 1),
                v("SOCK", 3))), NOW);
        ConfirmedAts hub = mode.create(1000);
        lookUp(hub, "MUG");
        assertThat(hub.size()).isEqualTo(5); // started on a small table: loaded whole
        other.record(jdbc, Map.of("shopify", List.of(v("TEE", 1))), NOW);
        Map<String, Map<String, Long>> seen = lookUp(hub, "TEE");
        assertThat(seen.get("shopify")).containsEntry("TEE", 1L);
        assertThat(seen.get("woocommerce")).containsEntry("TEE", ConfirmedAts.NONE);
        // the cache was dropped and holds what was read for TEE (one value per channel), not the table again:
        // with hubs taking turns, a whole-table read every round would cost more than it saves
        assertThat(hub.size()).isEqualTo(2);
        assertThat(lookUp(hub, "CAP").get("shopify")).containsEntry("CAP", 4L);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aCacheSmallerThanARoundStillAnswersFromTheDatabase(TestDb which, Mode mode) throws Exception {
        open(which);
        ConfirmedAts small = mode.create(3);
        small.record(jdbc, Map.of("shopify", List.of(v("A", 1), v("B", 2), v("C", 3), v("D", 4))), NOW);
        assertThat(small.size()).isLessThanOrEqualTo(3);
        for (int round = 0; round < 2; round++) {
            assertThat(lookUp(small, "A", "B", "C", "D").get("shopify"))
                    .isEqualTo(Map.of("A", 1L, "B", 2L, "C", 3L, "D", 4L));
            assertThat(small.size()).isLessThanOrEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void theJournalIsFoldedIntoTheTableOnceItHoldsEnoughValuesTheLatestValueOfEachSkuOnce(TestDb which) throws Exception {
        open(which);
        ConfirmedAts confirmed = new ConfirmedAts(1000, 5);
        // values the channels never had go to the table directly: no later value can fold them away
        confirmed.record(jdbc, Map.of("shopify", List.of(v("MUG", 9), v("TEE", 1)), "woocommerce", List.of(v("MUG", 4))),
                NOW);
        assertThat(inTable("shopify", "MUG")).isEqualTo(9);
        assertThat(jdbc.queryOne("select count(*) from ats_pushed_journal", rs -> rs.getLong(1)).orElseThrow()).isZero();
        // values replacing known ones are journaled
        confirmed.record(jdbc, Map.of("shopify", List.of(v("MUG", 8))), NOW);
        confirmed.record(jdbc, Map.of("shopify", List.of(v("MUG", 7)), "woocommerce", List.of(v("MUG", 3))), NOW);
        assertThat(inTable("shopify", "MUG")).isEqualTo(9);
        assertThat(jdbc.queryOne("select count(*) from ats_pushed_journal", rs -> rs.getLong(1)).orElseThrow()).isEqualTo(2);
        // a hub starting now sees the journal over the table
        assertThat(stored("shopify", "MUG")).isEqualTo(7);
        assertThat(stored("woocommerce", "MUG")).isEqualTo(3);
        confirmed.record(jdbc, Map.of("shopify", List.of(v("TEE", 0), v("MUG", 6))), NOW); // 5 values journaled: folds
        assertThat(jdbc.queryOne("select count(*) from ats_pushed_journal", rs -> rs.getLong(1)).orElseThrow()).isZero();
        assertThat(inTable("shopify", "MUG")).isEqualTo(6);
        assertThat(inTable("shopify", "TEE")).isEqualTo(0);
        assertThat(inTable("woocommerce", "MUG")).isEqualTo(3);
        // a round with values a channel never had folds the journal first, then goes to the table directly
        confirmed.record(jdbc, Map.of("shopify", List.of(v("MUG", 5))), NOW);
        List<AtsValue> big = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            big.add(v("SKU-" + i, i));
        }
        confirmed.record(jdbc, Map.of("woocommerce", big), NOW);
        assertThat(journalRows()).isZero();
        assertThat(inTable("shopify", "MUG")).isEqualTo(5);
        assertThat(inTable("woocommerce", "SKU-42")).isEqualTo(42);
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aBigRoundThatOnlyReplacesKnownValuesIsOneJournalRowUntilTheFold(TestDb which) throws Exception {
        open(which);
        // more values than the round size that went to the table directly before (5,000)
        ConfirmedAts confirmed = new ConfirmedAts(20_000, 10_000);
        List<AtsValue> first = new java.util.ArrayList<>();
        List<AtsValue> changed = new java.util.ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            first.add(v("SKU-" + i, i));
            changed.add(v("SKU-" + i, i + 1));
        }
        confirmed.record(jdbc, Map.of("shopify", first), NOW); // first values: the table (and the journal folded)
        // a daily snapshot's changes: 6,000 values replacing known ones, one row, the table untouched
        confirmed.record(jdbc, Map.of("shopify", changed), NOW);
        assertThat(journalRows()).isEqualTo(1);
        assertThat(inTable("shopify", "SKU-5999")).isEqualTo(5999);
        assertThat(stored("shopify", "SKU-5999")).isEqualTo(6000);
        // the next one brings the journal to 12,000 values, past 10,000: folded, the latest value of each SKU
        confirmed.record(jdbc, Map.of("shopify", first), NOW);
        assertThat(journalRows()).isZero();
        assertThat(inTable("shopify", "SKU-5999")).isEqualTo(5999);
        assertThat(inTable("shopify", "SKU-0")).isEqualTo(0);
        assertThat(stored("shopify", "SKU-0")).isEqualTo(0);
    }

    private long journalRows() {
        return jdbc.queryOne("select count(*) from ats_pushed_journal", rs -> rs.getLong(1)).orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aRoundOfMoreSkusThanOneInListChunkIsReadWhole(TestDb which, Mode mode) throws Exception {
        open(which);
        int n = org.handoff.store.Jdbc.IN_LIST_MAX * 2 + 17;
        List<AtsValue> values = new java.util.ArrayList<>();
        List<String> skus = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String sku = String.format("SKU-%04d", i);
            skus.add(sku);
            values.add(v(sku, i));
        }
        mode.create(10_000).record(jdbc, Map.of("shopify", values), NOW);
        Map<String, Map<String, Long>> read = jdbc.inTransaction(c -> new ConfirmedAts(10_000).lookUp(c, CHANNELS, skus));
        for (int i = 0; i < n; i++) {
            assertThat(read.get("shopify").get(skus.get(i))).isEqualTo(i);
            assertThat(read.get("woocommerce").get(skus.get(i))).isEqualTo(ConfirmedAts.NONE);
        }
    }
}
