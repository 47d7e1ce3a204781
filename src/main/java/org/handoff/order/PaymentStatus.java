package org.handoff.order;

import java.util.Locale;

/**
 * Canonical payment statuses. Channels say it their own way (Shopify financial_status, WooCommerce
 * status); normalizers map to these. Only {@code paid} is payment evidence: pending and authorized
 * orders stay ACCEPTED.
 */
public final class PaymentStatus {
    public static final String PENDING = "pending";
    public static final String AUTHORIZED = "authorized";
    public static final String PAID = "paid";
    public static final String PARTIALLY_PAID = "partially_paid";
    public static final String REFUNDED = "refunded";
    public static final String VOIDED = "voided";

    private PaymentStatus() {}

    public static boolean isPaid(String status) {
        return status != null && PAID.equals(status.toLowerCase(Locale.ROOT));
    }
}
