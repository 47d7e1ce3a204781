package org.handoff.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.handoff.HandoffMetrics;
import org.handoff.Headers;
import org.handoff.api.Json;
import org.handoff.holds.HoldRequest;
import org.handoff.holds.HoldService;
import org.handoff.holds.HoldStore;
import org.handoff.store.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop-folder pattern (DESIGN §5), shared by every file kind. A route per kind takes a complete
 * file from {@code data/inbox/<kind>/} and calls, in order:
 * <ol>
 *   <li>{@link #receive}: file name, SHA-256 of the content, exact header, then the claim on the content
 *       (header {@code HandoffFileStatus}: {@code claimed}, {@code duplicate}, {@code rejected} or {@code busy});</li>
 *   <li>{@link #applyRows} (claimed only): streams the rows through the kind's {@link RowHandler} in
 *       batches, each batch and the holds of its bad rows in one transaction;</li>
 *   <li>{@link #finish}: moves the file to {@code .done/} or {@code .failed/} with {@code <name>.report.json},
 *       and its {@code .done} marker if it came with one ({@link DoneMarkers}; a busy file stays where it is for
 *       another poll, marker and all).</li>
 * </ol>
 * A held row is released through {@link #replayRow} ({@code direct:file-row}).
 */
public final class FileIntake {

    private static final Logger LOG = LoggerFactory.getLogger(FileIntake.class);

    public static final String KIND = "HandoffFileKind";
    public static final String STATUS = "HandoffFileStatus";
    public static final String FILE_NAME = "HandoffFileName";
    public static final String FILE_ROW = "HandoffFileRow";
    public static final String RECEIPT = "HandoffFileReceipt";
    public static final String CHECKSUM = "HandoffFileChecksum";
    /** Where a released row hold is replayed into. */
    public static final String ROW_ENTRY = "direct:file-row";
    private static final String SESSION = "HandoffFileSession";
    private static final int REPORT_HELD_ROWS = 100;
    /** How often a file's progress (and heartbeat) is written while its rows apply. */
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** How every drop-folder file is read as CSV (a handler reading its file a second time reads it the same way). */
    public static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();

    private final Map<String, FileKind> kinds = new ConcurrentHashMap<>();
    private final Set<Long> active = ConcurrentHashMap.newKeySet();
    private final FileReceipts receipts;
    private final HoldStore holds;
    private final HandoffMetrics metrics;
    private final Clock clock;
    private final int batchRows;
    private final DoneMarkers markers;

    public FileIntake(FileReceipts receipts, HoldStore holds, HandoffMetrics metrics, Clock clock, int batchRows,
                      DoneMarkers markers) {
        this.markers = markers;
        this.receipts = receipts;
        this.holds = holds;
        this.metrics = metrics;
        this.clock = clock;
        this.batchRows = batchRows;
    }

    /** Makes a kind known; its route sets header {@code HandoffFileKind} to {@link FileKind#kind()}. */
    public FileKind register(FileKind kind) {
        kinds.put(kind.kind(), kind);
        return kind;
    }

    public Optional<FileKind> kind(String kind) {
        return Optional.ofNullable(kinds.get(kind));
    }

    public FileReceipts receipts() {
        return receipts;
    }

    // ---- step 1: name, checksum, header, claim ---------------------------------------------

    public void receive(Exchange exchange) {
        FileKind kind = kindOf(exchange);
        Path path = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        String name = path.getFileName().toString();
        Session s = new Session(kind, path, name, clock.instant());
        exchange.setProperty(SESSION, s);
        exchange.getMessage().setHeader(Headers.SOURCE, "file:" + kind.kind());
        exchange.getMessage().setHeader(Headers.SUBJECT, name);

        Optional<Map<String, String>> parts = kind.parseName(name);
        s.checksum = sha256(path);
        if (parts.isEmpty()) {
            reject(exchange, s, "BAD_FILE_NAME", "file name '" + name + "' does not match " + kind.expectedName()
                    + " (<ts> is UTC yyyyMMdd'T'HHmmss'Z'); the file was not read");
            return;
        }
        s.parts = parts.get();
        if (kind.template() != null) {
            String problem = kind.template().problem().apply(firstLine(path));
            if (problem != null) {
                reject(exchange, s, kind.template().reasonCode(), problem);
                return;
            }
        }
        Optional<String> headerProblem = checkHeader(path, kind.header(), kind.headerLine() - 1);
        if (headerProblem.isPresent()) {
            reject(exchange, s, "BAD_FILE_HEADER", headerProblem.get());
            return;
        }
        FileReceipts.Claim claim = receipts.claim(kind, name, s.checksum, s.parts, active::contains);
        if (claim instanceof FileReceipts.Claim.Claimed c) {
            s.receiptId = c.receiptId();
            s.status = FileReceipts.PROCESSING;
        } else if (claim instanceof FileReceipts.Claim.Duplicate d) {
            s.receiptId = d.receiptId();
            s.duplicateOf = d.of();
            s.status = FileReceipts.DUPLICATE;
            LOG.info("file {} ({}) is a duplicate of receipt {}: nothing applied", name, kind.kind(), d.of());
        } else if (claim instanceof FileReceipts.Claim.Busy b) {
            s.status = "busy";
            LOG.info("file {} ({}) is being applied by another instance (receipt {}); left in place", name,
                    kind.kind(), b.byReceipt());
        }
        exchange.getMessage().setHeader(STATUS, s.status == FileReceipts.PROCESSING ? "claimed" : s.status);
        exchange.getMessage().setHeader(RECEIPT, s.receiptId);
    }

    private void reject(Exchange exchange, Session s, String reason, String detail) {
        s.status = FileReceipts.REJECTED;
        s.reason = reason;
        s.detail = detail;
        s.receiptId = receipts.recordRejected(s.kind.kind(), s.name, s.checksum, reason, detail);
        s.recorded = true;
        s.holdId = holdFile(s, reason, detail);
        receipts.attachHold(s.receiptId, s.holdId);
        exchange.getMessage().setHeader(STATUS, FileReceipts.REJECTED);
        exchange.getMessage().setHeader(RECEIPT, s.receiptId);
        exchange.getMessage().setHeader(Headers.HOLD_ID, s.holdId);
        // a header problem quotes the line found, which may be a customer's row (an orders file without its header):
        // that stays on the hold and the receipt, behind the API's token, and out of the log
        LOG.warn("file {} ({}) rejected: {}: {} (hold {})", s.name, s.kind.kind(), reason,
                "BAD_FILE_HEADER".equals(reason) ? "the header line is not the one expected; the hold shows it" : detail,
                s.holdId);
    }

    private long holdFile(Session s, String reason, String detail) {
        // not replayable: the file is in .failed/; fix it and drop it again
        return holds.raise(HoldRequest.of(reason, "file:" + s.kind.kind(), s.name,
                detail + " [receipt " + s.receiptId + "; file moved to .failed/]"), null);
    }

    /** The first line as text (null for an empty file). */
    static String firstLine(Path path) {
        try (BufferedReader reader = open(path)) {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path.getFileName(), e);
        }
    }

    static Optional<String> checkHeader(Path path, List<String> expected, int skipLines) {
        try (BufferedReader reader = skip(open(path), skipLines); CSVParser parser = CSV.parse(reader)) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                return Optional.of("the file is empty; expected the header " + String.join(",", expected));
            }
            List<String> found = it.next().toList();
            if (!found.equals(expected)) {
                return Optional.of("header is '" + String.join(",", found) + "'; expected exactly '"
                        + String.join(",", expected) + "'" + headerHint(found, expected));
            }
            return Optional.empty();
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            return Optional.of("the header cannot be read as CSV: " + e.getMessage());
        }
    }

    /**
     * What a spreadsheet did to a header that is otherwise the right one, where that is hard to see in the quoted
     * line: another separator, empty columns after the last one, other case or spaces around the names. Else "".
     */
    static String headerHint(List<String> found, List<String> expected) {
        for (String separator : List.of(";", "\t")) {
            if (found.size() == 1 && startsThenBlank(List.of(found.get(0).split(separator, -1)), expected)) {
                return "; its fields are separated by " + (separator.equals(";") ? "';'" : "tabs") + ", not commas (as a "
                        + "spreadsheet saves CSV in a locale that writes decimal commas): save the file as comma-separated CSV";
            }
        }
        if (found.size() > expected.size() && startsThenBlank(found, expected)) {
            int extra = found.size() - expected.size();
            return "; it has " + extra + " empty column" + (extra == 1 ? "" : "s") + " after '"
                    + expected.get(expected.size() - 1) + "' (a spreadsheet saves every line as wide as its widest row): "
                    + "clear the cells beside the table and save again";
        }
        if (found.size() == expected.size()) {
            for (int i = 0; i < found.size(); i++) {
                if (!found.get(i).strip().equalsIgnoreCase(expected.get(i))) {
                    return "";
                }
            }
            return "; the names differ only in case or in spaces around them: write them exactly as expected";
        }
        return "";
    }

    /** {@code fields} are {@code expected}, then only empty ones (if any). */
    private static boolean startsThenBlank(List<String> fields, List<String> expected) {
        return fields.size() >= expected.size() && fields.subList(0, expected.size()).equals(expected)
                && fields.subList(expected.size(), fields.size()).stream().allMatch(String::isBlank);
    }

    // ---- step 2: the rows ----------------------------------------------------------------------

    public void applyRows(Exchange exchange) {
        Session s = session(exchange);
        if (!FileReceipts.PROCESSING.equals(s.status)) {
            return;
        }
        active.add(s.receiptId);
        FileContext file = new FileContext(s.kind.kind(), s.name, s.parts, s.checksum, s.receiptId, false, s.path);
        s.file = file;
        try {
            applyAll(s, file);
        } catch (FileReceipts.ClaimLost e) {
            // our heartbeat lapsed and another instance took the file over: it applies the file again (rows apply
            // idempotently) and finishes it; this one touches neither the receipt nor the file any more
            file.discardAfterCommit();
            LOG.warn("file {} ({}): {}; stopped after {} rows, the file is left to it", s.name, s.kind.kind(),
                    e.getMessage(), s.read);
            s.status = "busy";
        } catch (FileRejected e) {
            file.discardAfterCommit();
            stopped(s, file);
            s.status = FileReceipts.REJECTED;
            s.reason = e.reasonCode();
            s.detail = e.getMessage();
            s.holdId = holdFile(s, e.reasonCode(), e.getMessage());
        } catch (RuntimeException e) {
            file.discardAfterCommit();
            if (HoldService.isTransient(e) || interrupted(e)) {
                // the store or a dependency is down, or the hub is stopping: the file stays in place and is
                // taken again later
                throw e;
            }
            LOG.error("file {} ({}) failed after {} rows", s.name, s.kind.kind(), s.read, e);
            stopped(s, file);
            s.status = FileReceipts.REJECTED;
            s.reason = HoldService.PROCESSING_ERROR;
            s.detail = "failed after " + s.read + " rows (rows before may be applied): " + e.getMessage();
            s.holdId = holdFile(s, s.reason, s.detail);
        } finally {
            active.remove(s.receiptId);
        }
    }

    private void applyAll(Session s, FileContext file) {
        @SuppressWarnings("unchecked")
        RowHandler<Object> handler = (RowHandler<Object>) s.kind.handler();
        inTransaction(file, c -> {
            handler.begin(file, c);
            return null;
        });
        s.begun = true;
        boolean complete = handler.parseAhead()
                ? parseAhead(s, file, handler)
                : readRows(s, file, handler, chunk -> {
                    s.read = chunk.read();
                    s.blank = chunk.blank();
                    flush(s, file, handler, chunk.rows(), chunk.refused());
                });
        if (!complete) {
            s.detail = "the file broke off at row " + s.brokeAt + "; rows after it were not applied and the "
                    + "end-of-file step (" + s.kind.kind() + ") was skipped";
            s.reason = "BAD_ROW";
            // what the rows before it left for the end is done now (a failure here fails the file, as end's would)
            s.stopHandled = true;
            inTransaction(file, c -> {
                handler.stopped(file, c);
                // last, so the receipt's row is locked only from here to the commit (a handler may write the
                // heartbeat from transactions of its own meanwhile): still ours, or the step rolls back
                receipts.heartbeat(c, s.receiptId);
                return null;
            });
        } else {
            inTransaction(file, c -> {
                handler.end(file, c);
                receipts.heartbeat(c, s.receiptId); // as above
                return null;
            });
        }
        s.status = FileReceipts.APPLIED;
        // the end step ran (or the CSV broke off, and the handler held what it staged): the staged rows are
        // applied but for those the handler held after all
        s.applied += s.staged;
        s.staged = 0;
        if (file.heldAfterApply() > 0) {
            s.applied -= file.heldAfterApply();
            s.heldCount += file.heldAfterApply();
        }
        if (s.detail == null) {
            s.detail = file.summary();
        }
    }

    /**
     * {@link RowHandler#stopped} for a file that failed for good after its rows began to apply (not when it stays in
     * place to be taken again). Its own failure is logged: the file's outcome is the failure that stopped it.
     */
    private void stopped(Session s, FileContext file) {
        if (s.staged > 0 || file.appliedAtEnd() > 0 || file.heldAfterApply() > 0) {
            // the handler stages its rows and its end step did not finish: applied is what that step committed
            // before it failed (nothing if it never ran), held the rows it held meanwhile; the rest was not applied
            s.applied += file.appliedAtEnd();
            s.heldCount += file.heldAfterApply();
            s.staged = 0;
        }
        if (!s.begun || s.stopHandled) {
            return;
        }
        s.stopHandled = true;
        try {
            inTransaction(file, c -> {
                s.kind.handler().stopped(file, c);
                receipts.heartbeat(c, s.receiptId);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("file {} ({}, receipt {}) stopped part-way and its handler's step for that failed too", s.name,
                    s.kind.kind(), s.receiptId, e);
        }
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /** Up to batchRows rows of the file, parsed (or refused), and how many rows were read up to its end. */
    private record Chunk(List<RowBatch.Parsed<Object>> rows, List<RowBatch.Refused> refused, long read, long blank) {}

    private interface ChunkSink {
        void accept(Chunk chunk) throws InterruptedException;
    }

    /**
     * Streams the rows after the header through {@link RowHandler#parse}, in chunks of {@code batchRows}.
     * Returns false when the CSV itself broke off (the last chunk then holds the row where it did).
     */
    private boolean readRows(Session s, FileContext file, RowHandler<Object> handler, ChunkSink sink) {
        List<String> header = s.kind.header();
        List<RowBatch.Parsed<Object>> batch = new ArrayList<>(batchRows);
        List<RowBatch.Refused> refused = new ArrayList<>();
        boolean complete = true;
        int headerLine = s.kind.headerLine();
        long read = 0;
        long blank = 0;
        try (CsvRows records = new CsvRows(s.path, headerLine - 1, handler.fastCsv())) {
            records.next(); // the header, checked in receive
            while (true) {
                String[] record;
                try {
                    record = records.next();
                    if (record == null) {
                        break;
                    }
                } catch (UncheckedIOException | IllegalStateException e) {
                    // the CSV itself breaks (e.g. an unclosed quote): nothing after this point can be trusted
                    long row = records.brokenLine();
                    s.brokeAt = row;
                    refused.add(new RowBatch.Refused(FileRow.unreadable(row), "BAD_ROW",
                            "the file cannot be read as CSV from row " + row + " on: " + e.getMessage()
                                    + "; the rows after it were not applied"));
                    complete = false;
                    break;
                }
                read++;
                // the line the record starts on, as an editor or a spreadsheet shows it (empty lines count)
                long rowNumber = records.line();
                if (blank(record)) {
                    // ",,,,,,": a row a spreadsheet saves for cells that were formatted or cleared; it says nothing,
                    // as an empty line says nothing (it still counts for the row numbers after it)
                    blank++;
                    continue;
                }
                // the record's own array, not a copy (values() is not copied by commons-csv)
                List<String> values = Arrays.asList(record);
                FileRow row = new FileRow(rowNumber, header, values);
                if (values.size() != header.size()) {
                    refused.add(new RowBatch.Refused(row, "BAD_ROW", "row " + rowNumber + " has " + values.size()
                            + " fields; the header has " + header.size()));
                } else {
                    try {
                        printable(row, file, handler);
                        batch.add(new RowBatch.Parsed<>(row, handler.parse(row, file)));
                    } catch (RowRejected e) {
                        refused.add(new RowBatch.Refused(row, e.reasonCode(), e.getMessage()));
                    }
                }
                if (batch.size() + refused.size() >= batchRows) {
                    sink.accept(new Chunk(batch, refused, read, blank));
                    batch = new ArrayList<>(batchRows);
                    refused = new ArrayList<>();
                }
            }
            sink.accept(new Chunk(batch, refused, read, blank));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("reading " + s.name + " was interrupted", e);
        }
        return complete;
    }

    /** {@link RowValues#printable}, telling the handler of a row it holds ({@link RowHandler#refusedBeforeParse}). */
    private static void printable(FileRow row, FileContext file, RowHandler<Object> handler) {
        try {
            RowValues.printable(row);
        } catch (RowRejected e) {
            handler.refusedBeforeParse(row, file);
            throw e;
        }
    }

    private static boolean blank(String[] record) {
        for (String field : record) {
            if (field != null && !field.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** What the parsing thread hands over last: whether the CSV was whole, or what went wrong. */
    private record End(boolean complete, Throwable failure) {}

    private static void handOver(BlockingQueue<Object> queue, Object item, AtomicBoolean stop) throws InterruptedException {
        while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            if (stop.get()) {
                throw new CancellationException("the writer stopped");
            }
        }
    }

    /**
     * {@link #readRows} on a thread of its own, one chunk ahead of the writes: CSV parsing and the database
     * then use both cores. At most two parsed chunks wait, so memory stays bounded. Chunks are applied in
     * file order on the calling thread, each in its own transaction, exactly as without parse-ahead.
     */
    private boolean parseAhead(Session s, FileContext file, RowHandler<Object> handler) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
        AtomicBoolean stop = new AtomicBoolean();
        ChunkSink hand = chunk -> handOver(queue, chunk, stop);
        Thread parser = new Thread(() -> {
            End end;
            try {
                end = new End(readRows(s, file, handler, hand), null);
            } catch (Throwable t) {
                end = new End(false, t);
            }
            try {
                handOver(queue, end, stop);
            } catch (InterruptedException | CancellationException e) {
                // the writer gave up first: nobody waits for the end
            }
        }, "file-rows-" + s.kind.kind());
        parser.setDaemon(true);
        parser.start();
        try {
            while (true) {
                Object item = queue.take();
                if (item instanceof End end) {
                    if (end.failure() instanceof RuntimeException e) {
                        throw e;
                    }
                    if (end.failure() instanceof Error e) {
                        throw e;
                    }
                    if (end.failure() != null) {
                        throw new IllegalStateException(end.failure());
                    }
                    return end.complete();
                }
                Chunk chunk = (Chunk) item;
                s.read = chunk.read();
                s.blank = chunk.blank();
                flush(s, file, handler, chunk.rows(), chunk.refused());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("applying " + s.name + " was interrupted", e);
        } finally {
            stop.set(true);
            queue.clear();
        }
    }

    private void flush(Session s, FileContext file, RowHandler<Object> handler, List<RowBatch.Parsed<Object>> rows,
                       List<RowBatch.Refused> refused) {
        if (rows.isEmpty() && refused.isEmpty()) {
            return;
        }
        RowBatch<Object> batch = new RowBatch<>(file, rows);
        inTransaction(file, c -> {
            if (!rows.isEmpty()) {
                handler.apply(batch, c);
            }
            for (RowBatch.Refused r : refused) {
                handler.heldBeforeApply(r.row(), r.reasonCode(), file);
            }
            List<RowBatch.Refused> all = new ArrayList<>(refused);
            all.addAll(batch.refused());
            for (RowBatch.Refused r : all) {
                long holdId = holds.raise(c, rowHold(s, r).withAbout(handler.heldAbout(r.row(), c)), null);
                s.held(r, holdId);
            }
            if (handler.stagesRows()) {
                s.staged += batch.appliedCount(); // applied by the end step, if it runs
            } else {
                s.applied += batch.appliedCount();
            }
            // the progress row is also the claim's heartbeat: once a second is plenty against a lease of minutes,
            // and spares a million-row file a row update in each of its 200 transactions (on the embedded store
            // every commit writes the pages it changed)
            long now = System.nanoTime();
            if (s.progressAt == 0 || now - s.progressAt >= PROGRESS_NANOS) {
                receipts.progress(c, s.receiptId, s.read, s.applied, s.heldCount);
                s.progressAt = now;
            }
            return null;
        });
    }

    private HoldRequest rowHold(Session s, RowBatch.Refused r) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(KIND, s.kind.kind());
        headers.put(FILE_NAME, s.name);
        headers.put(FILE_ROW, Long.toString(r.row().row()));
        headers.put(RECEIPT, Long.toString(s.receiptId));
        headers.put(CHECKSUM, s.checksum);
        HoldRequest request = HoldRequest.of(r.reasonCode(), "file:" + s.kind.kind(), s.name + " row " + r.row().row(),
                r.detail());
        String raw = r.row().raw();
        if (raw != null) {
            // release replays this row alone (corrected payload: the row as CSV text)
            request = request.withReplay(raw, headers, ROW_ENTRY);
        }
        // a file taken over after a crash holds the same rows again: one hold per row of this content
        return request.withDedupeKey(rowHoldKey(s.kind.kind(), s.checksum, s.receiptId, r.row().row()));
    }

    /**
     * The dedupe key of the hold of a file's row: one hold per row of a receipt (a receipt taken over after a crash
     * keeps its id). Per receipt, not per content: a state file's content applied again later (a count back at an
     * earlier file's numbers) holds its bad rows afresh, under its own name and time.
     */
    public static String rowHoldKey(String kind, String checksum, long receiptId, long row) {
        return rowHoldKeys(kind, checksum, receiptId) + row;
    }

    /** What the keys of a receipt's row holds start with. */
    private static String rowHoldKeys(String kind, String checksum, long receiptId) {
        return "file:" + kind + ":" + checksum + ":receipt:" + receiptId + ":row:";
    }

    /**
     * The rows of a receipt still held besides the one being released ({@code releasing}), as they were held; null
     * while the file is still being applied (more of its rows may be held yet) or its receipt is not known. Holds
     * raised before row holds were keyed per receipt ({@code file:<kind>:<checksum>:row:<n>}) count too.
     */
    private static List<FileRow> rowsStillHeld(Connection c, FileKind kind, String checksum, long receiptId,
                                               Long releasing) throws SQLException {
        if (receiptId <= 0 || checksum == null || !Jdbc.queryOne(c, "select status from file_receipts where receipt_id = ?",
                rs -> rs.getString(1), receiptId).filter(status -> !FileReceipts.PROCESSING.equals(status)).isPresent()) {
            return null;
        }
        List<FileRow> rows = new ArrayList<>();
        for (String raw : Jdbc.query(c, "select payload from holds where status = 'open' and hold_id <> ? "
                + "and (dedupe_key like ? or dedupe_key like ?)", rs -> rs.getString(1), releasing == null ? -1 : releasing,
                rowHoldKeys(kind.kind(), checksum, receiptId) + "%", "file:" + kind.kind() + ":" + checksum + ":row:%")) {
            rowOf(raw, kind.header()).ifPresent(rows::add);
        }
        return rows;
    }

    /** A held row's text as a row of its kind (empty when it is not one CSV row of the header's width). */
    private static Optional<FileRow> rowOf(String raw, List<String> header) {
        try (CSVParser parser = CSV.parse(new StringReader(raw == null ? "" : raw))) {
            List<CSVRecord> records = parser.getRecords();
            return records.size() == 1 && records.get(0).size() == header.size()
                    ? Optional.of(new FileRow(0, header, records.get(0).toList())) : Optional.empty();
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private <T> T inTransaction(FileContext file, Jdbc.Work<T> work) {
        T result;
        try {
            result = receipts.jdbc().inTransaction(work);
        } catch (RuntimeException e) {
            file.discardAfterCommit();
            throw e;
        }
        file.runAfterCommit();
        return result;
    }

    // ---- step 3: .done/ or .failed/ with the report -----------------------------------------------

    public void finish(Exchange exchange) {
        Session s = session(exchange);
        if ("busy".equals(s.status)) {
            return;
        }
        if (FileReceipts.PROCESSING.equals(s.status)) {
            throw new IllegalStateException("file " + s.name + " was not applied before finish");
        }
        if (!FileReceipts.DUPLICATE.equals(s.status) && !s.recorded) {
            try {
                receipts.jdbc().inTransaction(c -> {
                    receipts.finish(c, s.receiptId, s.status, s.reason, s.detail, s.read, s.applied, s.heldCount,
                            s.holdId);
                    return null;
                });
            } catch (FileReceipts.ClaimLost e) {
                // taken over between the last step and this one: the instance holding the claim finishes the file
                LOG.warn("file {} ({}): {}; the file is left to it", s.name, s.kind.kind(), e.getMessage());
                return;
            }
        }
        boolean failed = FileReceipts.REJECTED.equals(s.status);
        Path folder = s.path.getParent().resolve(failed ? ".failed" : ".done");
        Path target;
        try {
            Files.createDirectories(folder);
            target = freeName(folder, s.name, s.receiptId);
            Map<String, Object> report = s.report(clock);
            Files.writeString(folder.resolve(target.getFileName() + ".report.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report), StandardCharsets.UTF_8);
            Files.move(s.path, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + s.name + " to " + folder, e);
        }
        // after the file (a stop between the two leaves a marker alone, held as such, never a file without its marker)
        markers.moveBeside(s.kind.kind(), s.path, target);
        metrics.fileRows(s.kind.kind(), "applied", s.applied);
        metrics.fileRows(s.kind.kind(), "held", s.heldCount);
        exchange.getMessage().setHeader(STATUS, s.status);
        exchange.getMessage().setHeader(Headers.OUTCOME, s.status);
        LOG.info("file {} ({}) {}: read {}, applied {}, held {} (receipt {})", s.name, s.kind.kind(), s.status,
                s.read, s.applied, s.heldCount, s.receiptId);
    }

    /** The same name can arrive twice (a re-sent file): keep both, the later one with its receipt id. */
    private static Path freeName(Path folder, String name, long receiptId) {
        Path target = folder.resolve(name);
        if (!Files.exists(target)) {
            return target;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return folder.resolve(stem + ".r" + receiptId + ext);
    }

    // ---- release of a held row ------------------------------------------------------------------

    /**
     * Replays one held row (the body is the row as CSV text, as held or corrected) through its kind's
     * handler. Applied: outcome {@code applied}. Refused again: the same hold stays open with the new reason.
     */
    public void replayRow(Exchange exchange) {
        FileKind kind = kindOf(exchange);
        String name = exchange.getMessage().getHeader(FILE_NAME, String.class);
        long rowNumber = exchange.getMessage().getHeader(FILE_ROW, 0L, Long.class);
        long receiptId = exchange.getMessage().getHeader(RECEIPT, 0L, Long.class);
        String checksum = exchange.getMessage().getHeader(CHECKSUM, String.class);
        String raw = exchange.getMessage().getBody(String.class);
        Map<String, String> parts = kind.parseName(name == null ? "" : name).orElse(Map.of());
        Long replayOf = HoldService.replayOf(exchange);
        // the reason the hold being released has now (a release held again is updated to its new reason)
        FileContext file = new FileContext(kind.kind(), name, parts, checksum, receiptId, true, null)
                .heldAs(replayOf == null ? null : holds.find(replayOf).map(org.handoff.holds.Hold::reasonCode).orElse(null))
                .rowsStillHeld(c -> rowsStillHeld(c, kind, checksum, receiptId, replayOf));
        @SuppressWarnings("unchecked")
        RowHandler<Object> handler = (RowHandler<Object>) kind.handler();
        Refusal refusal;
        try {
            refusal = inTransaction(file, c -> replayInTransaction(c, handler, file, kind, rowNumber, raw, replayOf));
        } catch (FileRejected e) {
            refusal = new Refusal(e.reasonCode(), e.getMessage());
        }
        if (refusal != null) {
            String detail = refusal.detail();
            HoldRequest request = HoldRequest.of(refusal.reason(), "file:" + kind.kind(), name + " row " + rowNumber,
                    detail);
            FileRow row = rowOf(raw, kind.header()).map(r -> new FileRow(rowNumber, kind.header(), r.fields()))
                    .orElse(null);
            long holdId = holds.jdbc().inTransaction(c -> holds.raise(c,
                    row == null ? request : request.withAbout(handler.heldAbout(row, c)), replayOf));
            HoldService.markHeld(exchange, holdId);
            return;
        }
        exchange.getMessage().setHeader(Headers.OUTCOME, "applied");
    }

    private record Refusal(String reason, String detail) {}

    private Refusal replayInTransaction(Connection c, RowHandler<Object> handler, FileContext file, FileKind kind,
                                       long rowNumber, String raw, Long replayOf) throws SQLException {
        handler.begin(file, c);
        List<String> values;
        try (CSVParser parser = CSV.parse(new StringReader(raw == null ? "" : raw))) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                return new Refusal("BAD_ROW", "a released row must be exactly one CSV row; got " + records.size());
            }
            values = records.get(0).toList();
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            return new Refusal("BAD_ROW", "the row cannot be read as CSV: " + e.getMessage());
        }
        if (values.size() != kind.header().size()) {
            return new Refusal("BAD_ROW", "row " + rowNumber + " has " + values.size() + " fields; the header has "
                    + kind.header().size() + " (" + String.join(",", kind.header()) + ")");
        }
        FileRow row = new FileRow(rowNumber, kind.header(), values);
        Object parsed;
        try {
            printable(row, file, handler);
            parsed = handler.parse(row, file);
        } catch (RowRejected e) {
            return new Refusal(e.reasonCode(), e.getMessage());
        }
        RowBatch<Object> batch = new RowBatch<>(file, new ArrayList<>(List.of(new RowBatch.Parsed<>(row, parsed))));
        handler.apply(batch, c);
        if (!batch.refused().isEmpty()) {
            RowBatch.Refused r = batch.refused().get(0);
            c.rollback();
            file.discardAfterCommit();
            return new Refusal(r.reasonCode(), r.detail());
        }
        if (replayOf != null && file.receiptId() > 0) {
            Jdbc.update(c, "update file_receipts set rows_applied = rows_applied + 1, rows_held = rows_held - 1 "
                    + "where receipt_id = ? and rows_held > 0", file.receiptId());
        }
        return null;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private FileKind kindOf(Exchange exchange) {
        String kind = exchange.getMessage().getHeader(KIND, String.class);
        FileKind k = kind == null ? null : kinds.get(kind);
        if (k == null) {
            throw new IllegalStateException("no file kind '" + kind + "' registered (header " + KIND + ")");
        }
        return k;
    }

    private static Session session(Exchange exchange) {
        Session s = exchange.getProperty(SESSION, Session.class);
        if (s == null) {
            throw new IllegalStateException("fileIntake.receive must run first");
        }
        return s;
    }

    /** Skips lines that come before the header (a template line). */
    static BufferedReader skip(BufferedReader reader, int lines) throws IOException {
        for (int i = 0; i < lines; i++) {
            reader.readLine();
        }
        return reader;
    }

    /** A reader that skips a UTF-8 byte-order mark (spreadsheet exports often start with one). */
    public static BufferedReader open(Path path) throws IOException {
        BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    static String sha256(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path.getFileName(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What happened to one file, for the receipt and the report. */
    private static final class Session {
        final FileKind kind;
        final Path path;
        final String name;
        final java.time.Instant receivedAt;
        /** Rejected before a claim (bad name or header): the receipt was written final already. */
        boolean recorded;
        /** The handler's begin passed: rows may have been applied. */
        boolean begun;
        /** The handler's stopped step ran (or was tried) for this run. */
        boolean stopHandled;
        Map<String, String> parts = Map.of();
        String checksum;
        long receiptId;
        String status;
        String reason;
        String detail;
        FileContext file;
        Long holdId;
        Long duplicateOf;
        long read;
        /** The line where the CSV broke off (set by the reading thread before it hands its end over). */
        volatile long brokeAt;
        long applied;
        /** Rows a staging handler ({@link RowHandler#stagesRows}) took in: applied only by its end step. */
        long staged;
        long heldCount;
        /** Rows with every cell empty (a spreadsheet's formatted empty rows): counted, not applied, never held. */
        long blank;
        /** When the progress row was last written ({@link System#nanoTime}; 0: not yet). */
        long progressAt;
        final Map<String, Long> reasons = new LinkedHashMap<>();
        final List<Map<String, Object>> heldRows = new ArrayList<>();

        Session(FileKind kind, Path path, String name, java.time.Instant receivedAt) {
            this.receivedAt = receivedAt;
            this.kind = kind;
            this.path = path;
            this.name = name;
        }


        void held(RowBatch.Refused r, long holdId) {
            heldCount++;
            reasons.merge(r.reasonCode(), 1L, Long::sum);
            if (heldRows.size() < REPORT_HELD_ROWS) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("row", r.row().row());
                m.put("reasonCode", r.reasonCode());
                m.put("detail", r.detail());
                m.put("holdId", holdId);
                heldRows.add(m);
            }
        }

        Map<String, Object> report(Clock clock) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", name);
            m.put("kind", kind.kind());
            m.put("receiptId", receiptId);
            m.put("checksum", checksum);
            m.put("status", status);
            if (reason != null) {
                m.put("reasonCode", reason);
            }
            if (detail != null) {
                m.put("detail", detail);
            }
            if (holdId != null) {
                m.put("holdId", holdId);
            }
            if (duplicateOf != null) {
                m.put("duplicateOf", duplicateOf);
            }
            m.put("rowsRead", read);
            m.put("rowsApplied", applied);
            m.put("rowsHeld", heldCount);
            if (blank > 0) {
                m.put("rowsBlank", blank);
            }
            m.put("heldByReason", reasons);
            m.put("heldRows", heldRows);
            // rows a handler held after applying them (the CSV inbox's held orders) are listed in its own section
            long heldAlone = heldCount - (file == null ? 0 : file.heldAfterApply());
            if (heldAlone > heldRows.size()) {
                m.put("heldRowsNote", "first " + heldRows.size() + " of " + heldAlone
                        + " held rows listed; GET /api/holds?status=open lists all");
            }
            m.put("receivedAt", Json.time(receivedAt));
            if (file != null) {
                m.putAll(file.reportSections());
            }
            m.put("finishedAt", Json.time(clock.instant()));
            return m;
        }
    }
}
