package org.handoff.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static Reconciliation.Line line(SettlementType type, String amount, String currency) {
        return new Reconciliation.Line(type, new BigDecimal(amount), currency, "P-1");
    }

    @Test
    void chargesNetOfRefundsMatchingTheOrderReconcileWhateverTheScale() {
        var result = Reconciliation.check(new BigDecimal("59.8000"), "EUR", List.of(
                line(SettlementType.CHARGE, "69.80", "EUR"), line(SettlementType.REFUND, "10", "EUR"),
                line(SettlementType.FEE, "-1.79", "EUR")));
        assertThat(result.reconciled()).isTrue();
        assertThat(result.detail()).isEqualTo("settled 59.80 EUR as expected");
    }

    @Test
    void aShortfallIsAMismatchNamingBothAmounts() {
        var result = Reconciliation.check(new BigDecimal("59.80"), "EUR", List.of(line(SettlementType.CHARGE, "49.80", "EUR")));
        assertThat(result.reconciled()).isFalse();
        assertThat(result.detail()).isEqualTo("expected 59.80 EUR, settled 49.80 EUR");
    }

    @Test
    void anotherCurrencyNeverReconciles() {
        var result = Reconciliation.check(new BigDecimal("10"), "EUR", List.of(line(SettlementType.CHARGE, "10", "USD")));
        assertThat(result.reconciled()).isFalse();
        assertThat(result.detail()).contains("USD").contains("EUR");
    }

    @Test
    void adjustmentsCarryTheirSignAndFeesDoNotCount() {
        assertThat(SettlementType.ADJUSTMENT.towardOrder(new BigDecimal("-2.50"))).isEqualByComparingTo("-2.50");
        assertThat(SettlementType.REFUND.towardOrder(new BigDecimal("-3"))).isEqualByComparingTo("-3");
        assertThat(SettlementType.REFUND.towardOrder(new BigDecimal("3"))).isEqualByComparingTo("-3");
        assertThat(SettlementType.FEE.towardOrder(new BigDecimal("9"))).isEqualByComparingTo("0");
        assertThat(SettlementType.parse(" Charge ")).contains(SettlementType.CHARGE);
        assertThat(SettlementType.parse("payout")).isEmpty();
    }
}
