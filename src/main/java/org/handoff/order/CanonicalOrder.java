package org.handoff.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A channel's order after normalization, before validation: what every door (webhook, CSV inbox)
 * hands to {@link OrderPipeline}. Lines still carry the channel's codes; the pipeline resolves them to
 * master SKUs. Timestamps that could not be parsed are null with the raw text kept, so the
 * INVALID_TIMESTAMP rule can say what was wrong.
 *
 * @param updatedAt  the channel's own last-modified time (stale-update guard); null if it has none
 * @param cancelled  the payload itself says the order is cancelled
 */
public record CanonicalOrder(
        String channel,
        String externalId,
        Instant placedAt,
        String placedAtText,
        Instant updatedAt,
        String currency,
        String email,
        List<Line> lines,
        ShipTo shipTo,
        String shippingMethod,
        String paymentStatus,
        boolean cancelled) {

    public CanonicalOrder {
        lines = lines == null ? List.of() : List.copyOf(lines);
        shipTo = shipTo == null ? ShipTo.EMPTY : shipTo;
    }

    /**
     * A line as the channel sent it: its SKU code (may be null) and its variant id (may be null).
     */
    public record Line(String channelSku, String variantId, int quantity, BigDecimal unitPrice) {

        /** What the channel called this line: its SKU, else its variant id. */
        public String channelCode() {
            return channelSku != null && !channelSku.isBlank() ? channelSku : variantId;
        }
    }

    public boolean isPaid() {
        return PaymentStatus.isPaid(paymentStatus);
    }

    public CanonicalOrder withPaymentStatus(String status) {
        return new CanonicalOrder(channel, externalId, placedAt, placedAtText, updatedAt, currency, email, lines,
                shipTo, shippingMethod, status, cancelled);
    }
}
