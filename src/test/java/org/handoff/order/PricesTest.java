package org.handoff.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** A price is plain digits with no more decimals than its currency's minor units: never rounded, never guessed. */
class PricesTest {

    @Test
    void plainDecimalsWithinTheCurrencysMinorUnitsPass() {
        assertThat(Prices.problem("19.90", "EUR")).isNull();
        assertThat(Prices.problem("12.340", "USD")).isNull(); // a trailing zero is no decimal of its own
        assertThat(Prices.problem("1000", "JPY")).isNull();
        assertThat(Prices.problem("1000.00", "JPY")).isNull();
        assertThat(Prices.problem("1.234", "KWD")).isNull();
        assertThat(Prices.problem(" +0.99 ", "usd")).isNull();
        assertThat(Prices.parse("12.5")).isEqualByComparingTo(new BigDecimal("12.5"));
    }

    @Test
    void moreDecimalsThanTheCurrencyHasAreRefused() {
        assertThat(Prices.problem("12.345", "USD")).startsWith("has 3 decimals; USD has 2");
        assertThat(Prices.problem("12.5", "JPY")).startsWith("has 1 decimal; JPY has 0");
        assertThat(Prices.problem("1.2345", "kwd")).startsWith("has 4 decimals; KWD has 3");
        // a currency that is no ISO 4217 code is its own rule's to hold (INVALID_CURRENCY): decimals not checked
        assertThat(Prices.problem("12.345", "EURO")).isNull();
        assertThat(Prices.problem("12.345", "")).isNull();
    }

    @Test
    void exponentsAndWhatIsNoDecimalAreRefused() {
        for (String exponent : new String[] {"1e3", "1E3", "5.81004E+12", "1.5e-2"}) {
            assertThat(Prices.problem(exponent, "USD")).as(exponent).startsWith("is in exponent notation");
            assertThat(Prices.parse(exponent)).as(exponent).isNull();
        }
        for (String bad : new String[] {"x", "-1", "", ".", "1.2.3", "12,50", "0x10", "1 000", "Infinity", "NaN", "e3"}) {
            assertThat(Prices.problem(bad, "USD")).as(bad).isEqualTo("is not a decimal amount");
        }
    }
}
