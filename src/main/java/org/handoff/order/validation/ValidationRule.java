package org.handoff.order.validation;

import java.util.List;
import org.handoff.order.CanonicalOrder;

/** One named check of a canonical order; every rule runs, and all violations go into one hold. */
public interface ValidationRule {

    /** The reason code this rule holds with. */
    String reasonCode();

    List<Violation> check(CanonicalOrder order, ValidationContext context);
}
