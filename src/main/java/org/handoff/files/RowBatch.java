package org.handoff.files;

import java.util.ArrayList;
import java.util.List;

/** A batch of parsed rows, applied in one transaction. */
public final class RowBatch<T> {

    /** A row and what {@link RowHandler#parse} made of it. */
    public record Parsed<T>(FileRow row, T value) {}

    /** A row refused while applying, held with the batch's transaction. */
    record Refused(FileRow row, String reasonCode, String detail) {}

    private final FileContext file;
    private final List<Parsed<T>> rows;
    private final List<Refused> refused = new ArrayList<>();

    RowBatch(FileContext file, List<Parsed<T>> rows) {
        this.file = file;
        this.rows = rows;
    }

    public FileContext file() {
        return file;
    }

    public List<Parsed<T>> rows() {
        return rows;
    }

    /** Holds this row instead of applying it (the rest of the batch still applies). */
    public void hold(Parsed<T> row, String reasonCode, String detail) {
        refused.add(new Refused(row.row(), reasonCode, detail));
    }

    List<Refused> refused() {
        return refused;
    }

    int appliedCount() {
        return rows.size() - refused.size();
    }
}
