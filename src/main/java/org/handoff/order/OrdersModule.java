package org.handoff.order;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.handoff.Wiring;
import org.handoff.holds.HoldStore;
import org.handoff.inventory.StockChanges;
import org.handoff.mapping.Mappings;
import org.handoff.mapping.SkuResolution;
import org.handoff.order.validation.OrderValidator;

/** Wires the canonical order store, the pipeline every door submits to, and the Orders API. */
public final class OrdersModule {

    private OrdersModule() {}

    public static void wire(Wiring w) {
        OrderStore store = w.add(new OrderStore(w.jdbc()));
        AtomicReference<StockChanges> stockChanges = new AtomicReference<>();
        w.add((Wiring.ContextAware) context -> stockChanges.set(find(w)));
        OrderPipeline pipeline = w.add(new OrderPipeline(w.jdbc(), store, w.get(HoldStore.class), mappings(w),
                new OrderValidator(), stockChanges::get, w.clock(),
                w.config().getDuration("handoff.webhook.max-clock-skew")));
        w.bind("ordersApi", new OrdersApi(store, pipeline));
    }

    /** The integrators' mapping files, as the pipeline sees them. */
    static OrderMappings mappings(Wiring w) {
        Mappings m = w.get(Mappings.class);
        return new OrderMappings() {
            @Override
            public Optional<String> channelSku(String channel, String code) {
                return m.channelSku(channel, code);
            }

            @Override
            public Resolution resolveSku(String code, Instant at) {
                SkuResolution r = m.resolveSku(code, at);
                return new Resolution(r.sku(), r.known(), r.detail());
            }

            @Override
            public boolean phoneMandatory(String method) {
                return m.phoneMandatory(method);
            }
        };
    }

    /** The ATS side's listener, when that concern is wired (by its interface or its implementation). */
    private static StockChanges find(Wiring w) {
        try {
            return w.get(StockChanges.class);
        } catch (IllegalStateException e) {
            return null;
        }
    }
}
