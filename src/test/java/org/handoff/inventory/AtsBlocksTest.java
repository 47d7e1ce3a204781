package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AtsBlocksTest {

    @Test
    void aSkusBlockIsTheTopTenBitsOfItsMixedJavaHashNeverNegative() {
        // "MUG".hashCode() = 76,703; (76,703 * 0x9E3779B9) >>> 22 = 62: stored rows depend on this staying so
        assertThat(AtsBlocks.block("MUG")).isEqualTo(62);
        String negative = "polygenelubricants"; // hashCode Integer.MIN_VALUE
        assertThat(negative.hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(AtsBlocks.block(negative)).isEqualTo(512);
    }

    @Test
    void numberedCodesFillEveryBlockCloseToItsShare() {
        int[] counts = new int[AtsBlocks.BLOCKS];
        for (int i = 0; i < 100_000; i++) {
            counts[AtsBlocks.block(String.format("SKU-%07d", i))]++;
        }
        // ~98 each; the plain hash modulo 1,024 gave 1 to 230 and left 6 blocks empty
        assertThat(java.util.Arrays.stream(counts).min().orElseThrow()).isGreaterThanOrEqualTo(80);
        assertThat(java.util.Arrays.stream(counts).max().orElseThrow()).isLessThanOrEqualTo(120);
    }

    @Test
    void aBlockKeepsEveryValueZeroIncludedAndReadsBackWhateverTheCodesHold() {
        TreeMap<String, Long> values = new TreeMap<>();
        values.put("MUG", 9L);
        values.put("TEE", 0L);
        values.put("A;B=C\\D", 12L);
        String text = AtsBlocks.pack(values);
        assertThat(text).isEqualTo("A\\;B\\=C\\\\D=12;MUG=9;TEE=0");
        assertThat(AtsBlocks.unpack(text)).isEqualTo(values);
        // appended in any order, read into SKU order
        StringBuilder unordered = new StringBuilder();
        AtsBlocks.append(unordered, "TEE", 0);
        AtsBlocks.append(unordered, "MUG", 9);
        AtsBlocks.append(unordered, "A;B=C\\D", 12);
        assertThat(AtsBlocks.unpack(unordered.toString())).isEqualTo(values);
    }
}
