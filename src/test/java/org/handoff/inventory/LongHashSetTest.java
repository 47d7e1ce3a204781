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
        assertThat(set.contains(LongHashSet.hash("SKU-199999", "L9"))).isTrue();
        assertThat(set.contains(LongHashSet.hash("SKU-1", "L2"))).isFalse();
        assertThat(set.add(0)).isTrue();
        assertThat(set.add(0)).isFalse();
    }

    @Test
    void skuAndLocationAreNotConcatenatedAmbiguously() {
        assertThat(LongHashSet.hash("AB", "C")).isNotEqualTo(LongHashSet.hash("A", "BC"));
    }
}
