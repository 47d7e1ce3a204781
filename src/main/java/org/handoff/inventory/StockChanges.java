package org.handoff.inventory;

import java.util.Collection;

/**
 * Told after a committed change to on-hand or reserved of some SKUs, so available-to-sell can be
 * recomputed and only the changed values pushed to channels (DESIGN §7).
 */
public interface StockChanges {
    void changed(Collection<String> skus);
}
