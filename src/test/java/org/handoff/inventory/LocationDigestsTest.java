package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocationDigestsTest {

    private static LocationDigests.Digest of(Object... locationAndCount) {
        LocationDigests.Digest d = LocationDigests.EMPTY;
        for (int i = 0; i < locationAndCount.length; i += 2) {
            d = d.plus((String) locationAndCount[i], ((Number) locationAndCount[i + 1]).longValue());
        }
        return d;
    }

    @Test
    void theOrderOfTheRowsDoesNotMatter() {
        assertThat(of("A-01", 5, "A-02", 7, "B-01", 1)).isEqualTo(of("B-01", 1, "A-01", 5, "A-02", 7));
    }

    @Test
    void aLocationAtZeroCountsAsNotListed() {
        assertThat(of("A-01", 5, "A-02", 0)).isEqualTo(of("A-01", 5));
        assertThat(of("A-01", 0)).isEqualTo(LocationDigests.EMPTY);
        assertThat(of("A-01", 5, "A-02", 0).locations()).isEqualTo(1);
    }

    @Test
    void anyChangedCountMovedCountOrMissingLocationChangesTheDigest() {
        LocationDigests.Digest stored = of("A-01", 5, "A-02", 7);
        assertThat(of("A-01", 5, "A-02", 8)).isNotEqualTo(stored);
        assertThat(of("A-01", 7, "A-02", 5)).isNotEqualTo(stored); // counts swapped between locations
        assertThat(of("A-01", 5)).isNotEqualTo(stored);            // a location left out
        assertThat(of("A-01", 5, "A-02", 7, "A-03", 1)).isNotEqualTo(stored);
    }

    @Test
    void termsAreWellSpread() {
        Set<Long> terms = new HashSet<>();
        for (int location = 0; location < 200; location++) {
            for (long count = 1; count <= 500; count++) {
                terms.add(LocationDigests.term("A-" + location, count));
            }
        }
        assertThat(terms).hasSize(200 * 500).doesNotContain(0L);
        assertThat(LocationDigests.term("A-01", 0)).isZero();
    }
}
