package org.handoff.order.validation;

import java.util.ArrayList;
import java.util.List;
import org.handoff.order.CanonicalOrder;

/** Runs every rule and collects every violation, so one hold says everything that is wrong at once. */
public final class OrderValidator {

    /** In the order their reasons are reported (the first one names the hold). */
    public static final List<ValidationRule> DEFAULT_RULES = List.of(
            new SkuResolutionRule(),
            new AddressCompleteRule(),
            new PostcodeRule(),
            new CarrierPhoneRule(),
            new TimestampRule(),
            new CurrencyRule());

    private final List<ValidationRule> rules;

    public OrderValidator(List<ValidationRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public OrderValidator() {
        this(DEFAULT_RULES);
    }

    public List<Violation> validate(CanonicalOrder order, ValidationContext context) {
        List<Violation> out = new ArrayList<>();
        for (ValidationRule rule : rules) {
            out.addAll(rule.check(order, context));
        }
        return out;
    }
}
