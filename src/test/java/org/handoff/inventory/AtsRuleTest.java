package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AtsRuleTest {

    @Test
    void availableIsOnHandLessReservedLessSafetyStock() {
        assertThat(AtsRule.available(10, 3, 2)).isEqualTo(5);
    }

    @Test
    void neverBelowZero() {
        assertThat(AtsRule.available(3, 3, 2)).isZero();
        assertThat(AtsRule.available(1, 4, 0)).isZero();
    }

    @Test
    void safetyStockExactlyEqualToWhatIsLeftLeavesNothing() {
        assertThat(AtsRule.available(7, 2, 5)).isZero();
        assertThat(AtsRule.available(8, 2, 5)).isEqualTo(1);
    }
}
