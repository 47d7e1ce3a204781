package org.handoff.inventory;

/**
 * Available to sell (DESIGN §7): {@code max(0, onHand − reserved − safetyStock)}. Quarantined and
 * inbound units are never sellable, so they do not appear here.
 */
public final class AtsRule {

    private AtsRule() {}

    public static long available(long onHand, long reserved, long safetyStock) {
        return Math.max(0, onHand - reserved - Math.max(0, safetyStock));
    }
}
