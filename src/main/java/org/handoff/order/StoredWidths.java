package org.handoff.order;

import java.util.ArrayList;
import java.util.List;

/**
 * The widths the order tables store (V20). A field longer than its column is bad data from the sender,
 * not a store failure: the doors check it before an order row is written and hold the payload with the
 * field named (webhooks: MALFORMED_PAYLOAD, CSV inbox: BAD_ROW), instead of the insert failing and the
 * record ending as a processing error.
 */
public final class StoredWidths {

    /** orders.external_id: a channel's order id. */
    public static final int EXTERNAL_ID = 200;

    private StoredWidths() {}

    /**
     * One sentence per field that cannot be stored: longer than its column, or carrying a NUL character (a JSON
     * {@code \u0000}; PostgreSQL's text refuses it). Empty when the order can be stored as sent.
     */
    public static List<String> unstorable(CanonicalOrder o) {
        List<String> out = new ArrayList<>();
        check(out, "order id", o.externalId(), EXTERNAL_ID);
        check(out, "currency", o.currency(), 8);
        check(out, "email", o.email(), 400);
        check(out, "shipping method", o.shippingMethod(), 200);
        check(out, "payment status", o.paymentStatus(), 32);
        ShipTo to = o.shipTo();
        check(out, "ship-to name", to.name(), 400);
        check(out, "address line 1", to.address1(), 400);
        check(out, "address line 2", to.address2(), 400);
        check(out, "city", to.city(), 200);
        check(out, "postcode", to.postcode(), 40);
        check(out, "country", to.country(), 8);
        check(out, "phone", to.phone(), 64);
        for (int i = 0; i < o.lines().size(); i++) {
            check(out, "line " + (i + 1) + " SKU", o.lines().get(i).channelCode(), 200);
        }
        return out;
    }

    /**
     * A handover's evidence against the shipments table (V40: carrier 100, tracking number 200): the dispatch file
     * holds the row BAD_ROW, the operator API answers 400.
     */
    public static List<String> overlongShipment(String carrier, String trackingNumber) {
        List<String> out = new ArrayList<>();
        check(out, "carrier", carrier, 100);
        check(out, "tracking number", trackingNumber, 200);
        return out;
    }

    private static void check(List<String> out, String field, String value, int width) {
        String problem = unstorable(field, value, width);
        if (problem != null) {
            out.add(problem);
        }
    }

    /**
     * The sentence for one value that a column of {@code width} characters cannot store (too long, or a NUL), null
     * when it can: for the other doors that check a row against its table (returns, settlements). The value itself
     * is not quoted: it may be a name or an address, and this sentence reaches logs.
     */
    public static String unstorable(String field, String value, int width) {
        if (value != null && value.length() > width) {
            return field + " is " + value.length() + " characters long; at most " + width + " are stored";
        } else if (value != null && value.indexOf('\0') >= 0) {
            return field + " contains a NUL character (U+0000), which cannot be stored";
        }
        return null;
    }
}
