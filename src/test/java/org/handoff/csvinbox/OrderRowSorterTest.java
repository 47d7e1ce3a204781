package org.handoff.csvinbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderRowSorterTest {

    @TempDir
    Path temp;

    private static CsvOrderRow row(long n, String orderId, String sku) {
        List<String> values = new ArrayList<>(Collections.nCopies(16, ""));
        values.set(0, orderId);
        values.set(11, sku);
        return new CsvOrderRow(n, values);
    }

    @Test
    void rowsOfOneOrderAreGroupedWhereverTheyStand() {
        try (OrderRowSorter sorter = new OrderRowSorter(temp, 1000, 100)) {
            sorter.add(row(3, "1001", "A"));
            sorter.add(row(4, "1002", "B"));
            sorter.add(row(5, "1001", "C"));
            sorter.add(row(6, "1003", "D"));
            sorter.add(row(7, "1002", "E"));
            List<OrderGroup> groups = new ArrayList<>();
            sorter.groups().forEachRemaining(groups::add);
            assertThat(groups).extracting(OrderGroup::orderId).containsExactly("1001", "1002", "1003");
            assertThat(groups.get(0).rowNumbers()).isEqualTo("3, 5");
            assertThat(groups.get(1).rows()).extracting(r -> r.get("sku")).containsExactly("B", "E");
            assertThat(sorter.runs()).isZero();
        }
    }

    @Test
    void aFileLargerThanOneChunkIsMergedFromRunFilesAndTheRunsAreRemoved() throws Exception {
        Random random = new Random(7);
        List<CsvOrderRow> rows = new ArrayList<>();
        long n = 3;
        for (int order = 0; order < 2_000; order++) {
            int lines = 1 + random.nextInt(5);
            for (int l = 0; l < lines; l++) {
                rows.add(row(0, "ord-" + order, "SKU-" + l));
            }
        }
        Collections.shuffle(rows, random);
        List<CsvOrderRow> numbered = new ArrayList<>();
        for (CsvOrderRow r : rows) {
            numbered.add(new CsvOrderRow(n++, r.values()));
        }
        int groups = 0;
        long seen = 0;
        try (OrderRowSorter sorter = new OrderRowSorter(temp, 500, 100)) {
            numbered.forEach(sorter::add);
            Iterator<OrderGroup> it = sorter.groups();
            String previous = "";
            while (it.hasNext()) {
                OrderGroup g = it.next();
                assertThat(g.orderId()).isGreaterThan(previous);
                previous = g.orderId();
                assertThat(g.rows()).allMatch(r -> r.orderId().equals(g.orderId()));
                assertThat(g.rows()).extracting(CsvOrderRow::row).isSorted();
                groups++;
                seen += g.size();
            }
            assertThat(sorter.runs()).isGreaterThan(1);
        }
        assertThat(groups).isEqualTo(2_000);
        assertThat(seen).isEqualTo(numbered.size());
        try (var left = Files.list(temp)) {
            assertThat(left.flatMap(p -> p.toFile().isDirectory() ? java.util.Arrays.stream(p.toFile().listFiles())
                    .map(java.io.File::toPath) : java.util.stream.Stream.of(p))).isEmpty();
        }
    }

    @Test
    void anOrderWithMoreRowsThanAllowedKeepsOnlyTheFirstAndCountsTheRest() {
        try (OrderRowSorter sorter = new OrderRowSorter(temp, 2, 3)) {
            for (int i = 0; i < 5; i++) {
                sorter.add(row(3 + i, "big", "S" + i));
            }
            sorter.add(row(8, "small", "X"));
            Iterator<OrderGroup> it = sorter.groups();
            OrderGroup big = it.next();
            assertThat(big.rows()).hasSize(3);
            assertThat(big.overflow()).isEqualTo(2);
            assertThat(big.rowNumbers()).isEqualTo("3, 4, 5 and 2 more");
            assertThat(it.next().orderId()).isEqualTo("small");
            assertThat(it.hasNext()).isFalse();
        }
    }

    @Test
    void valuesSurviveTheRunFilesIntact() {
        try (OrderRowSorter sorter = new OrderRowSorter(temp, 1, 10)) {
            CsvOrderRow original = new CsvOrderRow(9, List.of("o-1", "2026-11-22T03:00:00Z", "ä@example.com", "Zoë, \"Z\"",
                    "Line\nbreak", "", "Köln", "50667", "DE", "+49 1", "dhl-express", "SKU-1", "2", "19.90", "EUR", "paid"));
            sorter.add(original);
            sorter.add(row(10, "o-0", "Y"));
            Iterator<OrderGroup> it = sorter.groups();
            it.next();
            assertThat(it.next().rows().get(0)).isEqualTo(original);
        }
    }
}
