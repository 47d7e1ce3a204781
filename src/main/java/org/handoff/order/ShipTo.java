package org.handoff.order;

/** Where the parcel goes. Country is the ISO 3166-1 alpha-2 code. */
public record ShipTo(String name, String address1, String address2, String city, String postcode, String country,
        String phone) {

    public static final ShipTo EMPTY = new ShipTo(null, null, null, null, null, null, null);
}
