package org.handoff.purchasing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.handoff.files.FileContext;
import org.handoff.files.FileKind;
import org.handoff.files.FileRow;
import org.handoff.files.RowBatch;
import org.handoff.files.RowHandler;
import org.handoff.files.RowRejected;
import org.handoff.files.RowValues;
import org.handoff.files.StatedRows;
import org.handoff.inventory.StockStore;
import org.handoff.mapping.Mappings;
import org.handoff.mapping.SkuResolution;
import org.handoff.store.Jdbc;

/**
 * {@code purchase-orders_<ts>.csv}: stock the ERP expects from suppliers. One line per PO and SKU; a later
 * file with the same PO and SKU replaces the line's quantity and date, and stock.inbound moves by the
 * difference. A line keeps the time of the file that set it: a row of an older file is held
 * {@code STALE_UPDATE} rather than putting back the quantity a newer file replaced. Inbound units are shown, never sold. The SKU and the supplier code both resolve through
 * the alias windows of {@code mappings/sku-aliases.csv} at the file's time; a line stored under an old code before its
 * window opened is found under the code it resolves to now, and moves there.
 */
public final class PurchaseOrderFileHandler implements RowHandler<PurchaseOrderFileHandler.Line> {

    public static final List<String> HEADER = List.of("po_number", "supplier_code", "sku", "quantity", "expected_at");

    public record Line(String poNumber, String supplierCode, String supplierCodeReceived, String sku, long quantity,
                       Instant expectedAt) {}

    /** Column widths of purchase_order_lines (the codes as received; a code resolves to a mapped SKU). */
    private static final Map<String, Integer> WIDTHS = Map.of("po_number", 100, "supplier_code", 100, "sku", 100);

    private final Mappings mappings;
    private final StockStore stock;
    private final Clock clock;

    public PurchaseOrderFileHandler(Mappings mappings, StockStore stock, Clock clock) {
        this.mappings = mappings;
        this.stock = stock;
        this.clock = clock;
    }

    public FileKind kind() {
        return new FileKind("purchase-orders", Pattern.compile("purchase-orders_" + FileKind.TS + "\\.csv"),
                "purchase-orders_<ts>.csv", HEADER, this).asStateFile();
    }

    @Override
    public Line parse(FileRow row, FileContext file) {
        RowValues.storable(row, WIDTHS);
        String po = RowValues.required(row, "po_number");
        String supplierCode = RowValues.required(row, "supplier_code");
        String code = RowValues.required(row, "sku");
        long quantity = RowValues.wholeNumber(row, "quantity", 0);
        Instant expected = RowValues.instant(row, "expected_at");
        Instant at = file.fileTime() != null ? file.fileTime() : clock.instant();
        SkuResolution sku = mappings.resolveSku(code, at);
        if (!sku.known()) {
            throw new RowRejected("UNKNOWN_SKU", "row " + row.row() + ": sku '" + code + "' is not known ("
                    + sku.detail() + ")");
        }
        SkuResolution supplier = mappings.resolveSku(supplierCode, at);
        if (!supplier.known()) {
            throw RowRejected.badRow("row " + row.row() + ": supplier code '" + supplierCode + "' is retired ("
                    + supplier.detail() + ")");
        }
        if (!file.isReplay()) {
            Long first = file.state(Listed.class, Listed::new).rows.putIfAbsent(po + '\u0000' + sku.sku(), row.row());
            if (first != null) {
                // one line per PO and SKU: a second one would silently replace the first (split deliveries of 10
                // and 5 would say 5 inbound); a person decides which the ERP meant
                throw RowRejected.badRow("row " + row.row() + ": PO " + po + " lists SKU " + sku.sku()
                        + " a second time in this file (row " + first + " applies); one line per PO and SKU: "
                        + "release this hold to replace that line with this one");
            }
        }
        return new Line(po, supplier.sku(), supplierCode, sku.sku(), quantity, expected);
    }

    /** The PO lines this file listed so far, by PO and SKU, with their row. */
    private static final class Listed {
        final Map<String, Long> rows = new HashMap<>();
    }

    /** The standing PO file sent again later: a duplicate, and its lines' time moves ({@link StatedRows#restated}). */
    @Override
    public boolean restatedLater(Connection c, java.util.Map<String, String> parts, Instant statedAt, Instant standingAt)
            throws SQLException {
        StatedRows.restated(c, "purchase_order_lines", statedAt, standingAt);
        return false;
    }

    @Override
    public void apply(RowBatch<Line> batch, Connection c) throws SQLException {
        Instant now = clock.instant();
        Instant statedAt = batch.file().fileTime();
        Instant at = statedAt != null ? statedAt : now; // as parse resolved the codes
        boolean checkAge = StatedRows.checkAge(batch.file());
        TreeMap<String, Long> inbound = new TreeMap<>();
        Map<String, Stored> before = new HashMap<>();
        for (RowBatch.Parsed<Line> p : batch.rows()) {
            Line l = p.value();
            String key = l.poNumber() + '\u0000' + l.sku();
            Stored old = before.containsKey(key) ? before.get(key) : stored(c, l.poNumber(), l.sku());
            String renamedFrom = old == null && !before.containsKey(key) ? renamedLine(c, l, at) : null;
            if (renamedFrom != null) {
                old = stored(c, l.poNumber(), renamedFrom);
            }
            if (checkAge && old != null && old.statedAt() != null && old.statedAt().isAfter(statedAt)) {
                StatedRows.holdStale(batch, p, "PO " + l.poNumber() + " line " + l.sku(), old.statedAt());
                continue;
            }
            if (renamedFrom != null) {
                // the same line, stored under the code its SKU had before the alias window opened: it moves to the
                // code it resolves to now, and its inbound with it (a second line would count the units twice)
                Jdbc.update(c, "update purchase_order_lines set sku = ? where po_number = ? and sku = ?", l.sku(),
                        l.poNumber(), renamedFrom);
                inbound.merge(renamedFrom, -old.quantity(), Long::sum);
                inbound.merge(l.sku(), old.quantity(), Long::sum);
            }
            Instant keep = later(old == null ? null : old.statedAt(), statedAt);
            if (old == null) {
                try {
                    Jdbc.update(c, "insert into purchase_order_lines (po_number, sku, supplier_code, supplier_code_received, "
                                    + "quantity, expected_at, receipt_id, updated_at, stated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            l.poNumber(), l.sku(), l.supplierCode(), l.supplierCodeReceived(), l.quantity(), l.expectedAt(),
                            batch.file().receiptId(), now, keep);
                } catch (SQLException e) {
                    // another writer (a release, another hub's file) added the line since it was read: taken again,
                    // the batch finds it (the file stays, a release is redelivered)
                    throw Jdbc.addedMeanwhile(e, "PO " + l.poNumber() + " line " + l.sku());
                }
            } else {
                Jdbc.update(c, "update purchase_order_lines set supplier_code = ?, supplier_code_received = ?, "
                                + "quantity = ?, expected_at = ?, receipt_id = ?, updated_at = ?, stated_at = ? "
                                + "where po_number = ? and sku = ?",
                        l.supplierCode(), l.supplierCodeReceived(), l.quantity(), l.expectedAt(), batch.file().receiptId(),
                        now, keep, l.poNumber(), l.sku());
            }
            before.put(key, new Stored(l.quantity(), keep));
            long delta = l.quantity() - (old == null ? 0 : old.quantity());
            if (delta != 0) {
                inbound.merge(l.sku(), delta, Long::sum);
            }
        }
        inbound.values().removeIf(d -> d == 0);
        stock.add(c, StockStore.Column.inbound, inbound, null);
    }

    /** The later of two times, either of which may be unknown (null). */
    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /** A stored line: its quantity and the time of the file that set it (null: set before that was kept). */
    private record Stored(long quantity, Instant statedAt) {}

    /**
     * Another line of the PO whose code resolves, at the file's time, to this line's SKU (stored under the old code of
     * an alias before its window opened), or null.
     */
    private String renamedLine(Connection c, Line l, Instant at) throws SQLException {
        if (!mappings.isAliasTarget(l.sku())) {
            return null; // no alias leads here: every new line of a PO would otherwise read all of the PO's lines
        }
        for (String code : Jdbc.query(c, "select sku from purchase_order_lines where po_number = ? and sku <> ? "
                + "order by sku", rs -> rs.getString(1), l.poNumber(), l.sku())) {
            SkuResolution now = mappings.resolveSku(code, at);
            if (now.known() && now.sku().equals(l.sku())) {
                return code;
            }
        }
        return null;
    }

    private static Stored stored(Connection c, String poNumber, String sku) throws SQLException {
        // locked until the commit: another writer of the line (a release, a file on another hub) waits, then reads
        // what this one left, so each moves inbound by the difference from the line as it stands
        try (PreparedStatement ps = c.prepareStatement("select quantity, stated_at from purchase_order_lines "
                + "where po_number = ? and sku = ? for update")) {
            ps.setString(1, poNumber);
            ps.setString(2, sku);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Stored(rs.getLong(1), Jdbc.instant(rs, "stated_at")) : null;
            }
        }
    }
}
