package org.handoff.inventory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.handoff.api.ApiException;
import org.handoff.api.HttpReplies;
import org.handoff.api.Json;
import org.handoff.store.Jdbc;

/** GET /api/inventory/{sku}: every stock figure of one SKU and its ATS per channel (DESIGN §4). */
public final class InventoryApi {

    private final StockStore stock;
    private final AtsPushes ats;

    public InventoryApi(StockStore stock, AtsPushes ats) {
        this.stock = stock;
        this.ats = ats;
    }

    public void get(Exchange exchange) {
        String sku = exchange.getMessage().getHeader("sku", String.class);
        Optional<StockStore.Stock> found = stock.find(sku);
        if (found.isEmpty() && !inCatalog(sku)) {
            throw ApiException.notFound("sku " + sku);
        }
        StockStore.Stock s = found.orElse(new StockStore.Stock(sku, 0, 0, 0, 0, null));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sku", sku);
        body.put("onHand", s.onHand());
        body.put("reserved", s.reserved());
        body.put("quarantined", s.quarantined());
        body.put("inbound", s.inbound());
        body.put("ats", ats.current(sku));
        body.put("lastCountAt", Json.time(lastCount(sku, s.lastCountAt())));
        HttpReplies.json(exchange, 200, body);
    }

    private boolean inCatalog(String sku) {
        return stock.jdbc().queryOne("select 1 from catalog where sku = ?", rs -> 1, sku).isPresent();
    }

    /**
     * When the WMS last counted the SKU: the newest snapshot of a warehouse that lists it (an unchanged
     * count writes nothing per SKU, so the warehouse watermark is the truth).
     */
    private Instant lastCount(String sku, Instant fallback) {
        Instant newest = fallback;
        for (Instant at : stock.jdbc().query("select w.snapshot_at from inventory_watermarks w where exists ("
                + "select 1 from warehouse_stock l where l.sku = ? and l.warehouse = w.warehouse)",
                rs -> Jdbc.instant(rs, "snapshot_at"), sku)) {
            if (newest == null || at.isAfter(newest)) {
                newest = at;
            }
        }
        return newest;
    }
}
