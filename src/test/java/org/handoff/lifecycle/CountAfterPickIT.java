package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.handoff.files.DropFolders;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A picked unit leaves on-hand once: at the pick, until the next count of its warehouse, which no longer lists
 * it. Before, the count's difference took it off a second time, so a warehouse that picks by day and counts by
 * night drifted down by every unit it shipped.
 */
class CountAfterPickIT {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aPickLeavesOnHandOnceWhicheverCountComesAfterIt(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            catalog(hub, "MUG-WHITE", "LAMP-BRASS", "CUP-BLUE");
            snapshot(hub, "WH1", start.minusSeconds(7200), "MUG-WHITE,A-01,6\nMUG-WHITE,B-02,4\nLAMP-BRASS,C-01,5\n"
                    + "CUP-BLUE,D-04,1\n");
            snapshot(hub, "WH2", start.minusSeconds(7200), "LAMP-BRASS,Z-09,20\n");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(10);
            assertThat(onHand(hub, "LAMP-BRASS")).isEqualTo(25);

            // picked through the API, no warehouse named: MUG-WHITE's is WH1, LAMP-BRASS's the one holding most (WH2)
            String order = Lifecycle.paidOrder(hub, "pick-1", "MUG-WHITE", 1);
            String lamp = Lifecycle.paidOrder(hub, "pick-2", "LAMP-BRASS", 2);
            String cup = Lifecycle.paidOrder(hub, "pick-3", "CUP-BLUE", 1);
            assertThat(Lifecycle.stock(hub, "reserved", "MUG-WHITE")).isEqualTo(1);
            pick(hub, order);
            pick(hub, lamp);
            pick(hub, cup);
            assertThat(onHand(hub, "CUP-BLUE")).isZero();
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(9);
            assertThat(Lifecycle.stock(hub, "reserved", "MUG-WHITE")).isZero();
            assertThat(onHand(hub, "LAMP-BRASS")).isEqualTo(23);

            // a count of WH1 taken before the picks (applied after them): it cannot know of them; the WMS received
            // 2 more mugs into B-02 before it
            snapshot(hub, "WH1", start.minusSeconds(3600), "MUG-WHITE,A-01,6\nMUG-WHITE,B-02,6\nLAMP-BRASS,C-01,5\n"
                    + "CUP-BLUE,D-04,1\n");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(11);
            assertThat(onHand(hub, "LAMP-BRASS")).isEqualTo(23);

            // WH1 counted after the picks: the mug is gone from A-01, and the count is what is on the shelf; the
            // last cup is gone, and the count does not list it at all
            snapshot(hub, "WH1", start.plusSeconds(60), "MUG-WHITE,A-01,5\nMUG-WHITE,B-02,6\nLAMP-BRASS,C-01,5\n");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(11);
            assertThat(onHand(hub, "CUP-BLUE")).isZero();
            // the lamps came from WH2: WH1's count gives nothing back for them
            assertThat(onHand(hub, "LAMP-BRASS")).isEqualTo(23);
            snapshot(hub, "WH2", start.plusSeconds(60), "LAMP-BRASS,Z-09,18\n");
            assertThat(onHand(hub, "LAMP-BRASS")).isEqualTo(23);

            // the next night's counts, nothing moved: nothing changes, nothing is given back twice
            snapshot(hub, "WH1", start.plusSeconds(120), "MUG-WHITE,A-01,5\nMUG-WHITE,B-02,6\nLAMP-BRASS,C-01,5\n");
            snapshot(hub, "WH2", start.plusSeconds(120), "LAMP-BRASS,Z-09,18\n");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(11);
            assertThat(onHand(hub, "LAMP-BRASS")).isEqualTo(23);
            assertThat(hub.jdbc().queryOne("select count(*) from uncounted_picks", rs -> rs.getLong(1)).orElseThrow())
                    .isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aDispatchFileThatComesAfterTheCountDoesNotTakeThePickOffAgain(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            catalog(hub, "MUG-WHITE");
            snapshot(hub, "WH1", start.minusSeconds(7200), "MUG-WHITE,A-01,10\n");
            String order = Lifecycle.paidOrder(hub, "late-1", "MUG-WHITE", 2);
            // the WMS picked at -30 min and counted at -10 min; the count arrives first
            snapshot(hub, "WH1", start.minusSeconds(600), "MUG-WHITE,A-01,8\n");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(8);
            assertThat(Lifecycle.stock(hub, "reserved", "MUG-WHITE")).isEqualTo(2);
            String report = Lifecycle.dispatch(hub, order + ",PICKED,,," + start.minusSeconds(1800)).toString();
            assertThat(report).contains("\"rowsApplied\":1");
            assertThat(Lifecycle.state(hub, order)).isEqualTo("PICKED");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(8);
            assertThat(Lifecycle.stock(hub, "reserved", "MUG-WHITE")).isZero();
            assertThat(hub.jdbc().queryOne("select count(*) from uncounted_picks", rs -> rs.getLong(1)).orElseThrow())
                    .isZero();

            // picked at -5 min; the count at -4 min cannot be read for that SKU: its count there is not known, so the
            // pick is not given back (on-hand would count the unit twice); the next readable count gives it back
            String second = Lifecycle.paidOrder(hub, "late-2", "MUG-WHITE", 1);
            Lifecycle.dispatch(hub, second + ",PICKED,,," + start.minusSeconds(300));
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(7);
            snapshot(hub, "WH1", start.minusSeconds(240), "MUG-WHITE,A-01,7.0\n");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(7);
            snapshot(hub, "WH1", start.minusSeconds(180), "MUG-WHITE,A-01,7\n");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(7);
            assertThat(hub.jdbc().queryOne("select count(*) from uncounted_picks", rs -> rs.getLong(1)).orElseThrow())
                    .isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void theSameCountAgainAfterAPickIsNewsAndWithoutOneItIsADuplicate(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            catalog(hub, "MUG-WHITE");
            snapshot(hub, "WH1", start.minusSeconds(7200), "MUG-WHITE,A-01,10\n");
            pick(hub, Lifecycle.paidOrder(hub, "same-1", "MUG-WHITE", 1));
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(9);
            // the night's count, taken after the pick, has the first count's bytes (a unit came back unrecorded): the
            // shelf says 10, and that is news, not a duplicate
            Path again = DropFolders.drop(hub, "inventory", "inventory_WH1_" + TS.format(start.plusSeconds(60)) + ".csv",
                    "sku,location,on_hand\nMUG-WHITE,A-01,10\n");
            assertThat(DropFolders.awaitReport(again, ".done").get("status").asText()).isEqualTo("applied");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(10);
            // nothing moved since: the same bytes once more are a duplicate
            Path third = DropFolders.drop(hub, "inventory", "inventory_WH1_" + TS.format(start.plusSeconds(120)) + ".csv",
                    "sku,location,on_hand\nMUG-WHITE,A-01,10\n");
            assertThat(DropFolders.awaitReport(third, ".done").get("status").asText()).isEqualTo("duplicate");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aCountRowReleasedLaterGivesBackThePicksOnceItsSkuIsCountedWhole(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            catalog(hub, "MUG-WHITE");
            snapshot(hub, "WH1", start.minusSeconds(7200), "MUG-WHITE,A-01,6\nMUG-WHITE,B-02,4\nMUG-WHITE,C-03,2\n");
            // picked from B-02 at -30 min
            Lifecycle.dispatch(hub, Lifecycle.paidOrder(hub, "rel-1", "MUG-WHITE", 1) + ",PICKED,,," + start.minusSeconds(1800));
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(11);
            // the count at -10 min: B-02 and C-03 cannot be read; they keep their counts, the pick stays remembered
            String name = "inventory_WH1_" + TS.format(start.minusSeconds(600)) + ".csv";
            Path dropped = DropFolders.drop(hub, "inventory", name,
                    "sku,location,on_hand\nMUG-WHITE,A-01,6\nMUG-WHITE,B-02,three\nMUG-WHITE,C-03,2.0\n");
            assertThat(DropFolders.awaitReport(dropped, ".done").get("rowsHeld").asLong()).isEqualTo(2);
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(11);
            // picked again now, after the count: no count reflects this one yet
            pick(hub, Lifecycle.paidOrder(hub, "rel-2", "MUG-WHITE", 1));
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(10);

            // B-02 corrected: 3 on the shelf; C-03 is still held, so its count is still the one from before the pick
            // and the pick is not given back yet
            release(hub, name + " row 3", "MUG-WHITE,B-02,3");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(9);
            // C-03 corrected: the count of the SKU is whole, and it reflects the first pick (not the second)
            release(hub, name + " row 4", "MUG-WHITE,C-03,2");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(6 + 3 + 2 - 1);
            assertThat(hub.jdbc().queryOne("select count(*) from uncounted_picks", rs -> rs.getLong(1)).orElseThrow())
                    .isEqualTo(1);
            // the next count, after the second pick, gives that one back, once
            snapshot(hub, "WH1", start.plusSeconds(60), "MUG-WHITE,A-01,5\nMUG-WHITE,B-02,3\nMUG-WHITE,C-03,2\n");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(10);
            assertThat(hub.jdbc().queryOne("select count(*) from uncounted_picks", rs -> rs.getLong(1)).orElseThrow())
                    .isZero();
        }
    }

    private static void release(TestHub hub, String subject, String row) {
        long holdId = -1;
        for (com.fasterxml.jackson.databind.JsonNode h : hub.api().get("/api/holds?status=open&reason=BAD_ROW").json()
                .get("holds")) {
            if (h.get("subject").asText().equals(subject)) {
                holdId = h.get("holdId").asLong();
            }
        }
        assertThat(holdId).as(subject).isPositive();
        assertThat(hub.api().post("/api/holds/" + holdId + "/release", Map.of("actor", "ops", "payload", row)).json()
                .get("status").asText()).isEqualTo("released");
    }

    private static void catalog(TestHub hub, String... skus) {
        for (String sku : skus) {
            hub.jdbc().update("insert into catalog (sku, barcode, description, active, updated_at) values (?, null, ?, true, ?)",
                    sku, sku, Instant.now());
        }
    }

    private static void pick(TestHub hub, String orderId) {
        assertThat(Lifecycle.event(hub, orderId, "PICKED", Map.of("reference", "pick-" + orderId)).status()).isEqualTo(200);
    }

    private static long onHand(TestHub hub, String sku) {
        return DropFolders.onHand(hub, sku);
    }

    private static void snapshot(TestHub hub, String warehouse, Instant at, String rows) throws Exception {
        Path dropped = DropFolders.drop(hub, "inventory", "inventory_" + warehouse + "_" + TS.format(at) + ".csv",
                "sku,location,on_hand\n" + rows);
        DropFolders.awaitReport(dropped, ".done");
    }
}
