package org.handoff.lifecycle;

import java.util.Set;

/**
 * EasyPost tracker {@code status} values and what each means for custody: pre_transit is a label, not a
 * parcel in the carrier's hands; in_transit and everything after it is the carrier's scan.
 */
public final class TrackerStatus {

    public static final String PRE_TRANSIT = "pre_transit";
    public static final String IN_TRANSIT = "in_transit";
    public static final String OUT_FOR_DELIVERY = "out_for_delivery";
    public static final String AVAILABLE_FOR_PICKUP = "available_for_pickup";
    public static final String DELIVERED = "delivered";
    public static final String RETURN_TO_SENDER = "return_to_sender";
    public static final String FAILURE = "failure";

    /** The carrier has the parcel: the first of these after handover moves HANDED_OVER to SHIPPED. */
    private static final Set<String> CUSTODY = Set.of(IN_TRANSIT, OUT_FOR_DELIVERY, AVAILABLE_FOR_PICKUP, DELIVERED,
            RETURN_TO_SENDER);

    /** A person must look: the parcel is coming back or the carrier gave up. */
    private static final Set<String> EXCEPTION = Set.of(RETURN_TO_SENDER, FAILURE);

    private TrackerStatus() {}

    public static boolean provesCustody(String status) {
        return CUSTODY.contains(status);
    }

    public static boolean isDelivered(String status) {
        return DELIVERED.equals(status);
    }

    public static boolean isException(String status) {
        return EXCEPTION.contains(status);
    }
}
