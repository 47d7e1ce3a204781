package org.handoff.order.validation;

import java.util.ArrayList;
import java.util.List;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.ShipTo;

/** A parcel needs a name, a street, a city, a country, and a postcode (MISSING_ADDRESS). */
public final class AddressCompleteRule implements ValidationRule {

    public static final String REASON = "MISSING_ADDRESS";

    @Override
    public String reasonCode() {
        return REASON;
    }

    @Override
    public List<Violation> check(CanonicalOrder order, ValidationContext context) {
        ShipTo to = order.shipTo();
        List<String> missing = new ArrayList<>();
        if (blank(to.name())) {
            missing.add("name");
        }
        if (blank(to.address1())) {
            missing.add("address1");
        }
        if (blank(to.city())) {
            missing.add("city");
        }
        if (blank(to.postcode())) {
            missing.add("postcode");
        }
        if (blank(to.country())) {
            missing.add("country");
        }
        return missing.isEmpty() ? List.of()
                : List.of(new Violation(REASON, "ship-to is missing " + String.join(", ", missing)));
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
