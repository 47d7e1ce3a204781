package org.handoff.order;

import java.time.Instant;
import java.util.Optional;

/**
 * What the order pipeline needs from the integrators' mapping files (DESIGN §6). Kept narrow so the
 * order package does not depend on how mappings are read; {@code OrdersModule} adapts
 * {@code org.handoff.mapping.Mappings} to it.
 */
public interface OrderMappings {

    /** A channel's SKU or variant id to the master SKU, when channel-skus.csv maps it. */
    Optional<String> channelSku(String channel, String channelSkuOrVariantId);

    /** The alias windows: the code in force at {@code at}; known=false for an old code past its window. */
    Resolution resolveSku(String code, Instant at);

    /** carriers.yaml: does this shipping method's carrier need a phone number? */
    boolean phoneMandatory(String carrierOrShippingMethod);

    record Resolution(String sku, boolean known, String detail) {}

    /** No mapping files: every code is itself, no carrier needs a phone. */
    OrderMappings NONE = new OrderMappings() {
        @Override
        public Optional<String> channelSku(String channel, String code) {
            return Optional.empty();
        }

        @Override
        public Resolution resolveSku(String code, Instant at) {
            return new Resolution(code, true, null);
        }

        @Override
        public boolean phoneMandatory(String method) {
            return false;
        }
    };
}
