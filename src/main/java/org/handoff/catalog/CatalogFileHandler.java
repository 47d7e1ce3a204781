package org.handoff.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.handoff.files.FileContext;
import org.handoff.files.FileKind;
import org.handoff.files.FileRow;
import org.handoff.files.RowBatch;
import org.handoff.files.RowHandler;
import org.handoff.files.RowRejected;
import org.handoff.files.RowValues;
import org.handoff.files.StatedRows;
import org.handoff.store.Jdbc;

/**
 * {@code catalog_<ts>.csv}: the ERP's master catalog (the ERP owns it). Each row upserts one SKU; SKUs the
 * file does not list are left as they are (retire a SKU with {@code active=false}). A row keeps the time of the
 * file that set it: a row of an older file (a delayed export, a re-sent file) is held {@code STALE_UPDATE}
 * rather than putting back what the newer one replaced.
 */
public final class CatalogFileHandler implements RowHandler<CatalogFileHandler.Item> {

    public static final List<String> HEADER = List.of("sku", "barcode", "description", "active");

    public record Item(String sku, String barcode, String description, boolean active) {}

    /** Column widths of V2's catalog table. */
    private static final java.util.Map<String, Integer> WIDTHS = java.util.Map.of("sku", 100, "barcode", 100,
            "description", 1000);

    private final Clock clock;

    public CatalogFileHandler(Clock clock) {
        this.clock = clock;
    }

    public FileKind kind() {
        return new FileKind("catalog", Pattern.compile("catalog_" + FileKind.TS + "\\.csv"), "catalog_<ts>.csv",
                HEADER, this).asStateFile();
    }

    @Override
    public Item parse(FileRow row, FileContext file) {
        RowValues.storable(row, WIDTHS);
        String sku = RowValues.required(row, "sku");
        String active = row.get("active").toLowerCase(Locale.ROOT);
        if (!active.equals("true") && !active.equals("false")) {
            throw RowRejected.badRow("row " + row.row() + ": active '" + row.get("active") + "' must be true or false");
        }
        String barcode = row.get("barcode");
        return new Item(sku, barcode.isEmpty() ? null : barcode, row.get("description"), active.equals("true"));
    }

    /** The standing catalog sent again later: a duplicate, and its rows' time moves ({@link StatedRows#restated}). */
    @Override
    public boolean restatedLater(Connection c, java.util.Map<String, String> parts, Instant statedAt, Instant standingAt)
            throws SQLException {
        StatedRows.restated(c, "catalog", statedAt, standingAt);
        return false;
    }

    @Override
    public void apply(RowBatch<Item> batch, Connection c) throws SQLException {
        Instant now = clock.instant();
        Instant statedAt = batch.file().fileTime();
        boolean checkAge = StatedRows.checkAge(batch.file());
        List<RowBatch.Parsed<Item>> notUpdated = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("update catalog set barcode = ?, description = ?, active = ?, "
                + "updated_at = ?, stated_at = " + (statedAt == null ? "stated_at" : "greatest(coalesce(stated_at, ?), ?)")
                + " where sku = ?" + (checkAge ? " and (stated_at is null or stated_at <= ?)" : ""))) {
            for (RowBatch.Parsed<Item> p : batch.rows()) {
                Item i = p.value();
                List<Object> params = new ArrayList<>();
                params.add(i.barcode()); // may be null
                params.add(i.description());
                params.add(i.active());
                params.add(now);
                if (statedAt != null) {
                    params.add(statedAt);
                    params.add(statedAt);
                }
                params.add(i.sku());
                if (checkAge) {
                    params.add(statedAt);
                }
                Jdbc.bind(ps, params.toArray());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int n = 0; n < counts.length; n++) {
                if (counts[n] == 0) {
                    notUpdated.add(batch.rows().get(n));
                }
            }
        }
        if (notUpdated.isEmpty()) {
            return;
        }
        // not updated: no row yet, or a row a newer file set
        java.util.Map<String, Instant> newer = new java.util.HashMap<>();
        Jdbc.queryIn(c, "select sku, stated_at from catalog where sku in (%s)",
                notUpdated.stream().map(p -> p.value().sku()).distinct().toList(),
                rs -> newer.put(rs.getString(1), Jdbc.instant(rs, "stated_at")));
        // a SKU listed twice in one batch is inserted once, then updated
        java.util.Map<String, Item> inserts = new java.util.LinkedHashMap<>();
        for (RowBatch.Parsed<Item> p : notUpdated) {
            if (newer.containsKey(p.value().sku())) {
                StatedRows.holdStale(batch, p, "SKU " + p.value().sku(), newer.get(p.value().sku()));
            } else {
                inserts.put(p.value().sku(), p.value());
            }
        }
        if (inserts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into catalog (sku, barcode, description, active, "
                + "updated_at, stated_at) values (?, ?, ?, ?, ?, ?)")) {
            for (Item i : inserts.values()) {
                Jdbc.bind(ps, i.sku(), i.barcode(), i.description(), i.active(), now, statedAt);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
