package org.handoff.order;

import java.math.BigDecimal;

/**
 * One line of a canonical order: {@code sku} is the master SKU once resolved (null while the line
 * could not be resolved), {@code channelSku} what the channel sent (its SKU, else its variant id).
 */
public record OrderLine(String sku, String channelSku, int quantity, BigDecimal unitPrice) {}
