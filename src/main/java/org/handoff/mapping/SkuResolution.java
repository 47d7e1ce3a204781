package org.handoff.mapping;

/**
 * The master SKU a code resolves to at a moment in time.
 *
 * @param sku    the current code (the input itself when no alias applies)
 * @param known  false when the code is an old code past its window: it must be held UNKNOWN_SKU
 * @param detail why, for history and hold details
 */
public record SkuResolution(String sku, boolean known, String detail) {}
