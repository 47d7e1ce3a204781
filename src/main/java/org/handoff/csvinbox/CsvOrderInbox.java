package org.handoff.csvinbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.handoff.Headers;
import org.handoff.files.FileContext;
import org.handoff.files.FileKind;
import org.handoff.files.FileReceipts;
import org.handoff.files.FileRow;
import org.handoff.files.RowBatch;
import org.handoff.files.RowHandler;
import org.handoff.files.RowRejected;
import org.handoff.holds.HoldService;
import org.handoff.order.StoredWidths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CSV inbox as a drop-folder kind: the shared intake (name, SHA-256, template line, header, claim,
 * report) streams the rows here. Rows are not orders yet: they are staged in the {@link OrderRowSorter}
 * while the file is read, and once the last row is in, {@link #end} hands each order (all its rows,
 * wherever they stood) to the order pipeline through {@link CsvOrderProcessor}. The report gets an
 * {@code orders} section: read, accepted, held, duplicate, with the held orders' rows and reasons.
 */
public final class CsvOrderInbox implements RowHandler<CsvOrderRow> {

    private static final Logger LOG = LoggerFactory.getLogger(CsvOrderInbox.class);
    public static final String TEMPLATE_VERSION_MISMATCH = "TEMPLATE_VERSION_MISMATCH";

    private final CsvOrderProcessor processor;
    private final FileReceipts receipts;
    private final Path tempRoot;
    private final int chunkRows;
    private final int maxRowsPerOrder;

    public CsvOrderInbox(CsvOrderProcessor processor, FileReceipts receipts, Path tempRoot, int chunkRows,
            int maxRowsPerOrder) {
        this.processor = processor;
        this.receipts = receipts;
        this.tempRoot = tempRoot;
        this.chunkRows = chunkRows;
        this.maxRowsPerOrder = maxRowsPerOrder;
        removeLeftovers(tempRoot, java.time.Instant.now());
    }

    /** The {@code orders} kind of DESIGN §5, with its template line. */
    public FileKind kind() {
        return new FileKind(OrdersTemplate.KIND, OrdersTemplate.FILE_NAME, OrdersTemplate.EXPECTED_NAME,
                OrdersTemplate.HEADER, this,
                new FileKind.TemplateLine(TEMPLATE_VERSION_MISMATCH, OrdersTemplate::templateProblem));
    }

    // ---- the intake's steps --------------------------------------------------------------------

    /** When the file's rows started (for the report's timing). */
    private record Started(long nanos) {}

    @Override
    public void begin(FileContext file, Connection c) {
        file.state(Started.class, () -> new Started(System.nanoTime()));
    }

    /**
     * A row without an order_id belongs to no order: it is held alone (the rest of the file goes on). So is a row whose
     * order_id cannot be stored (longer than the orders table keeps, or with a NUL character): it can name no order,
     * and as an order's id it failed the whole file (the key of its order's hold, or PostgreSQL's look-up, refused it).
     */
    @Override
    public CsvOrderRow parse(FileRow row, FileContext file) {
        List<String> values = new ArrayList<>(OrdersTemplate.HEADER.size());
        for (String column : OrdersTemplate.HEADER) {
            values.add(row.value(column));
        }
        CsvOrderRow parsed = new CsvOrderRow(row.row(), values);
        if (parsed.orderId().isEmpty()) {
            throw RowRejected.badRow("row " + row.row() + ": order_id is empty; a line item without its order "
                    + "cannot be grouped (correct the row and release this hold)");
        }
        String unstorable = StoredWidths.unstorable(OrdersTemplate.ORDER_ID, parsed.orderId(), StoredWidths.EXTERNAL_ID);
        if (unstorable != null) {
            throw RowRejected.badRow("row " + row.row() + ": " + unstorable + "; a line item whose order cannot be "
                    + "named is not grouped (correct the row and release this hold)");
        }
        return parsed;
    }

    /** Rows are staged by apply and applied, order by order, by end. */
    @Override
    public boolean stagesRows() {
        return true;
    }

    /** Stages the rows; orders are decided at the end, when all their rows are known. */
    @Override
    public void apply(RowBatch<CsvOrderRow> batch, Connection c) throws java.sql.SQLException {
        FileContext file = batch.file();
        if (file.isReplay()) {
            // a row held alone (it had no order_id), corrected and released: it is an order of its own; a row of
            // an order held waiting for it is not: that order is released with it, never created from it alone
            for (RowBatch.Parsed<CsvOrderRow> row : batch.rows()) {
                java.util.Optional<Long> waiting = processor.heldWaitingForARow(c, file.checksum(), row.value().orderId());
                if (waiting.isPresent()) {
                    batch.hold(row, "BAD_ROW", "row " + row.row().row() + " belongs to order " + row.value().orderId()
                            + ", held as hold " + waiting.get() + " until this line is added: release hold "
                            + waiting.get() + " with this row added to its rows (this row alone is not the order)");
                    continue;
                }
                OrderGroup group = new OrderGroup(row.value().orderId(), List.of(row.value()), 0);
                CsvOrderProcessor.Tally tally = new CsvOrderProcessor.Tally();
                processor.process(List.of(group).iterator(), info(file), tally, Map.of(), x -> { });
                if (tally.held > 0) {
                    Map<String, Object> held = tally.heldOrders.get(0);
                    LOG.info("released row {} of {} became order {}, held as hold {}", row.row().row(), file.name(),
                            group.orderId(), held.get("holdId"));
                }
            }
            return;
        }
        OrderRowSorter sorter = sorter(file);
        for (RowBatch.Parsed<CsvOrderRow> row : batch.rows()) {
            sorter.add(row.value());
        }
    }

    /** Rows the intake held itself, by order: such an order must not be applied without them. */
    private static final class Unreadable {
        final Map<String, Long> rowByOrder = new java.util.HashMap<>();
    }

    /**
     * A row with the wrong number of fields is held alone by the intake; if it names its order, that order
     * is held with it at the end rather than accepted without the line. If the CSV breaks off, no order is
     * applied at all: the rows of any order may have stood after the break.
     */
    @Override
    public void heldBeforeApply(FileRow row, String reasonCode, FileContext file) {
        if (file.isReplay()) {
            return;
        }
        if (row.raw() == null) {
            OrderRowSorter sorter = sorter(file);
            file.heldAfterApply(sorter.rows());
            Map<String, Object> orders = new java.util.LinkedHashMap<>();
            orders.put("read", 0);
            orders.put("accepted", 0);
            orders.put("held", 0);
            orders.put("duplicate", 0);
            orders.put("notApplied", "the file broke off at row " + row.row() + "; no order of it was applied, since "
                    + "the rows of any order may stand after that point: fix the file and drop it again");
            file.report("orders", orders);
            file.summary("orders: none applied; the file broke off at row " + row.row());
            sorter.close();
            return;
        }
        String orderId = row.get(OrdersTemplate.ORDER_ID);
        if (!orderId.isEmpty()) {
            file.state(Unreadable.class, Unreadable::new).rowByOrder.putIfAbsent(orderId, row.row());
        }
    }

    @Override
    public void end(FileContext file, Connection c) {
        CsvOrderProcessor.Tally tally = new CsvOrderProcessor.Tally();
        long started = System.nanoTime();
        Map<String, Long> unreadable = file.state(Unreadable.class, Unreadable::new).rowByOrder;
        try (OrderRowSorter sorter = sorter(file)) {
            Iterator<OrderGroup> groups = sorter.groups();
            processor.process(groups, info(file), tally, unreadable,
                    tx -> receipts.heartbeat(tx, file.receiptId()));
        } catch (RuntimeException e) {
            // the orders decided before the failure are committed: the file's counts say so, not the rows staged
            file.appliedAtEnd(tally.rowsApplied);
            file.heldAfterApply(tally.rowsHeld);
            Map<String, Object> orders = tally.view();
            orders.put("notApplied", "the file failed while its orders were applied; the orders counted here were "
                    + "decided before that, the others were not applied");
            file.report("orders", orders);
            throw e;
        }
        long ms = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        long totalMs = Math.max(1, (System.nanoTime() - file.state(Started.class, () -> new Started(started)).nanos())
                / 1_000_000);
        file.heldAfterApply(tally.rowsHeld);
        Map<String, Object> orders = tally.view();
        // read and staged, then grouped and applied: where the time of a large file goes
        orders.put("readAndStagedMs", totalMs - ms);
        orders.put("groupedAndAppliedMs", ms);
        orders.put("ordersPerSecond", tally.read * 1000 / totalMs);
        file.report("orders", orders);
        String summary = "orders: read " + tally.read + ", accepted " + tally.accepted + ", held " + tally.held
                + ", duplicate " + tally.duplicate;
        file.summary(summary);
        LOG.info("file {}: {} ({} ms)", file.name(), summary, ms);
    }

    private OrderRowSorter sorter(FileContext file) {
        return file.state(OrderRowSorter.class, () -> new OrderRowSorter(tempRoot, chunkRows, maxRowsPerOrder));
    }

    private static CsvOrderProcessor.FileInfo info(FileContext file) {
        String channel = file.part("channel");
        if (channel == null) {
            channel = OrdersTemplate.channelOf(file.name()).orElse(null);
        }
        return new CsvOrderProcessor.FileInfo(channel, file.name(), file.checksum(), file.fileTime(), file.receiptId());
    }

    // ---- release of a held order (direct:csv-order) ----------------------------------------------

    /** Replays a held order's rows (as held, or corrected) and reports the outcome to the release. */
    public void replay(Exchange exchange) {
        Map<String, String> headers = HoldService.replayHeaders(exchange);
        CsvOrderProcessor.Replayed result = processor.replay(exchange.getMessage().getBody(String.class), headers,
                HoldService.replayOf(exchange));
        exchange.getMessage().setHeader(Headers.OUTCOME, result.result());
        if (result.orderId() != null) {
            exchange.getMessage().setHeader(Headers.ORDER_ID, result.orderId());
        }
        if (result.holdId() != null) {
            exchange.getMessage().setHeader(Headers.HOLD_ID, result.holdId());
        }
    }

    /** Run files of a file that was being grouped when the hub stopped: that file is taken again from the start. */
    /** How long a sort folder under the temporary root must have been untouched to be a dead process's leftover. */
    static final java.time.Duration LEFTOVER_AFTER = java.time.Duration.ofHours(1);

    /**
     * At start: the sort runs a stopped hub left behind. Only folders untouched for {@link #LEFTOVER_AFTER}: another
     * hub sharing the data folder may be sorting an orders file right now (its runs are written as it reads), and
     * clearing the whole root at this hub's start failed that file.
     */
    static void removeLeftovers(Path root, java.time.Instant now) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                if (lastTouched(entry).isBefore(now.minus(LEFTOVER_AFTER))) {
                    try (Stream<Path> files = Files.walk(entry)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("could not clear {}: {}", root, e.getMessage());
        }
    }

    /** The newest modification time in a folder's tree (a run file written lately keeps its folder alive). */
    private static java.time.Instant lastTouched(Path entry) throws IOException {
        try (Stream<Path> files = Files.walk(entry)) {
            return files.map(p -> {
                try {
                    return Files.getLastModifiedTime(p).toInstant();
                } catch (IOException e) {
                    return java.time.Instant.MAX; // gone or unreadable meanwhile: not a leftover to remove now
                }
            }).max(java.util.Comparator.naturalOrder()).orElse(java.time.Instant.MAX);
        }
    }
}
