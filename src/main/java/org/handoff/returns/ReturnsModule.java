package org.handoff.returns;

import org.handoff.Wiring;
import org.handoff.files.FileIntake;
import org.handoff.holds.HoldStore;
import org.handoff.inventory.StockChanges;
import org.handoff.inventory.StockStore;
import org.handoff.mapping.Mappings;

/** Wires the returns manifests (kind {@code returns}) and the returns API. */
public final class ReturnsModule {

    private ReturnsModule() {}

    public static void wire(Wiring w) {
        FileIntake intake = w.get(FileIntake.class);
        Mappings mappings = w.get(Mappings.class);
        StockStore stock = w.get(StockStore.class);
        ReturnsStore store = new ReturnsStore();
        intake.register(new ReturnsFileHandler(mappings, stock, store, w.clock()).kind());
        ReturnsService service = w.add(new ReturnsService(w.jdbc(), store, w.get(HoldStore.class), stock,
                w.get(StockChanges.class),
                w.config().get("handoff.returns.restock-warehouse", "WH1"), w.clock()));
        w.bind("returnsApi", new ReturnsApi(service));
    }
}
