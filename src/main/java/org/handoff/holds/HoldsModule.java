package org.handoff.holds;

import org.handoff.Wiring;

/** Wires the exception hold table. */
public final class HoldsModule {

    private HoldsModule() {}

    public static void wire(Wiring w) {
        HoldStore store = w.add(new HoldStore(w.jdbc(), w.clock()));
        HoldService service = w.bind("holdService", new HoldService(store, HoldService.backOff(
                w.config().getInt("handoff.redelivery.max-attempts"), w.config().getLong("handoff.redelivery.initial-delay-ms"),
                Double.parseDouble(w.config().get("handoff.redelivery.backoff-multiplier").trim()))));
        w.add((Wiring.ContextAware) context -> service.setProducer(context.createProducerTemplate()));
        w.bind("holdsApi", new HoldsApi(service));
        w.metrics().watchOpenHolds(store::openByReason);
    }
}
