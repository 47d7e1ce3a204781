package org.handoff.settlement;

import java.math.BigDecimal;
import java.util.List;

/**
 * DESIGN §7: an order closes only with a reconciled settlement. Reconciled means every settlement line
 * of the order is in the order's currency and the lines net (charges − refunds ± adjustments) to what
 * the order is worth: the sum of quantity × unit price of its lines, or zero once it is cancelled.
 * The canonical model carries no shipping or tax amount, so a provider that settles those too shows up
 * as a mismatch an operator decides on — never as a silent close.
 */
public final class Reconciliation {

    public record Line(SettlementType type, BigDecimal amount, String currency, String payoutId) {}

    public record Result(boolean reconciled, BigDecimal expected, BigDecimal settled, String detail) {}

    private Reconciliation() {}

    public static Result check(BigDecimal expected, String orderCurrency, List<Line> lines) {
        BigDecimal settled = BigDecimal.ZERO;
        for (Line line : lines) {
            if (orderCurrency != null && !orderCurrency.equalsIgnoreCase(line.currency())) {
                return new Result(false, expected, null, "payout " + line.payoutId() + " is in " + line.currency()
                        + " but the order is in " + orderCurrency);
            }
            settled = settled.add(line.type().towardOrder(line.amount()));
        }
        boolean match = settled.compareTo(expected) == 0;
        String currency = orderCurrency == null ? "" : " " + orderCurrency;
        String detail = match ? "settled " + plain(settled) + currency + " as expected"
                : "expected " + plain(expected) + currency + ", settled " + plain(settled) + currency;
        return new Result(match, expected, settled, detail);
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().scale() < 2 ? value.setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString()
                : value.stripTrailingZeros().toPlainString();
    }
}
