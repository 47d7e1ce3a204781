package org.handoff.settlement;

import org.handoff.Wiring;
import org.handoff.files.FileIntake;
import org.handoff.holds.HoldStore;
import org.handoff.order.OrderPipeline;
import org.handoff.order.OrderState;
import org.handoff.order.OrderStore;

/** Wires payout reconciliation (kind {@code settlements}) and the close-on-delivery check. */
public final class SettlementModule {

    private SettlementModule() {}

    public static void wire(Wiring w) {
        SettlementStore store = new SettlementStore();
        OrderPipeline pipeline = w.get(OrderPipeline.class);
        OrderStore orders = pipeline.store();
        SettlementService service = w.add(new SettlementService(store, orders, pipeline, w.get(HoldStore.class),
                w.get(FileIntake.class).receipts()));
        w.get(FileIntake.class).register(new SettlementFileHandler(store, service, w.clock()).kind());
        // settlement first, delivery later: the delivery closes the order if the payouts already add up
        orders.onHistory((c, order, entries) -> {
            if (entries.stream().anyMatch(e -> e.to() == OrderState.DELIVERED && e.from() != OrderState.DELIVERED)) {
                // the order as just written by this transaction, which holds its row
                service.reconcile(c, order);
            }
        });
    }
}
