package org.handoff.order.validation;

import java.util.List;
import org.handoff.order.CanonicalOrder;

/** placedAt must parse and must not lie in the future beyond the allowed clock skew (INVALID_TIMESTAMP). */
public final class TimestampRule implements ValidationRule {

    public static final String REASON = "INVALID_TIMESTAMP";

    @Override
    public String reasonCode() {
        return REASON;
    }

    @Override
    public List<Violation> check(CanonicalOrder order, ValidationContext context) {
        if (order.placedAt() == null) {
            String raw = order.placedAtText();
            return List.of(new Violation(REASON, raw == null || raw.isBlank() ? "placedAt is missing"
                    : "placedAt '" + raw + "' is not a valid timestamp"));
        }
        if (order.placedAt().isAfter(context.now().plus(context.maxClockSkew()))) {
            return List.of(new Violation(REASON, "placedAt " + order.placedAt() + " is in the future (now "
                    + context.now() + ", allowed skew " + context.maxClockSkew() + ")"));
        }
        return List.of();
    }
}
