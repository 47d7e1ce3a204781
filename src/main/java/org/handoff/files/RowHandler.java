package org.handoff.files;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a drop-folder kind does with its rows. {@link FileIntake} streams the file, calls
 * {@link #parse} for each row (no database), and hands the parsed rows over in batches to
 * {@link #apply}, each batch in its own transaction together with the holds of its bad rows.
 *
 * <pre>
 *   begin(file)      once, before any row: file-level rules (throw {@link FileRejected}, e.g. STALE_SNAPSHOT)
 *   parse(row)       per row: validate and convert; throw {@link RowRejected} to hold this row alone
 *   apply(batch)     per batch: write; {@link RowBatch#hold} a row the database refuses
 *   end(file)        once, after the last row (e.g. locations missing from a snapshot drop to 0)
 *   stopped(file)    instead of end, when the file breaks off or fails part-way for good
 * </pre>
 *
 * A held row can be released later: it is replayed alone (begin, parse, apply, with
 * {@link FileContext#isReplay()} true and no end), so parse and apply must not assume a whole file.
 * Per-file state lives in {@link FileContext#state}. Apply must be idempotent per row: a file whose
 * instance died half-way is processed again from the start.
 */
public interface RowHandler<T> {

    default void begin(FileContext file, Connection c) throws SQLException {
    }

    T parse(FileRow row, FileContext file);

    void apply(RowBatch<T> batch, Connection c) throws SQLException;

    default void end(FileContext file, Connection c) throws SQLException {
    }

    /**
     * Instead of {@link #end}, in a transaction of its own, when the file stops for good part-way: its CSV broke off
     * (the file is applied up to there), or a batch failed it (it moves to {@code .failed/}). What earlier batches
     * committed stays, and no more of its rows apply in this run. Not called when the file stays in place to be taken
     * again from the start (the store down, the hub stopping, a crash): that run ends it. E.g. settle what the
     * applied rows left to do at the end.
     */
    default void stopped(FileContext file, Connection c) throws SQLException {
    }

    /**
     * True when {@link #parse} may run on a thread of its own, a batch or two ahead of {@link #apply} (both
     * cores busy on a big file). Then parse must not depend on what apply did, and per-file state that both
     * use must be set in {@link #begin} or be safe to share between two threads.
     */
    default boolean parseAhead() {
        return false;
    }

    /**
     * True when {@link #apply} only stages the rows and {@link #end} applies them (the CSV inbox: an order's rows
     * may stand anywhere in the file). Then the file's {@code rowsApplied} counts what end reports applied
     * ({@link FileContext#appliedAtEnd}), not the rows staged: if end fails part-way, what it had committed.
     */
    default boolean stagesRows() {
        return false;
    }

    /**
     * True when the intake reads the rows with its fast reader ({@link CsvRows}): the same records as commons-csv,
     * but quote-free lines are split straight from a buffer and values repeated in a column (a SKU per location, a
     * location, a small count) are shared instead of allocated per row. Kinds opt in once measured with it.
     */
    default boolean fastCsv() {
        return false;
    }

    /**
     * A row the intake holds before {@link #parse} sees it because of its values (a control character in one:
     * {@link RowValues#printable}), called where parse would have been (the same thread, in file order). A handler
     * that keeps per-file state about held rows (an inventory count keeps the stock a held row stood for) records
     * it here as it would for a row its parse refused; others ignore it.
     */
    default void refusedBeforeParse(FileRow row, FileContext file) {
    }

    /**
     * A row the intake held before {@link #apply} saw it (wrong number of fields, rejected by {@link #parse},
     * or the point where the CSV broke off: {@code row.raw()} null), after the batch it belongs to was
     * applied. A handler that stages rows and decides later (the CSV inbox groups an order's rows) uses it
     * to hold what depended on that row; others ignore it.
     */
    default void heldBeforeApply(FileRow row, String reasonCode, FileContext file) {
    }

    /**
     * The record a held row is about ({@link org.handoff.holds.HoldRequest#about}, e.g. {@code return:<rma>}), or
     * null: its hold is then findable by it, for a decision on that record that waits for the row. Called in the
     * transaction that raises or updates the hold, before it does: a handler may lock the record there, so a decision
     * taking the same lock sees the hold once it is committed. {@code row.fields()} is null for a row that could not
     * be read.
     */
    default String heldAbout(FileRow row, Connection c) throws SQLException {
        return null;
    }

    /**
     * A state file ({@link FileKind#stateFile}) with the bytes of the content that stands for its scope (stated at
     * {@code standingAt}, null when not known), and a later {@code <ts>}: true when that is news after all (it is
     * then applied as a new file); false when it changes nothing and is a duplicate, in which case the handler may
     * record, in {@code c} (the claim's transaction), that what stands holds as of {@code statedAt} (so a late file
     * stamped before it is stale). False by default.
     */
    default boolean restatedLater(Connection c, java.util.Map<String, String> parts, java.time.Instant statedAt,
                                  java.time.Instant standingAt) throws SQLException {
        return false;
    }
}
