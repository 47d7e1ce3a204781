package org.handoff.order.validation;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.handoff.order.CanonicalOrder;

/**
 * The postcode has its country's shape (INVALID_POSTCODE). Countries without a pattern here are not
 * checked; a missing postcode is the address rule's business.
 */
public final class PostcodeRule implements ValidationRule {

    public static final String REASON = "INVALID_POSTCODE";

    private static final Map<String, Pattern> FORMATS = Map.ofEntries(
            Map.entry("US", Pattern.compile("\\d{5}(-\\d{4})?")),
            Map.entry("CA", Pattern.compile("[ABCEGHJ-NPRSTVXY]\\d[ABCEGHJ-NPRSTV-Z] ?\\d[ABCEGHJ-NPRSTV-Z]\\d")),
            Map.entry("GB", Pattern.compile("(GIR ?0AA|[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2})")),
            Map.entry("DE", Pattern.compile("\\d{5}")),
            Map.entry("FR", Pattern.compile("\\d{5}")),
            Map.entry("NL", Pattern.compile("[1-9]\\d{3} ?[A-Z]{2}")),
            Map.entry("AU", Pattern.compile("\\d{4}")),
            Map.entry("BE", Pattern.compile("\\d{4}")),
            Map.entry("AT", Pattern.compile("\\d{4}")),
            Map.entry("ES", Pattern.compile("\\d{5}")),
            Map.entry("IT", Pattern.compile("\\d{5}")));

    @Override
    public String reasonCode() {
        return REASON;
    }

    @Override
    public List<Violation> check(CanonicalOrder order, ValidationContext context) {
        String country = order.shipTo().country();
        String postcode = order.shipTo().postcode();
        if (country == null || postcode == null || postcode.isBlank()) {
            return List.of();
        }
        Pattern format = FORMATS.get(country.trim().toUpperCase(Locale.ROOT));
        if (format == null || format.matcher(postcode.trim().toUpperCase(Locale.ROOT)).matches()) {
            return List.of();
        }
        return List.of(new Violation(REASON, "postcode '" + postcode + "' is not a valid " + country + " postcode"));
    }
}
