package org.handoff.settlement;

import org.handoff.Wiring;
import org.handoff.files.FileIntake;
import org.handoff.holds.HoldStore;
import org.handoff.order.HistoryEntry;
import org.handoff.order.OrderEvent;
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
        // a posted SETTLED (the operator API) closes only what reconciles, by the same rule (DESIGN §7)
        pipeline.condition(OrderEvent.SETTLED, service::checkClose);
        // settlement first, delivery later: the delivery closes the order if the payouts already add up
        orders.onHistory((c, order, entries) -> {
            if (entries.stream().anyMatch(e -> e.to() == OrderState.DELIVERED && e.from() != OrderState.DELIVERED)) {
                // the order as just written by this transaction, which holds its row
                service.reconcile(c, order);
            }
            for (HistoryEntry e : entries) {
                if (e.to() == OrderState.CLOSED && e.from() != OrderState.CLOSED) {
                    service.closed(c, order, e);
                }
            }
        });
    }
}
