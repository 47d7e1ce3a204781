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
import org.handoff.store.Jdbc;

/**
 * {@code catalog_<ts>.csv}: the ERP's master catalog (the ERP owns it). Each row upserts one SKU; SKUs the
 * file does not list are left as they are (retire a SKU with {@code active=false}).
 */
public final class CatalogFileHandler implements RowHandler<CatalogFileHandler.Item> {

    public static final List<String> HEADER = List.of("sku", "barcode", "description", "active");

    public record Item(String sku, String barcode, String description, boolean active) {}

    private final Clock clock;

    public CatalogFileHandler(Clock clock) {
        this.clock = clock;
    }

    public FileKind kind() {
        return new FileKind("catalog", Pattern.compile("catalog_" + FileKind.TS + "\\.csv"), "catalog_<ts>.csv",
                HEADER, this);
    }

    @Override
    public Item parse(FileRow row, FileContext file) {
        String sku = RowValues.required(row, "sku");
        String active = row.get("active").toLowerCase(Locale.ROOT);
        if (!active.equals("true") && !active.equals("false")) {
            throw RowRejected.badRow("row " + row.row() + ": active '" + row.get("active") + "' must be true or false");
        }
        String barcode = row.get("barcode");
        return new Item(sku, barcode.isEmpty() ? null : barcode, row.get("description"), active.equals("true"));
    }

    @Override
    public void apply(RowBatch<Item> batch, Connection c) throws SQLException {
        Instant now = clock.instant();
        List<RowBatch.Parsed<Item>> missing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("update catalog set barcode = ?, description = ?, active = ?, "
                + "updated_at = ? where sku = ?")) {
            for (RowBatch.Parsed<Item> p : batch.rows()) {
                Item i = p.value();
                Jdbc.bind(ps, i.barcode(), i.description(), i.active(), now, i.sku());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int n = 0; n < counts.length; n++) {
                if (counts[n] == 0) {
                    missing.add(batch.rows().get(n));
                }
            }
        }
        // a SKU listed twice in one batch is inserted once, then updated
        java.util.Map<String, Item> inserts = new java.util.LinkedHashMap<>();
        missing.forEach(p -> inserts.put(p.value().sku(), p.value()));
        if (inserts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into catalog (sku, barcode, description, active, "
                + "updated_at) values (?, ?, ?, ?, ?)")) {
            for (Item i : inserts.values()) {
                Jdbc.bind(ps, i.sku(), i.barcode(), i.description(), i.active(), now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
