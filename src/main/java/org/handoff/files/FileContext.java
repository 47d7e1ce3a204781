package org.handoff.files;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The file being applied (or the file a replayed row came from), as its row handler sees it. */
public final class FileContext {

    private final String kind;
    private final String name;
    private final Map<String, String> parts;
    private final String checksum;
    private final long receiptId;
    private final boolean replay;
    private final Path path;
    private final Instant fileTime;
    // parse may run on a thread of its own (RowHandler#parseAhead)
    private final Map<Class<?>, Object> state = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final Map<String, Object> reportSections = new java.util.LinkedHashMap<>();
    private long heldAfterApply;
    private long appliedAtEnd;
    private String summary;
    /** A replayed row: the reason its hold had (null when not known, or not a replay). */
    private String heldAs;
    private org.handoff.store.Jdbc.Work<List<FileRow>> rowsStillHeld;

    FileContext(String kind, String name, Map<String, String> parts, String checksum, long receiptId,
                boolean replay, Path path) {
        this.kind = kind;
        this.name = name;
        this.parts = Map.copyOf(parts);
        this.checksum = checksum;
        this.receiptId = receiptId;
        this.replay = replay;
        this.path = path;
        this.fileTime = FileKind.parseTs(parts.get("ts")).orElse(null);
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    /** A named group of the file-name pattern, e.g. {@code part("warehouse")}. */
    public String part(String group) {
        return parts.get(group);
    }

    /** The {@code <ts>} of the file name: when the sending system made the file. */
    public Instant fileTime() {
        return fileTime;
    }

    public String checksum() {
        return checksum;
    }

    /** The file receipt (0 for a replayed row whose receipt is not known). */
    public long receiptId() {
        return receiptId;
    }

    /** True when a single held row is replayed (release), not a whole file. */
    public boolean isReplay() {
        return replay;
    }

    /**
     * A replayed row: the reason code its hold had ({@code STALE_UPDATE}, {@code BAD_ROW}, ...); null otherwise. A
     * handler may let an operator's release override the very check that held the row, and no other.
     */
    public String heldAs() {
        return heldAs;
    }

    FileContext heldAs(String reasonCode) {
        this.heldAs = reasonCode;
        return this;
    }

    /**
     * A replayed row: the other rows of its file that are still held (their holds open), as they were held, so a
     * handler can tell when the last row of something the file held is in; null when that is not known (not a
     * replay, the receipt not known, or the file still being applied).
     */
    public List<FileRow> rowsStillHeld(java.sql.Connection c) throws java.sql.SQLException {
        return rowsStillHeld == null ? null : rowsStillHeld.run(c);
    }

    FileContext rowsStillHeld(org.handoff.store.Jdbc.Work<List<FileRow>> lookUp) {
        this.rowsStillHeld = lookUp;
        return this;
    }

    /** The file on disk (null for a replayed row): a handler may read it again, e.g. a second pass. */
    public Path path() {
        return path;
    }

    /** Per-file state of the handler, created on first use. */
    @SuppressWarnings("unchecked")
    public <S> S state(Class<S> type, Supplier<S> create) {
        Object s = state.get(type); // called per row: no lambda unless the state is new
        return (S) (s != null ? s : state.computeIfAbsent(type, t -> create.get()));
    }

    /** Runs after the current transaction commits (e.g. tell ATS which SKUs changed). */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    /** Adds a section to the file's report.json (e.g. the CSV inbox's per-order outcome). */
    public void report(String section, Object value) {
        reportSections.put(section, value);
    }

    Map<String, Object> reportSections() {
        return reportSections;
    }

    /**
     * Rows counted as applied by {@link RowHandler#apply} that {@link RowHandler#end} held after all (the CSV
     * inbox stages rows and decides per order at the end): moved from applied to held in the receipt.
     */
    public void heldAfterApply(long rows) {
        heldAfterApply += rows;
    }

    long heldAfterApply() {
        return heldAfterApply;
    }

    /**
     * A handler that stages its rows ({@link RowHandler#stagesRows}): rows its end step applied (committed) so far.
     * Reported also when end fails part-way, so the file's {@code rowsApplied} says what was applied.
     */
    public void appliedAtEnd(long rows) {
        appliedAtEnd += rows;
    }

    long appliedAtEnd() {
        return appliedAtEnd;
    }

    /** One line for the receipt's detail (e.g. "orders: read 4, accepted 2, held 1, duplicate 1"). */
    public void summary(String text) {
        this.summary = text;
    }

    String summary() {
        return summary;
    }

    void runAfterCommit() {
        List<Runnable> actions = new ArrayList<>(afterCommit);
        afterCommit.clear();
        actions.forEach(Runnable::run);
    }

    void discardAfterCommit() {
        afterCommit.clear();
    }
}
