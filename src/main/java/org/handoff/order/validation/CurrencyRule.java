package org.handoff.order.validation;

import java.util.Currency;
import java.util.List;
import org.handoff.order.CanonicalOrder;

/**
 * The order's currency must be an ISO 4217 code (EUR, GBP, USD; the doors upper-case it): money in a currency that
 * is missing or unknown ("EURO", "€") cannot be reconciled against a payout, so the order holds (INVALID_CURRENCY)
 * rather than being accepted on a guess.
 */
public final class CurrencyRule implements ValidationRule {

    public static final String REASON = "INVALID_CURRENCY";

    @Override
    public String reasonCode() {
        return REASON;
    }

    @Override
    public List<Violation> check(CanonicalOrder order, ValidationContext context) {
        String code = order.currency();
        if (code == null || code.isBlank()) {
            return List.of(new Violation(REASON, "currency is missing"));
        }
        if (!isoCode(code)) {
            return List.of(new Violation(REASON, "currency '" + code + "' is not an ISO 4217 code (EUR, GBP, USD)"));
        }
        return List.of();
    }

    static boolean isoCode(String code) {
        if (code.length() != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            char ch = code.charAt(i);
            if (ch < 'A' || ch > 'Z') {
                return false;
            }
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
