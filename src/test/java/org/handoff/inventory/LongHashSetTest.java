package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LongHashSetTest {

    @Test
    void remembersEveryKeyThroughGrowthAndReportsRepeats() {
        LongHashSet set = new LongHashSet();
        for (int i = 0; i < 200_000; i++) {
            assertThat(set.add(LongHashSet.hash("SKU-" + i, "L" + (i % 10)))).isTrue();
        }
        assertThat(set.add(LongHashSet.hash("SKU-7", "L7"))).isFalse();
        // counted once through every growth (the end-of-file rule compares it with the warehouse's SKUs)
        assertThat(set.size()).isEqualTo(200_000);
        assertThat(set.contains(LongHashSet.hash("SKU-199999", "L9"))).isTrue();
        assertThat(set.contains(LongHashSet.hash("SKU-1", "L2"))).isFalse();
        assertThat(set.add(0)).isTrue();
        assertThat(set.add(0)).isFalse();
    }

    @Test
    void aSizeHintTooSmallOrTooLargeStillRemembersEveryKey() {
        for (long hint : new long[] {0, 10, 50_000, 100_000, 10_000_000}) {
            LongHashSet set = new LongHashSet(hint);
            for (int i = 0; i < 100_000; i++) {
                assertThat(set.add(LongHashSet.hash("SKU-" + i, ""))).isTrue();
            }
            assertThat(set.size()).isEqualTo(100_000);
            assertThat(set.add(LongHashSet.hash("SKU-99999", ""))).isFalse();
            assertThat(set.contains(LongHashSet.hash("SKU-100000", ""))).isFalse();
        }
    }

    @Test
    void skuAndLocationAreNotConcatenatedAmbiguously() {
        assertThat(LongHashSet.hash("AB", "C")).isNotEqualTo(LongHashSet.hash("A", "BC"));
    }
}
