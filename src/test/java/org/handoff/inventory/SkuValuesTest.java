package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SkuValuesTest {

    @Test
    void answersLikeAHashMapThroughGrowthAndOverwrites() {
        SkuValues values = new SkuValues();
        Map<String, Long> expected = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            String sku = "SKU-" + random.nextInt(20_000);
            long v = random.nextInt(1_000) - 1;
            assertThat(values.put(sku, v)).isEqualTo(!expected.containsKey(sku));
            expected.put(sku, v);
        }
        assertThat(values.size()).isEqualTo(expected.size());
        expected.forEach((sku, v) -> assertThat(values.get(sku)).isEqualTo(v));
        assertThat(values.get("SKU-20000")).isEqualTo(SkuValues.ABSENT);
        assertThat(values.get("")).isEqualTo(SkuValues.ABSENT);
    }

    @Test
    void refusesTheValueThatMeansAbsent() {
        SkuValues values = new SkuValues();
        assertThatThrownBy(() -> values.put("MUG", SkuValues.ABSENT)).isInstanceOf(IllegalArgumentException.class);
        assertThat(values.get("MUG")).isEqualTo(SkuValues.ABSENT);
        assertThat(values.size()).isZero();
    }
}
