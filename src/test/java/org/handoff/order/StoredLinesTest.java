package org.handoff.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredLinesTest {

    @Test
    void linesReadBackAsTheOrderLinesTableGaveThem() {
        List<OrderLine> lines = List.of(
                new OrderLine("W1-MUG", "mug-\u00e9\"1\"", 3, new BigDecimal("12.5")),
                new OrderLine(null, "variant 44", 1, null),
                new OrderLine("SKU,2", null, 0, new BigDecimal("0.00005")),
                new OrderLine("X", "x", 2, new BigDecimal("-1.23456")));
        List<OrderLine> back = StoredLines.read(StoredLines.write(lines));
        assertThat(back).containsExactly(
                new OrderLine("W1-MUG", "mug-\u00e9\"1\"", 3, new BigDecimal("12.5000")),
                new OrderLine(null, "variant 44", 1, null),
                new OrderLine("SKU,2", null, 0, new BigDecimal("0.0001")),
                new OrderLine("X", "x", 2, new BigDecimal("-1.2346")));
        assertThat(back.get(0).unitPrice().scale()).isEqualTo(4);
    }

    @Test
    void noLinesIsAnEmptyArray() {
        assertThat(StoredLines.write(List.of())).isEqualTo("[]");
        assertThat(StoredLines.read("[]")).isEmpty();
    }
}
