package org.handoff.csvinbox;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.handoff.holds.HoldRequest;
import org.handoff.holds.HoldService;
import org.handoff.holds.HoldStore;
import org.handoff.order.CanonicalOrder;

import org.handoff.order.OrderPipeline;
import org.handoff.order.Source;
import org.handoff.order.StoredWidths;
import org.handoff.store.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the grouped orders of a CSV file to the order pipeline, the very one webhooks use: each group
 * is checked ({@link OrderGroupCheck}), assembled ({@link CsvOrderAssembler}) and submitted with intent
 * CREATE under its (channel, order_id), so an order already known from any door is a duplicate.
 *
 * <p>Orders are committed in batches (one transaction per {@code batchOrders}, stock rows locked in
 * sorted order first, as the webhook writer does), which is what makes a 100,000-order file quick. If a
 * batch fails for a reason other than the store being down, it is redone one order per transaction so
 * the one bad order is held and the others still apply.
 *
 * <p>A held order keeps its rows as a small orders file (template line, header, its rows); release
 * replays that (or a corrected version) through {@link #ENTRY}.
 */
public final class CsvOrderProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CsvOrderProcessor.class);

    public static final String ENTRY = "direct:csv-order";
    public static final String ACTOR = "system:csv-inbox";
    public static final String SOURCE = "file:" + OrdersTemplate.KIND;
    /** Hold headers a replay needs: which file and rows the order came from, and its channel. */
    public static final String FILE_NAME = "HandoffFileName";
    public static final String FILE_ROWS = "HandoffFileRows";
    public static final String CHANNEL = "HandoffOrderChannel";
    /** On the hold of an order that waits for an unreadable row of its file: that row's number. */
    public static final String UNREAD_ROW = "HandoffUnreadRow";
    private static final int REPORT_HELD_ORDERS = 100;
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();

    /** The file the orders came from. */
    /** The file an order's rows came from; {@code receiptId} 0 when not known (a released order). */
    public record FileInfo(String channel, String name, String checksum, Instant fileTime, long receiptId) {
        public FileInfo(String channel, String name, String checksum, Instant fileTime) {
            this(channel, name, checksum, fileTime, 0);
        }
    }

    /** What became of a file's orders, for its receipt and report. */
    public static final class Tally {
        public long read;
        public long accepted;
        public long held;
        public long duplicate;
        public long ignored;
        public long rowsApplied;
        public long rowsHeld;
        public final Map<String, Long> heldByReason = new LinkedHashMap<>();
        public final List<Map<String, Object>> heldOrders = new ArrayList<>();

        void count(String result, OrderGroup group, Long holdId, String reason, String detail) {
            read++;
            switch (result) {
                case "accepted" -> accepted++;
                case "duplicate" -> duplicate++;
                case "held" -> held++;
                default -> ignored++;
            }
            if ("held".equals(result)) {
                rowsHeld += group.size();
                heldByReason.merge(reason == null ? "UNKNOWN" : reason, 1L, Long::sum);
                if (heldOrders.size() < REPORT_HELD_ORDERS) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("orderId", group.orderId());
                    m.put("rows", group.rowNumbers());
                    m.put("reasonCode", reason);
                    m.put("holdId", holdId);
                    m.put("detail", detail);
                    heldOrders.add(m);
                }
            } else {
                rowsApplied += group.size();
            }
        }

        public Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("read", read);
            m.put("accepted", accepted);
            m.put("held", held);
            m.put("duplicate", duplicate);
            if (ignored > 0) {
                m.put("ignored", ignored);
            }
            m.put("heldByReason", heldByReason);
            m.put("heldOrders", heldOrders);
            if (held > heldOrders.size()) {
                m.put("heldOrdersNote", "first " + heldOrders.size() + " of " + held
                        + " held orders listed; GET /api/holds?status=open lists all");
            }
            return m;
        }
    }

    /** One group on its way: either a draft for the pipeline or the problems that hold it as BAD_ROW. */
    private record Item(OrderGroup group, CanonicalOrder draft, Source source, List<String> problems) {}

    private final Jdbc jdbc;
    private final OrderPipeline pipeline;
    private final HoldStore holds;
    private final OrderGroupCheck check;
    private final int batchOrders;

    public CsvOrderProcessor(Jdbc jdbc, OrderPipeline pipeline, HoldStore holds, int maxRowsPerOrder, int batchOrders) {
        this.jdbc = jdbc;
        this.pipeline = pipeline;
        this.holds = holds;
        this.check = new OrderGroupCheck(maxRowsPerOrder);
        this.batchOrders = Math.max(1, batchOrders);
    }

    // ---- a whole file ---------------------------------------------------------------------------

    /** Runs inside each batch's transaction (the file receipt's heartbeat). */
    @FunctionalInterface
    public interface BatchHook {
        void run(Connection c) throws SQLException;
    }

    /**
     * @param unreadable orders one of whose rows the intake could not read (held alone), by order_id and row:
     *                   such an order is held BAD_ROW rather than accepted without that line
     */
    public void process(Iterator<OrderGroup> groups, FileInfo file, Tally tally, Map<String, Long> unreadable,
            BatchHook hook) {
        // the next batches are grouped, checked and assembled on a second thread while this one writes
        try (Preparer batches = new Preparer(groups, file, unreadable)) {
            for (List<Item> batch = batches.next(); batch != null; batch = batches.next()) {
                submitBatch(batch, tally, hook);
            }
        }
    }

    /** A group made ready for the pipeline; an order with an unreadable row is held with it, not applied. */
    private Item prepared(OrderGroup group, FileInfo file, Map<String, Long> unreadable) {
        Long missing = unreadable.get(group.orderId());
        Item item = item(group, file, null, missing);
        if (missing != null) {
            List<String> problems = new ArrayList<>(item.problems());
            problems.add("row " + missing + " of order " + item.group().orderId() + " could not be read and is "
                    + "held on its own; this order waits for it (release this hold with the line added)");
            item = new Item(item.group(), null, item.source(), problems);
        }
        return item;
    }

    /**
     * Reads the grouped rows (the sorter's merge of its run files), checks and assembles each order, and hands
     * out whole batches, on a thread of its own: on two cores the next batch is made ready while the caller's
     * thread writes the last one. At most {@link #AHEAD} batches wait, so memory stays bounded. Nothing here
     * touches the store; a failure (a run file that cannot be read) is rethrown to the caller.
     */
    private final class Preparer implements AutoCloseable {
        private static final int AHEAD = 1;
        private final Object end = new Object();
        private final java.util.concurrent.BlockingQueue<Object> ready =
                new java.util.concurrent.ArrayBlockingQueue<>(AHEAD);
        private final Thread thread;
        private volatile boolean stopped;

        Preparer(Iterator<OrderGroup> groups, FileInfo file, Map<String, Long> unreadable) {
            thread = new Thread(() -> run(groups, file, unreadable), "csv-inbox-prepare " + file.name());
            thread.setDaemon(true);
            thread.start();
        }

        private void run(Iterator<OrderGroup> groups, FileInfo file, Map<String, Long> unreadable) {
            try {
                List<Item> batch = new ArrayList<>(batchOrders);
                while (!stopped && groups.hasNext()) {
                    batch.add(prepared(groups.next(), file, unreadable));
                    if (batch.size() >= batchOrders) {
                        hand(batch);
                        batch = new ArrayList<>(batchOrders);
                    }
                }
                if (!batch.isEmpty()) {
                    hand(batch);
                }
                hand(end);
            } catch (Throwable t) {
                try {
                    hand(t);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Waits for room, unless the caller stopped taking (it failed or finished). */
        private void hand(Object o) throws InterruptedException {
            while (!stopped) {
                if (ready.offer(o, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        }

        /** The next batch, or null after the last. */
        @SuppressWarnings("unchecked")
        List<Item> next() {
            Object o;
            try {
                o = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the orders were grouped", e);
            }
            if (o == end) {
                return null;
            }
            if (o instanceof RuntimeException e) {
                throw e;
            }
            if (o instanceof Error e) {
                throw e;
            }
            if (o instanceof Throwable t) {
                throw new IllegalStateException(t);
            }
            return (List<Item>) o;
        }

        /** Stops the thread (never interrupted: it may be reading a run file) and waits for it. */
        @Override
        public void close() {
            stopped = true;
            ready.clear();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Item item(OrderGroup group, FileInfo file, Long replayOf) {
        return item(group, file, replayOf, null);
    }

    private Item item(OrderGroup group, FileInfo file, Long replayOf, Long unreadRow) {
        List<String> problems = check.problems(group);
        Source source = source(group, file, replayOf, unreadRow);
        if (!problems.isEmpty()) {
            return new Item(group, null, source, problems);
        }
        CanonicalOrder draft = CsvOrderAssembler.assemble(file.channel(), group);
        List<String> overlong = StoredWidths.unstorable(draft);
        return overlong.isEmpty() ? new Item(group, draft, source, problems)
                : new Item(group, null, source, overlong.stream().map(p -> "order " + group.orderId() + ": " + p).toList());
    }

    private void submitBatch(List<Item> batch, Tally tally, BatchHook hook) {
        if (batch.isEmpty()) {
            return;
        }
        List<Decided> decided;
        try {
            decided = jdbc.inTransaction(c -> {
                hook.run(c);
                return decideAll(c, batch);
            });
        } catch (RuntimeException e) {
            if (HoldService.isTransient(e) || batch.size() == 1) {
                throw e;
            }
            LOG.warn("a batch of {} CSV orders failed ({}); applying them one by one", batch.size(), Jdbc.describe(e));
            decided = new ArrayList<>();
            for (Item item : batch) {
                decided.addAll(alone(item));
            }
        }
        Set<String> changed = new TreeSet<>();
        for (Decided d : decided) {
            tally.count(d.result(), d.item().group(), d.holdId(), d.reason(), d.detail());
            changed.addAll(d.changedSkus());
        }
        pipeline.notifyStockChanged(changed);
    }

    /** An order that failed in a batch, tried alone; if it fails alone too it is held, not lost. */
    private List<Decided> alone(Item item) {
        try {
            return jdbc.inTransaction(c -> decideAll(c, List.of(item)));
        } catch (RuntimeException e) {
            if (HoldService.isTransient(e)) {
                throw e;
            }
            // ids and the failure's kind only: a driver's message quotes the refused values (addresses, emails)
            LOG.error("CSV order {} ({}) could not be applied: {}", item.group().orderId(), item.source().deliveryKey(),
                    Jdbc.describe(e));
            LOG.debug("CSV order {} could not be applied", item.group().orderId(), e);
            String detail = "could not be applied: " + e.getMessage();
            long holdId = holds.raise(hold(item, HoldService.PROCESSING_ERROR, detail), item.source().replayOf());
            return List.of(new Decided(item, "held", null, holdId, HoldService.PROCESSING_ERROR, detail, Set.of()));
        }
    }

    private record Decided(Item item, String result, String orderId, Long holdId, String reason, String detail,
            Set<String> changedSkus) {}

    /** The batch's good groups go through the pipeline together (as the webhook writer's do); broken ones are held. */
    private List<Decided> decideAll(Connection c, List<Item> batch) throws SQLException {
        List<OrderPipeline.Submission> submissions = new ArrayList<>();
        for (Item item : batch) {
            if (item.draft() != null) {
                submissions.add(new OrderPipeline.Submission(item.draft(), item.source()));
            }
        }
        java.util.Iterator<OrderPipeline.Outcome> outcomes = pipeline.submitAll(c, submissions).iterator();
        List<Decided> out = new ArrayList<>(batch.size());
        for (Item item : batch) {
            out.add(item.draft() == null ? badRow(c, item) : decided(c, item, outcomes.next()));
        }
        return out;
    }

    private Decided decided(Connection c, Item item, OrderPipeline.Outcome outcome) throws SQLException {
        String reason = null;
        String detail = null;
        if ("held".equals(outcome.result()) && outcome.holdId() != null) {
            Optional<String[]> hold = Jdbc.queryOne(c, "select reason_code, detail from holds where hold_id = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, outcome.holdId());
            reason = hold.map(h -> h[0]).orElse(null);
            detail = hold.map(h -> h[1]).orElse(null);
        }
        return new Decided(item, outcome.result(), outcome.orderId(), outcome.holdId(), reason, detail,
                outcome.changedSkus());
    }

    /**
     * Rows that cannot make one order. If the order is already known (from a webhook, an earlier file), these
     * rows are only a broken copy of it: a duplicate that changes nothing. Otherwise they are held BAD_ROW.
     */
    private Decided badRow(Connection c, Item item) throws SQLException {
        String channel = item.source().channel();
        Optional<String> known = item.source().replayOf() != null ? Optional.empty() : Jdbc.queryOne(c,
                "select order_id from orders where channel = ? and external_id = ?", rs -> rs.getString(1),
                channel, item.group().orderId());
        if (known.isPresent()) {
            return new Decided(item, "duplicate", known.get(), null, null, null, Set.of());
        }
        String detail = String.join("; ", item.problems());
        long holdId = holds.raise(c, hold(item, OrderGroupCheck.BAD_ROW, detail), item.source().replayOf());
        LOG.info("CSV order {} of {} held BAD_ROW (hold {}, rows {})", item.group().orderId(),
                item.source().headers().get(FILE_NAME), holdId, item.group().rowNumbers());
        return new Decided(item, "held", null, holdId, OrderGroupCheck.BAD_ROW, detail, Set.of());
    }

    /**
     * The open hold of an order of this file that waits for one of its rows (the intake could not read that row):
     * found by the key {@link #hold} gives it.
     */
    public java.util.Optional<Long> heldWaitingForARow(Connection c, String checksum, String orderId) throws SQLException {
        if (checksum == null) {
            return java.util.Optional.empty();
        }
        return holds.findOpenByDedupeKey(c, "csv-order:" + checksum + ":" + orderId).map(h -> h.holdId());
    }

    private HoldRequest hold(Item item, String reason, String detail) {
        Source s = item.source();
        HoldRequest request = new HoldRequest(reason, SOURCE, subject(s.channel(), item.group(), s.headers().get(FILE_NAME)),
                detail, s.payload(), s.headers(), ENTRY, null);
        String checksum = s.headers().get("HandoffFileChecksum");
        return s.replayOf() == null && checksum != null
                // the same content taken again after a crash holds the same order once
                ? request.withDedupeKey("csv-order:" + checksum + ":" + item.group().orderId())
                : request;
    }

    private static String subject(String channel, OrderGroup group, String fileName) {
        return channel + " order " + group.orderId() + " (" + fileName + " rows " + group.rowNumbers() + ")";
    }

    /** Who the order came from, and what a release needs to replay it through {@link #ENTRY}. */
    private static Source source(OrderGroup group, FileInfo file, Long replayOf, Long unreadRow) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(FILE_NAME, file.name());
        headers.put(FILE_ROWS, group.rowNumbers());
        headers.put(CHANNEL, file.channel());
        if (file.checksum() != null) {
            headers.put("HandoffFileChecksum", file.checksum());
        }
        if (unreadRow != null) {
            headers.put(UNREAD_ROW, unreadRow.toString());
            headers.put(org.handoff.files.FileIntake.RECEIPT, Long.toString(file.receiptId()));
        }
        return new Source(file.channel(), ACTOR, Source.Intent.CREATE, file.fileTime(),
                "file " + file.name() + " rows " + group.rowNumbers(), asFile(group), headers, ENTRY, replayOf);
    }

    /** The order's rows as a small orders file: what its hold keeps and what release replays. */
    static String asFile(OrderGroup group) {
        StringBuilder out = new StringBuilder(FILE_HEAD.length() + 160 * group.rows().size()).append(FILE_HEAD);
        // one printer for all rows (CSV.format makes a writer and a printer per row; this is per order of a
        // 100,000-order file); its record separator is the "\r\n" each row ends with
        try (CSVPrinter printer = new CSVPrinter(out, CSV)) {
            for (CsvOrderRow row : group.rows()) {
                printer.printRecord(row.values());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return out.toString();
    }

    /** The template line and the header, as every held order's small file starts. */
    private static final String FILE_HEAD = OrdersTemplate.TEMPLATE_LINE + "\r\n"
            + CSV.format(OrdersTemplate.HEADER.toArray()) + "\r\n";

    // ---- release of a held order ------------------------------------------------------------------

    /** The result of a replay: accepted, held (with its hold), or duplicate. */
    public record Replayed(String result, String orderId, Long holdId) {}

    /**
     * Replays a held order: the payload is its rows as a small orders file (as held, or corrected by the
     * operator). Still wrong: the same hold is updated (the pipeline or {@link #badRow} raise it with
     * {@code replayOf}).
     */
    public Replayed replay(String payload, Map<String, String> headers, Long replayOf) {
        String fileName = headers.getOrDefault(FILE_NAME, "released payload");
        String channel = headers.get(CHANNEL);
        if (channel == null) {
            channel = OrdersTemplate.channelOf(fileName).orElse(null);
        }
        FileInfo file = new FileInfo(channel, fileName, null, null);
        OrderGroup group;
        List<String> problems = new ArrayList<>();
        try {
            group = parseOne(payload, problems);
        } catch (IllegalArgumentException e) {
            long holdId = holds.raise(new HoldRequest(OrderGroupCheck.BAD_ROW, SOURCE, fileName, e.getMessage(), payload,
                    headers, ENTRY, null), replayOf);
            return new Replayed("held", null, holdId);
        }
        Item item = item(group, file, replayOf);
        if (!problems.isEmpty()) {
            List<String> all = new ArrayList<>(problems);
            all.addAll(item.problems());
            item = new Item(group, null, item.source(), all);
        }
        Item chosen = item;
        Decided d = jdbc.inTransaction(c -> {
            Decided decided = decideAll(c, List.of(chosen)).get(0);
            closeUnreadRowHold(c, decided, headers, replayOf);
            return decided;
        });
        pipeline.notifyStockChanged(d.changedSkus());
        return new Replayed(d.result(), d.orderId(), d.holdId());
    }

    /**
     * An order held waiting for its unreadable row, released and decided (with the row added, or without it, as the
     * operator chose): that row's own hold is settled by it and closes (before, it stayed open, and releasing it
     * answered only "duplicate"). Still held BAD_ROW: both stay open.
     */
    private void closeUnreadRowHold(Connection c, Decided d, Map<String, String> headers, Long replayOf)
            throws SQLException {
        String row = headers.get(UNREAD_ROW);
        String checksum = headers.get("HandoffFileChecksum");
        String receipt = headers.get(org.handoff.files.FileIntake.RECEIPT);
        if (row == null || checksum == null || ("held".equals(d.result()) && OrderGroupCheck.BAD_ROW.equals(d.reason()))) {
            return;
        }
        // an order held before row holds were keyed per receipt has no receipt header: its row hold has the old key
        Optional<org.handoff.holds.Hold> rowHold = holds.findOpenByDedupeKey(c, receipt != null
                ? org.handoff.files.FileIntake.rowHoldKey(OrdersTemplate.KIND, checksum, Long.parseLong(receipt),
                        Long.parseLong(row))
                : "file:" + OrdersTemplate.KIND + ":" + checksum + ":row:" + row);
        if (rowHold.isPresent() && holds.close(c, rowHold.get().holdId(), org.handoff.holds.HoldStatus.released)) {
            holds.recordAction(c, rowHold.get().holdId(), "release", ACTOR, "settled by the release of its order's hold "
                    + replayOf + " (order " + d.item().group().orderId() + ", " + d.result() + ", with the rows that "
                    + "release gave)", d.result());
        }
    }

    /** Parses a small orders file into one group; a payload that is not one order's rows is refused. */
    static OrderGroup parseOne(String payload, List<String> problems) {
        if (payload == null || payload.isBlank()) {
            throw new IllegalArgumentException("the released payload is empty; it must be the order's rows as an "
                    + "orders file (template line, header, rows)");
        }
        String text = payload.startsWith("\uFEFF") ? payload.substring(1) : payload;
        int firstBreak = text.indexOf('\n');
        String firstLine = firstBreak < 0 ? text : text.substring(0, firstBreak);
        String templateProblem = OrdersTemplate.templateProblem(firstLine.replace("\r", ""));
        if (templateProblem != null) {
            throw new IllegalArgumentException(templateProblem);
        }
        List<CsvOrderRow> rows = new ArrayList<>();
        try (CSVParser parser = CSV.parse(new StringReader(firstBreak < 0 ? "" : text.substring(firstBreak + 1)))) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext() || !it.next().toList().equals(OrdersTemplate.HEADER)) {
                throw new IllegalArgumentException("the released payload's second line must be the header "
                        + String.join(",", OrdersTemplate.HEADER));
            }
            long row = 2;
            while (it.hasNext()) {
                List<String> values = it.next().toList();
                row++;
                if (values.size() != OrdersTemplate.HEADER.size()) {
                    problems.add("row " + row + " has " + values.size() + " fields; the header has "
                            + OrdersTemplate.HEADER.size());
                    List<String> padded = new ArrayList<>(values);
                    while (padded.size() < OrdersTemplate.HEADER.size()) {
                        padded.add("");
                    }
                    values = padded.subList(0, OrdersTemplate.HEADER.size());
                }
                // what the intake holds in a file's row holds in a released one too
                List<String> unprintable = org.handoff.files.RowValues.controlCharacters(OrdersTemplate.HEADER, values);
                if (!unprintable.isEmpty()) {
                    problems.add("row " + row + ": " + String.join("; ", unprintable));
                }
                rows.add(new CsvOrderRow(row, values));
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new IllegalArgumentException("the released payload cannot be read as CSV: " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the released payload has no rows");
        }
        Set<String> ids = new TreeSet<>();
        rows.forEach(r -> ids.add(r.orderId()));
        if (ids.size() != 1 || ids.contains("")) {
            throw new IllegalArgumentException("the released payload must hold the rows of exactly one order_id; found "
                    + ids);
        }
        return new OrderGroup(ids.iterator().next(), rows, 0);
    }

}
