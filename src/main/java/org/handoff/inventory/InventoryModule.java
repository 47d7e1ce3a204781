package org.handoff.inventory;

import org.handoff.Wiring;
import org.handoff.catalog.CatalogFileHandler;
import org.handoff.files.FileIntake;
import org.handoff.purchasing.PurchaseOrderFileHandler;
import org.handoff.mapping.Mappings;
import org.handoff.security.OutboundAuth;

/**
 * Wires stock, available-to-sell and the ERP/WMS file kinds (inventory, catalog, purchase-orders). {@link AtsPushes} is the
 * {@link StockChanges} implementation: {@code w.get(StockChanges.class)}.
 */
public final class InventoryModule {

    private InventoryModule() {}

    public static void wire(Wiring w) {
        Mappings mappings = w.get(Mappings.class);
        StockStore stock = w.add(new StockStore(w.jdbc(), w.clock()));
        AtsPushes ats = w.bind("atsPushes", new AtsPushes(w.jdbc(), mappings, w.metrics(), w.clock(),
                w.config().getInt("handoff.ats.batch-size", 500, 1),
                w.config().getInt("handoff.ats.max-per-tick", 20000, 1),
                w.config().getInt("handoff.ats.cache-entries", AtsPushes.CACHE_ENTRIES),
                w.get(OutboundAuth.class), w.config().getInt("handoff.ats.timeout-ms"),
                w.config().getDuration("handoff.ats.unreachable-pause"), w.get(org.handoff.holds.HoldService.class)));
        w.add((Wiring.ContextAware) context -> {
            PgFillFactor.ensure(w.jdbc()); // room on the page for the daily updates (PostgreSQL only)
            ats.started(context);
            // values changed while the hub was down (or never confirmed by a channel) go out now
            ats.recomputeAll();
        });
        io.micrometer.core.instrument.Gauge.builder("handoff.ats.pending", ats, AtsPushes::pendingCount)
                .description("SKUs whose available-to-sell is not pushed yet").register(w.metrics().registry());
        // a new channel or safety stock changes what every channel may sell
        mappings.onChange(ats::recomputeAll);
        FileIntake intake = w.get(FileIntake.class);
        intake.register(new InventorySnapshotHandler(mappings, stock, ats, w.clock()).kind());
        intake.register(new CatalogFileHandler(w.clock()).kind());
        intake.register(new PurchaseOrderFileHandler(mappings, stock, w.clock()).kind());
        w.bind("inventoryApi", new InventoryApi(stock, ats));
        org.apache.camel.http.common.HttpHeaderFilterStrategy filter = new org.apache.camel.http.common.HttpHeaderFilterStrategy();
        filter.setOutFilterStartsWith("Camel", "camel", "org.apache.camel.", "Handoff");
        w.bind("atsHeaderFilter", filter);
    }
}
