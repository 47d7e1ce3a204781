package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Snapshots with enough SKUs per batch that PostgreSQL writes them set-based (PgSetUpdate), and the
 * optimistic check of warehouse_stock writes: a row another transaction changed since it was read is not
 * overwritten, on either path.
 */
class WarehouseStockIT {

    private static final int SKUS = 40;

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void manyChangedSkusPerBatchKeepCountsAndStockInStep(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).property("handoff.inbox.batch-rows", "60").start()) {
            Map<String, TreeMap<String, Long>> expected = new TreeMap<>();
            StringBuilder first = new StringBuilder("sku,location,on_hand\n");
            for (int s = 0; s < SKUS; s++) {
                for (int l = 0; l < 3; l++) {
                    first.append(sku(s)).append(",L-").append(l).append(',').append(s + l).append('\n');
                    expected.computeIfAbsent(sku(s), k -> new TreeMap<>()).put("L-" + l, (long) s + l);
                }
            }
            awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T030000Z.csv", first.toString()), ".done");
            assertInStep(hub, expected);

            // every other SKU changes a count, every fifth leaves a location out, the last five are not listed
            StringBuilder second = new StringBuilder("sku,location,on_hand\n");
            for (int s = 0; s < SKUS - 5; s++) {
                for (int l = 0; l < 3; l++) {
                    if (s % 5 == 0 && l == 2) {
                        expected.get(sku(s)).remove("L-2");
                        continue;
                    }
                    long count = s % 2 == 0 && l == 0 ? s + 100 : s + l;
                    second.append(sku(s)).append(",L-").append(l).append(',').append(count).append('\n');
                    expected.get(sku(s)).put("L-" + l, count);
                }
            }
            for (int s = SKUS - 5; s < SKUS; s++) {
                expected.get(sku(s)).clear();
            }
            awaitReport(drop(hub, "inventory", "inventory_WH1_20261123T030000Z.csv", second.toString()), ".done");
            assertInStep(hub, expected);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aRowChangedSinceItWasReadIsNotOverwritten(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            WarehouseStock counts = new WarehouseStock();
            Instant at = Instant.parse("2026-11-22T03:00:00Z");
            for (int n : new int[] {3, 12}) { // below and above the set-based threshold
                List<WarehouseStock.Change> inserts = new ArrayList<>();
                for (int s = 0; s < n; s++) {
                    inserts.add(new WarehouseStock.Change("N" + n + "-" + sku(s), null, packed("A", 1)));
                }
                hub.jdbc().inTransaction(c -> counts.write(c, "WH1", at, inserts));

                // read by the writer: A=1; meanwhile the SKUs with an odd number got A=5 from someone else
                hub.jdbc().update("update warehouse_stock set locations = 'A=5', on_hand = 5 where sku like ? and "
                        + "mod(cast(substring(sku, length(sku) - 1) as int), 2) = 1", "N" + n + "-%");
                List<WarehouseStock.Change> updates = new ArrayList<>();
                for (WarehouseStock.Change insert : inserts) {
                    updates.add(new WarehouseStock.Change(insert.sku(), new WarehouseStock.Stored("A=1", 1), packed("B", 2)));
                }
                List<String> conflicts = hub.jdbc().inTransaction(c -> counts.write(c, "WH1", at, updates));
                Map<String, String> stored = new HashMap<>();
                hub.jdbc().query("select sku, locations from warehouse_stock where sku like ?",
                        rs -> stored.put(rs.getString(1), rs.getString(2)), "N" + n + "-%");
                for (int s = 0; s < n; s++) {
                    String sku = "N" + n + "-" + sku(s);
                    assertThat(conflicts.contains(sku)).as(sku).isEqualTo(s % 2 == 1);
                    assertThat(stored.get(sku)).as(sku).isEqualTo(s % 2 == 1 ? "A=5" : "B=2");
                }
            }
        }
    }

    /**
     * An unsorted snapshot's end rule compares the warehouse's SKUs with stock against how many the file listed
     * with a count (the SKU set's size): thousands of SKUs, so the set grows several times meanwhile.
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void skusLeftOutOfALargeUnsortedSnapshotDropToZero(TestDb db) throws Exception {
        int skus = 3_000;
        try (TestHub hub = TestHub.start(db)) {
            StringBuilder first = new StringBuilder("sku,location,on_hand\n");
            StringBuilder second = new StringBuilder("sku,location,on_hand\n");
            for (int s = skus - 1; s >= 0; s--) { // descending: not in the store's order
                first.append(String.format("U-%05d", s)).append(",A,").append(s % 7 + 1).append('\n');
                if (s % 100 != 0) {
                    second.append(String.format("U-%05d", s)).append(",A,").append(s % 7 + 1).append('\n');
                }
            }
            awaitReport(drop(hub, "inventory", "inventory_WH2_20261122T030000Z.csv", first.toString()), ".done");
            awaitReport(drop(hub, "inventory", "inventory_WH2_20261123T030000Z.csv", second.toString()), ".done");
            Map<String, Long> onHand = new TreeMap<>();
            hub.jdbc().query("select sku, on_hand from warehouse_stock where warehouse = 'WH2'",
                    rs -> onHand.put(rs.getString(1), rs.getLong(2)));
            for (int s = 0; s < skus; s++) {
                assertThat(onHand.get(String.format("U-%05d", s))).as("U-%05d", s).isEqualTo(s % 100 == 0 ? 0L : s % 7 + 1);
            }
            if (db == TestDb.POSTGRES) {
                // room on the page for the daily updates (PgFillFactor)
                for (String table : PgFillFactor.TABLES) {
                    assertThat(hub.jdbc().queryOne("select cast(reloptions as varchar) from pg_class where oid = "
                            + "to_regclass(?)", rs -> rs.getString(1), table)).as(table).contains("{fillfactor=80}");
                }
            }
        }
    }

    private static LocationCounts.Packed packed(String location, long count) {
        TreeMap<String, Long> m = new TreeMap<>();
        m.put(location, count);
        return LocationCounts.pack(m);
    }

    private static String sku(int s) {
        return String.format("SKU-%02d", s);
    }

    /** Each SKU's packed counts are the expected ones, the row's total their sum, and stock.on_hand that total. */
    private static void assertInStep(TestHub hub, Map<String, TreeMap<String, Long>> expected) {
        Map<String, String> packed = new TreeMap<>();
        Map<String, Long> totals = new TreeMap<>();
        hub.jdbc().query("select sku, on_hand, locations from warehouse_stock where warehouse = 'WH1'", rs -> {
            packed.put(rs.getString(1), rs.getString(3));
            return totals.put(rs.getString(1), rs.getLong(2));
        });
        Map<String, Long> onHand = new TreeMap<>();
        hub.jdbc().query("select sku, on_hand from stock", rs -> onHand.put(rs.getString(1), rs.getLong(2)));
        Map<String, String> expectedPacked = new TreeMap<>();
        Map<String, Long> expectedTotals = new TreeMap<>();
        expected.forEach((sku, counts) -> {
            expectedPacked.put(sku, LocationCounts.pack(counts).text());
            expectedTotals.put(sku, LocationCounts.pack(counts).total());
        });
        assertThat(packed).isEqualTo(expectedPacked);
        assertThat(totals).isEqualTo(expectedTotals);
        assertThat(onHand).isEqualTo(expectedTotals);
    }
}
