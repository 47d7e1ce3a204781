package org.handoff.files;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.handoff.store.Jdbc;

/**
 * Rows of a state file that keep the {@code <ts>} of the file that set them ({@code stated_at}: the catalog, purchase
 * order lines): one rule for both. A row of an older file than the one that set it is held {@code STALE_UPDATE};
 * the operator's release of that hold applies it anyway; the standing file sent again later moves its rows' time.
 */
public final class StatedRows {

    public static final String STALE_UPDATE = "STALE_UPDATE";

    private StatedRows() {}

    /**
     * Whether the batch's rows are checked for age: they are when the file has a time, unless the batch is the
     * release of a {@code STALE_UPDATE} hold (the operator decided). A row released from another hold (a typo
     * fixed) is still checked: a newer file may have set it meanwhile.
     */
    public static boolean checkAge(FileContext file) {
        return file.fileTime() != null && !STALE_UPDATE.equals(file.heldAs());
    }

    /** Holds a row that a newer file set: {@code what} names it ("SKU X", "PO 1 line X"). */
    public static <T> void holdStale(RowBatch<T> batch, RowBatch.Parsed<T> row, String what, Instant newer) {
        FileContext file = batch.file();
        batch.hold(row, STALE_UPDATE, "row " + row.row().row() + ": " + what + " was last set by a newer " + file.kind()
                + " file (" + newer + ") than this one (" + file.fileTime() + "); not applied. Release this hold to "
                + "apply it anyway");
    }

    /**
     * The standing file sent again with a later time ({@link RowHandler#restatedLater}): the rows it set, which still
     * carry its time, now hold as of the later one, so a late file stamped between is stale for them too.
     */
    public static void restated(Connection c, String table, Instant statedAt, Instant standingAt) throws SQLException {
        if (standingAt != null) {
            Jdbc.update(c, "update " + table + " set stated_at = ? where stated_at = ?", statedAt, standingAt);
        }
    }
}
