package org.handoff.order;

import java.math.BigDecimal;

/**
 * One line of a canonical order: {@code sku} is the master SKU once resolved (null while the line
 * could not be resolved), {@code channelSku} what the channel sent (its SKU, else its variant id).
 */
public record OrderLine(String sku, String channelSku, int quantity, BigDecimal unitPrice) {

    /**
     * The most units one line may ask for. Far above any real order, far below where sums of lines overflow:
     * a larger quantity is a broken payload or row, refused at the door, never reserved.
     */
    public static final int MAX_QUANTITY = 1_000_000;
}
