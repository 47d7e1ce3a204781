package org.handoff.returns;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.handoff.files.FileContext;
import org.handoff.files.FileKind;
import org.handoff.files.FileRow;
import org.handoff.files.RowBatch;
import org.handoff.files.RowHandler;
import org.handoff.files.RowRejected;
import org.handoff.files.RowValues;
import org.handoff.inventory.StockStore;
import org.handoff.mapping.Mappings;
import org.handoff.mapping.SkuResolution;
import org.handoff.store.Jdbc;

/**
 * {@code returns_<ts>.csv}: returns the returns system authorised. Units go to quarantine (stock.quarantined),
 * linked to the order when the hub knows it, and stay unsellable until an operator records RESTOCK or
 * SCRAP ({@link ReturnsService#decide}). A manifest line re-sent unchanged changes nothing (also when the stored
 * line's code now resolves, inside an alias window, to the manifest's SKU); a changed line of a return already
 * decided is held (the warehouse has acted on the old one). Rows of one file for the
 * same RMA and SKU (a row per unit, each with its reason) add up to that file's line for them.
 */
public final class ReturnsFileHandler implements RowHandler<ReturnsFileHandler.Line> {

    public static final List<String> HEADER = List.of("rma", "channel", "order_external_id", "sku", "quantity", "reason");

    public record Line(String rma, String channel, String orderExternalId, String sku, long quantity, String reason) {}

    private final Mappings mappings;
    private final StockStore stock;
    private final ReturnsStore returns;
    private final Clock clock;

    public ReturnsFileHandler(Mappings mappings, StockStore stock, ReturnsStore returns, Clock clock) {
        this.mappings = mappings;
        this.stock = stock;
        this.returns = returns;
        this.clock = clock;
    }

    public FileKind kind() {
        return new FileKind("returns", Pattern.compile("returns_" + FileKind.TS + "\\.csv"), "returns_<ts>.csv",
                HEADER, this);
    }

    /** Column widths of V13 (returns, return_lines): a value they cannot store is this row's BAD_ROW, not the file's. */
    static final int REASON_WIDTH = 1000;
    private static final Map<String, Integer> WIDTHS = Map.of("rma", 100, "channel", 100, "order_external_id", 200,
            "sku", 100, "reason", REASON_WIDTH);

    @Override
    public Line parse(FileRow row, FileContext file) {
        RowValues.storable(row, WIDTHS);
        String rma = RowValues.required(row, "rma");
        String channel = RowValues.required(row, "channel");
        String code = RowValues.required(row, "sku");
        long quantity = RowValues.wholeNumber(row, "quantity", 1);
        SkuResolution sku = mappings.resolveSku(code, file.fileTime() != null ? file.fileTime() : clock.instant());
        if (!sku.known()) {
            throw new RowRejected("UNKNOWN_SKU", "row " + row.row() + ": sku '" + code + "' is not known ("
                    + sku.detail() + ")");
        }
        String external = row.get("order_external_id");
        return new Line(rma, channel, external.isEmpty() ? null : external, sku.sku(), quantity, row.get("reason"));
    }

    /** This file's lines so far, by RMA and SKU: what its earlier rows for them added up to (after commit). */
    private static final class FileLines {
        final Map<String, Line> applied = new HashMap<>();
        private ManifestTotals totals;

        /** The whole file's units per line, read once, when a decided return is compared with it. */
        ManifestTotals totals(FileContext file, ReturnsFileHandler handler) {
            if (totals == null) {
                totals = ManifestTotals.of(file, HEADER, handler::parse);
            }
            return totals;
        }
    }

    @Override
    public void apply(RowBatch<Line> batch, Connection c) throws SQLException {
        Instant now = clock.instant();
        Instant at = batch.file().fileTime() != null ? batch.file().fileTime() : now; // as parse resolved the codes
        TreeMap<String, Long> quarantine = new TreeMap<>();
        FileLines file = batch.file().isReplay() ? null : batch.file().state(FileLines.class, FileLines::new);
        Map<String, Line> thisBatch = new HashMap<>();
        for (Map.Entry<String, List<RowBatch.Parsed<Line>>> group : byLine(batch.rows()).entrySet()) {
            String rma = group.getValue().get(0).value().rma();
            // locked: a decision committing meanwhile would move the line as it was, not as this manifest leaves it
            Optional<ReturnsStore.Rma> existing = returns.findLocked(c, rma);
            // a return belongs to one channel (its first row's): a row naming another is held, never added to it
            String channel = existing.map(ReturnsStore.Rma::channel).orElse(group.getValue().get(0).value().channel());
            List<RowBatch.Parsed<Line>> rows = new ArrayList<>();
            for (RowBatch.Parsed<Line> p : group.getValue()) {
                if (p.value().channel().equals(channel)) {
                    rows.add(p);
                } else {
                    batch.hold(p, "BAD_ROW", "row " + p.row().row() + ": RMA " + rma + " belongs to channel " + channel
                            + ", not " + p.value().channel());
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            Line l = file == null ? null : file.applied.get(group.getKey());
            for (RowBatch.Parsed<Line> p : rows) {
                l = l == null ? p.value() : plus(l, p.value());
            }
            RowBatch.Parsed<Line> first = rows.get(0);
            if (existing.isEmpty()) {
                String orderId = l.orderExternalId() == null ? null : returns.orderId(c, l.channel(), l.orderExternalId());
                try {
                    returns.open(c, l.rma(), l.channel(), l.orderExternalId(), orderId,
                            "manifest " + batch.file().name() + " row " + first.row().row(), now);
                } catch (SQLException e) {
                    // another writer (a release, another hub's manifest) opened it meanwhile: taken again, finds it
                    throw Jdbc.addedMeanwhile(e, "return " + l.rma());
                }
            }
            ReturnsStore.StoredLine stored = returns.line(c, l.rma(), l.sku()).orElse(null);
            String renamedFrom = stored == null && existing.isPresent() ? renamedLine(c, l, at) : null;
            String storedSku = l.sku(); // the code the line is stored under
            if (renamedFrom != null && !ReturnsStore.QUARANTINED.equals(existing.get().state())) {
                // a decided return's line: it stays under the code its units were moved under, and this manifest's
                // line is compared with it (a re-sent unchanged line was held BAD_ROW as a second line beside it)
                stored = returns.line(c, l.rma(), renamedFrom).orElseThrow();
                storedSku = renamedFrom;
            } else if (renamedFrom != null) {
                // the same line, stored under the code its SKU had before the alias window opened: it moves to the
                // code it resolves to now, its quarantined units with it (a second line quarantined, and restocked,
                // them twice)
                Jdbc.update(c, "update return_lines set sku = ? where rma = ? and sku = ?", l.sku(), l.rma(), renamedFrom);
                stored = returns.line(c, l.rma(), l.sku()).orElseThrow();
                quarantine.merge(renamedFrom, -stored.quantity(), Long::sum);
                quarantine.merge(l.sku(), stored.quantity(), Long::sum);
            }
            Long before = stored == null ? null : stored.quantity();
            if (file == null && stored != null) {
                // a released row was never counted: it adds to the line its own manifest stored, as its other rows did
                if (stored.restatedAfter(batch.file().receiptId())) {
                    for (RowBatch.Parsed<Line> p : rows) {
                        batch.hold(p, "BAD_ROW", "row " + p.row().row() + ": RMA " + l.rma() + " " + l.sku()
                                + " was restated by a later manifest (" + before + " units) since this row was held; "
                                + "its units are not added to that: discard this hold if that manifest counts them");
                    }
                    continue;
                }
                if (stored.statedBy(batch.file().receiptId())) {
                    l = plus(new Line(l.rma(), l.channel(), l.orderExternalId(), l.sku(), before, stored.reason()), l);
                } // else an earlier manifest's line: this file's first row of it to arrive replaces it, the next add
            }
            long receipt = batch.file().receiptId();
            if (before != null && before == l.quantity()) {
                returns.stated(c, l.rma(), storedSku, receipt);
                thisBatch.put(group.getKey(), l);
                continue; // re-sent unchanged
            }
            if (existing.isPresent() && !ReturnsStore.QUARANTINED.equals(existing.get().state())) {
                if (file != null && before != null
                        && file.totals(batch.file(), this).units(l.rma(), l.sku(), channel) == before) {
                    // the rows of this line in other batches make up what is stored: the file re-sends it unchanged
                    returns.stated(c, l.rma(), storedSku, receipt);
                    thisBatch.put(group.getKey(), l);
                    continue;
                }
                for (RowBatch.Parsed<Line> p : rows) {
                    batch.hold(p, "BAD_ROW", "row " + p.row().row() + ": RMA " + l.rma() + " is already "
                            + existing.get().state() + "; its lines cannot change any more");
                }
                continue;
            }
            if (before == null) {
                try {
                    Jdbc.update(c, "insert into return_lines (rma, sku, quantity, reason, source_receipt) values (?, ?, ?, ?, ?)",
                            l.rma(), l.sku(), l.quantity(), l.reason(), receipt);
                } catch (SQLException e) {
                    throw Jdbc.addedMeanwhile(e, "return " + l.rma() + " line " + l.sku());
                }
            } else {
                Jdbc.update(c, "update return_lines set quantity = ?, reason = ?, source_receipt = ? where rma = ? and sku = ?",
                        l.quantity(), l.reason(), receipt, l.rma(), l.sku());
            }
            quarantine.merge(l.sku(), l.quantity() - (before == null ? 0 : before), Long::sum);
            thisBatch.put(group.getKey(), l);
        }
        if (file != null && !thisBatch.isEmpty()) {
            batch.file().afterCommit(() -> file.applied.putAll(thisBatch));
        }
        quarantine.values().removeIf(d -> d == 0);
        stock.add(c, StockStore.Column.quarantined, quarantine, null);
    }

    /** What the hold of a returns row is about ({@link org.handoff.holds.HoldRequest#about}). */
    static String holdAbout(String rma) {
        return "return:" + rma;
    }

    /**
     * A held row is about its RMA (one the returns table can store): the return's decision waits for it. The return's
     * row is locked first, as {@link ReturnsService#decide} locks it: a decision committing meanwhile has either moved
     * the lines already (the row arrived after it) or sees this hold once it is committed.
     */
    @Override
    public String heldAbout(FileRow row, Connection c) throws SQLException {
        String rma = row.fields() == null ? "" : row.get("rma");
        if (rma.isEmpty() || rma.length() > WIDTHS.get("rma") || rma.indexOf('\u0000') >= 0) {
            return null;
        }
        returns.findLocked(c, rma);
        return holdAbout(rma);
    }

    /**
     * Another line of the return whose code resolves, at the manifest's time, to this line's SKU (stored under the old
     * code of an alias before its window opened), or null.
     */
    private String renamedLine(Connection c, Line l, Instant at) throws SQLException {
        if (!mappings.isAliasTarget(l.sku())) {
            return null; // no alias leads here: nothing to read
        }
        for (ReturnsStore.Line line : returns.lines(c, l.rma())) {
            SkuResolution now = line.sku().equals(l.sku()) ? null : mappings.resolveSku(line.sku(), at);
            if (now != null && now.known() && now.sku().equals(l.sku())) {
                return line.sku();
            }
        }
        return null;
    }

    /** The batch's rows by RMA and SKU, in file order: rows of one return's SKU add up to one line. */
    private static Map<String, List<RowBatch.Parsed<Line>>> byLine(List<RowBatch.Parsed<Line>> rows) {
        Map<String, List<RowBatch.Parsed<Line>>> out = new java.util.LinkedHashMap<>();
        for (RowBatch.Parsed<Line> p : rows) {
            out.computeIfAbsent(p.value().rma() + '\u0000' + p.value().sku(), k -> new java.util.ArrayList<>()).add(p);
        }
        return out;
    }

    /** Another row of the same RMA and SKU: its units added, its reason after the others. */
    private static Line plus(Line a, Line b) {
        String reason = a.reason() == null || a.reason().isEmpty() ? b.reason()
                : b.reason() == null || b.reason().isEmpty() || a.reason().equals(b.reason()) ? a.reason()
                : a.reason() + "; " + b.reason();
        if (reason != null && reason.length() > REASON_WIDTH) {
            // the units count whatever their reasons; the joined text stops where the column does
            reason = a.reason().endsWith("; \u2026") ? a.reason()
                    : a.reason().substring(0, Math.min(a.reason().length(), REASON_WIDTH - 3)) + "; \u2026";
        }
        return new Line(a.rma(), a.channel(), a.orderExternalId(), a.sku(), a.quantity() + b.quantity(), reason);
    }

}
