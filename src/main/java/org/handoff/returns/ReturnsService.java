package org.handoff.returns;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.handoff.api.ApiException;
import org.handoff.api.Json;
import org.handoff.holds.HoldStore;
import org.handoff.inventory.StockChanges;
import org.handoff.inventory.StockStore;
import org.handoff.inventory.UncountedPicks;
import org.handoff.store.Jdbc;

/**
 * A return's state and the operator's decision (DESIGN §4): {@code RESTOCK} moves the units from
 * quarantine to on-hand and makes them sellable; {@code SCRAP} takes them out of quarantine. Either is final, and is
 * refused (409) while a row of the return's manifests is held: a return is decided whole.
 * Restocked units are on-hand on top of the counts of {@code handoff.returns.restock-warehouse} until a count of it
 * taken after the decision lists them where they were shelved ({@link UncountedPicks}): a count taken before the
 * decision, applied after it, does not take them off again.
 */
public final class ReturnsService {

    private final Jdbc jdbc;
    private final ReturnsStore store;
    private final HoldStore holds;
    private final StockStore stock;
    private final StockChanges stockChanges;
    private final String restockWarehouse;
    private final Clock clock;

    public ReturnsService(Jdbc jdbc, ReturnsStore store, HoldStore holds, StockStore stock, StockChanges stockChanges,
                          String restockWarehouse, Clock clock) {
        this.jdbc = jdbc;
        this.store = store;
        this.holds = holds;
        this.stock = stock;
        this.stockChanges = stockChanges;
        this.restockWarehouse = restockWarehouse;
        this.clock = clock;
    }

    public Map<String, Object> view(String rma) {
        return jdbc.inTransaction(c -> {
            ReturnsStore.Rma r = store.find(c, rma).orElseThrow(() -> ApiException.notFound("return " + rma));
            String orderId = r.orderId();
            if (orderId == null && r.orderExternalId() != null) {
                // the order may have arrived after the manifest: link it now
                orderId = store.orderId(c, r.channel(), r.orderExternalId());
                if (orderId != null) {
                    Jdbc.update(c, "update returns set order_id = ? where rma = ?", orderId, rma);
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rma", r.rma());
            m.put("channel", r.channel());
            m.put("orderExternalId", r.orderExternalId());
            m.put("orderId", orderId);
            m.put("state", r.state());
            m.put("decision", r.decision());
            m.put("lines", store.lines(c, rma).stream().map(l -> {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("sku", l.sku());
                line.put("quantity", l.quantity());
                line.put("reason", l.reason());
                return line;
            }).toList());
            // the rows of its manifests still held: a decision waits for each to be released or discarded
            m.put("holdIds", holds.openAbout(c, ReturnsFileHandler.holdAbout(rma)));
            m.put("receivedAt", Json.time(r.receivedAt()));
            m.put("decidedAt", Json.time(r.decidedAt()));
            m.put("history", store.history(c, rma).stream().map(h -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("from", h.from());
                e.put("to", h.to());
                e.put("reasonCode", h.reasonCode());
                e.put("evidence", h.evidence());
                e.put("actor", h.actor());
                e.put("note", h.note());
                e.put("decidedAt", Json.time(h.decidedAt()));
                return e;
            }).toList());
            return m;
        });
    }

    public Map<String, Object> decide(String rma, String decision, String actor, String note) {
        String to = switch (decision) {
            case "RESTOCK" -> ReturnsStore.RESTOCKED;
            case "SCRAP" -> ReturnsStore.SCRAPPED;
            default -> throw ApiException.badRequest("decision must be RESTOCK or SCRAP");
        };
        Instant now = clock.instant();
        TreeSet<String> restocked = jdbc.inTransaction(c -> {
            ReturnsStore.Rma r = store.find(c, rma).orElseThrow(() -> ApiException.notFound("return " + rma));
            int moved = Jdbc.update(c, "update returns set state = ?, decision = ?, decided_at = ?, updated_at = ? "
                    + "where rma = ? and state = ?", to, decision, now, now, rma, ReturnsStore.QUARANTINED);
            if (moved == 0) {
                // read again: a decision made at the same moment (a retry, another operator or hub) committed after
                // the read above, which still saw the return QUARANTINED
                String state = store.find(c, rma).map(ReturnsStore.Rma::state).orElse(r.state());
                throw ApiException.conflict("ILLEGAL_TRANSITION", "return " + rma + " is " + state
                        + "; a decision was already recorded").with("state", state);
            }
            // read with the return's row locked, as a manifest locks it before it holds a row of the return
            List<Long> held = holds.openAbout(c, ReturnsFileHandler.holdAbout(rma));
            if (!held.isEmpty()) {
                // the decision would move only the lines that were not held, and the held rows could not join the
                // return any more: it waits until each is released or discarded (the update above rolls back)
                throw ApiException.conflict("ILLEGAL_TRANSITION", "return " + rma + " has manifest rows still held "
                        + "(holds " + held + "): release or discard them first").with("state", ReturnsStore.QUARANTINED)
                        .with("holdIds", held);
            }
            List<ReturnsStore.Line> lines = store.lines(c, rma);
            TreeMap<String, Long> out = new TreeMap<>();
            lines.forEach(l -> out.merge(l.sku(), -l.quantity(), Long::sum));
            TreeSet<String> skus = new TreeSet<>();
            TreeMap<String, Long> in = new TreeMap<>();
            if (to.equals(ReturnsStore.RESTOCKED)) {
                for (ReturnsStore.Line l : lines) {
                    in.merge(l.sku(), l.quantity(), Long::sum);
                    skus.add(l.sku());
                }
                // the warehouse's watermark before stock rows, as a pick and a snapshot's end take them
                Instant counted = UncountedPicks.lockWatermarks(c, Set.of(restockWarehouse)).get(restockWarehouse);
                if (counted != null && !counted.isBefore(now)) {
                    in.clear(); // a count taken at or after the decision, applied already, lists the units
                } else {
                    UncountedPicks.rememberRestock(c, rma, in, restockWarehouse, now);
                }
            }
            stock.add(c, StockStore.Column.quarantined, out, null);
            stock.add(c, StockStore.Column.on_hand, in, null);
            store.history(c, rma, ReturnsStore.QUARANTINED, to, decision, null, actor, note, now);
            return skus;
        });
        if (!restocked.isEmpty()) {
            stockChanges.changed(restocked);
        }
        return view(rma);
    }
}
