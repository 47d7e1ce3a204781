package org.handoff.order;

import java.time.Instant;
import java.util.List;

/** The canonical order as stored (DESIGN §7). {@code history} is empty when loaded without it. */
public record Order(
        String orderId,
        String channel,
        String externalId,
        Instant placedAt,
        String currency,
        String email,
        List<OrderLine> lines,
        ShipTo shipTo,
        String shippingMethod,
        String paymentStatus,
        OrderState state,
        boolean reserved,
        Long holdId,
        Instant channelUpdatedAt,
        Instant createdAt,
        Instant updatedAt,
        List<HistoryEntry> history) {

    public Order {
        lines = lines == null ? List.of() : List.copyOf(lines);
        history = history == null ? List.of() : List.copyOf(history);
        shipTo = shipTo == null ? ShipTo.EMPTY : shipTo;
    }

    public boolean isPaid() {
        return PaymentStatus.isPaid(paymentStatus);
    }

    public Order withLines(List<OrderLine> newLines) {
        return new Order(orderId, channel, externalId, placedAt, currency, email, newLines, shipTo, shippingMethod,
                paymentStatus, state, reserved, holdId, channelUpdatedAt, createdAt, updatedAt, history);
    }
}
