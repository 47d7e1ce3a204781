package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AtsBlocksTest {

    @Test
    void aSkusBlockIsItsJavaStringHashModuloTheBlockCountNeverNegative() {
        // "MUG".hashCode() = 76,703: stored rows depend on this staying what the language defines
        assertThat(AtsBlocks.block("MUG")).isEqualTo(76_703 % 1024);
        String negative = "polygenelubricants"; // hashCode Integer.MIN_VALUE
        assertThat(negative.hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(AtsBlocks.block(negative)).isBetween(0, AtsBlocks.BLOCKS - 1);
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
