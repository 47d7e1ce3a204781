package org.handoff.settlement;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/**
 * What a settlement line means for the money the customer paid for an order. A charge adds to it, a
 * refund takes away from it, an adjustment carries its own sign; the provider's fee is recorded but is
 * not part of what the customer paid, so it does not count toward reconciliation.
 */
public enum SettlementType {
    CHARGE, REFUND, ADJUSTMENT, FEE;

    public static Optional<SettlementType> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** This line's contribution to what the customer paid for the order. */
    public BigDecimal towardOrder(BigDecimal amount) {
        return switch (this) {
            case CHARGE -> amount.abs();
            case REFUND -> amount.abs().negate();
            case ADJUSTMENT -> amount;
            case FEE -> BigDecimal.ZERO;
        };
    }
}
