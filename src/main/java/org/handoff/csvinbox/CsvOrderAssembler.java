package org.handoff.csvinbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.ShipTo;
import org.handoff.order.Timestamps;

/**
 * The CSV inbox's normalizer: the rows of one order (already checked by {@link OrderGroupCheck}) become
 * the same {@link CanonicalOrder} a webhook normalizer makes, so the pipeline cannot tell the doors
 * apart. The channel is the {@code <channel>} of the file name; empty cells are absent values.
 * A {@code placed_at} that is not an ISO 8601 time with an offset is passed on as text, for the
 * pipeline's INVALID_TIMESTAMP rule to name.
 */
public final class CsvOrderAssembler {

    private CsvOrderAssembler() {}

    public static CanonicalOrder assemble(String channel, OrderGroup group) {
        CsvOrderRow first = group.rows().get(0);
        List<CanonicalOrder.Line> lines = new ArrayList<>(group.rows().size());
        for (CsvOrderRow row : group.rows()) {
            String price = row.get(OrdersTemplate.UNIT_PRICE);
            lines.add(new CanonicalOrder.Line(blankToNull(row.get(OrdersTemplate.SKU)), null,
                    OrderGroupCheck.parseQuantity(row.get(OrdersTemplate.QUANTITY)),
                    price.isEmpty() ? null : OrderGroupCheck.parsePrice(price)));
        }
        String placedAtText = blankToNull(first.get("placed_at"));
        ShipTo shipTo = new ShipTo(value(first, "ship_name"), value(first, "ship_address1"),
                value(first, "ship_address2"), value(first, "ship_city"), value(first, "ship_postcode"),
                upper(value(first, "ship_country")), value(first, "ship_phone"));
        return new CanonicalOrder(channel, group.orderId(), parseInstant(placedAtText), placedAtText, null,
                upper(value(first, "currency")), value(first, "email"), lines, shipTo,
                value(first, "shipping_method"), lower(value(first, "financial_status")), false);
    }

    /** ISO 8601 with an offset or Z ({@code 2026-11-22T03:00:00Z}, {@code 2026-11-22T04:00:00+01:00}); else null. */
    public static Instant parseInstant(String text) {
        return Timestamps.parseOffset(text);
    }

    private static String value(CsvOrderRow row, String column) {
        return blankToNull(row.get(column));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
