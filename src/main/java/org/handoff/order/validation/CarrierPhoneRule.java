package org.handoff.order.validation;

import java.util.List;
import org.handoff.order.CanonicalOrder;

/** mappings/carriers.yaml says whether the shipping method's carrier needs a phone (MISSING_CARRIER_PHONE). */
public final class CarrierPhoneRule implements ValidationRule {

    public static final String REASON = "MISSING_CARRIER_PHONE";

    @Override
    public String reasonCode() {
        return REASON;
    }

    @Override
    public List<Violation> check(CanonicalOrder order, ValidationContext context) {
        String method = order.shippingMethod();
        if (method == null || method.isBlank() || !AddressCompleteRule.blank(order.shipTo().phone())) {
            return List.of();
        }
        return context.mappings().phoneMandatory(method)
                ? List.of(new Violation(REASON, "shipping method '" + method + "' needs a phone number and there is none"))
                : List.of();
    }
}
