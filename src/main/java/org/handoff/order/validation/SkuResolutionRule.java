package org.handoff.order.validation;

import java.util.ArrayList;
import java.util.List;
import org.handoff.order.CanonicalOrder;

/**
 * Every line resolves to an active master SKU: channel-skus.csv, then the alias windows, then the ERP
 * catalog (UNMAPPED_VARIANT for a line with no SKU whose variant id is not mapped, UNKNOWN_SKU otherwise).
 * The resolution itself is done by {@link SkuResolver}; this rule reports its failures, and an order
 * without lines.
 */
public final class SkuResolutionRule implements ValidationRule {

    @Override
    public String reasonCode() {
        return SkuResolver.UNKNOWN_SKU;
    }

    @Override
    public List<Violation> check(CanonicalOrder order, ValidationContext context) {
        List<Violation> out = new ArrayList<>();
        for (SkuResolver.LineResolution line : context.lines()) {
            if (line.violation() != null) {
                out.add(line.violation());
            }
        }
        return out;
    }
}
