package org.handoff.csvinbox;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.stream.Stream;

/**
 * Groups the rows of an orders file by {@code order_id} in bounded memory, however the rows are spread
 * over the file: an external merge sort. Rows are buffered up to {@code chunkRows}; a full buffer is
 * sorted by (order_id, row) and written to a run file; {@link #groups()} merges the runs and hands out
 * one {@link OrderGroup} at a time. Memory holds one chunk while reading and one row per run (plus the
 * current group) while merging, so a file of any length fits a small heap. A file that fits one chunk
 * never touches the disk.
 */
public final class OrderRowSorter implements AutoCloseable {

    static final Comparator<CsvOrderRow> ORDER = Comparator.comparing(CsvOrderRow::orderId)
            .thenComparingLong(CsvOrderRow::row);

    private final Path tempRoot;
    private final int chunkRows;
    private final int maxRowsPerOrder;
    private final List<Path> runs = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private List<CsvOrderRow> buffer = new ArrayList<>();
    private Path dir;
    /** The run being sorted and written behind the reader, if any. */
    private java.util.concurrent.Future<Void> spilling;
    private long rows;
    private boolean grouping;

    /**
     * @param tempRoot        where run files go (a private folder is made under it, removed on close)
     * @param chunkRows       rows sorted in memory at a time
     * @param maxRowsPerOrder rows of one order kept in memory; more than that and the order is held
     */
    public OrderRowSorter(Path tempRoot, int chunkRows, int maxRowsPerOrder) {
        this.tempRoot = tempRoot;
        this.chunkRows = Math.max(1, chunkRows);
        this.maxRowsPerOrder = Math.max(1, maxRowsPerOrder);
    }

    public void add(CsvOrderRow row) {
        if (grouping) {
            throw new IllegalStateException("rows cannot be added once grouping started");
        }
        buffer.add(row);
        rows++;
        if (buffer.size() >= chunkRows) {
            spillBehind();
        }
    }

    /**
     * Sorts and writes the full buffer on a thread of its own while the caller goes on reading the file into a
     * fresh one: at most one run is being written at a time, so memory holds at most two chunks.
     */
    private void spillBehind() {
        awaitSpill();
        List<CsvOrderRow> full = buffer;
        buffer = new ArrayList<>(Math.min(chunkRows, 1 << 16));
        Path run = nextRun();
        java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
            write(full, run);
            return null;
        });
        spilling = task;
        Thread t = new Thread(task, "csv-inbox-sort-run");
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the run being written, if any; its failure is this sorter's. */
    private void awaitSpill() {
        java.util.concurrent.Future<Void> pending = spilling;
        spilling = null;
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a sort run was written", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    public long rows() {
        return rows;
    }

    /** How many run files were written (0: the file was grouped in memory). */
    public int runs() {
        return runs.size();
    }

    /** The orders, one group at a time, ordered by order_id; call once, after the last {@link #add}. */
    public Iterator<OrderGroup> groups() {
        if (grouping) {
            throw new IllegalStateException("groups() can be called once");
        }
        grouping = true;
        awaitSpill();
        Iterator<CsvOrderRow> merged;
        if (runs.isEmpty()) {
            buffer.sort(ORDER);
            merged = buffer.iterator();
        } else {
            if (!buffer.isEmpty()) {
                spill();
            }
            buffer = List.of();
            merged = merge();
        }
        return new Grouper(merged, maxRowsPerOrder);
    }

    private void spill() {
        List<CsvOrderRow> full = buffer;
        buffer = new ArrayList<>(Math.min(chunkRows, 1 << 16));
        write(full, nextRun());
    }

    /** The next run file's name, in a private folder made on first use; runs are listed in the order made. */
    private Path nextRun() {
        try {
            if (dir == null) {
                Files.createDirectories(tempRoot);
                dir = Files.createTempDirectory(tempRoot, "orders-sort-");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a sort run under " + tempRoot, e);
        }
        Path run = dir.resolve("run-" + runs.size() + ".bin");
        runs.add(run);
        return run;
    }

    private static void write(List<CsvOrderRow> rows, Path run) {
        rows.sort(ORDER);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run),
                64 * 1024))) {
            for (CsvOrderRow row : rows) {
                write(out, row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a sort run under " + run.getParent(), e);
        }
    }

    private static void write(DataOutputStream out, CsvOrderRow row) throws IOException {
        out.writeLong(row.row());
        out.writeShort(row.values().size());
        for (String v : row.values()) {
            byte[] bytes = (v == null ? "" : v).getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static CsvOrderRow read(DataInputStream in) throws IOException {
        long row;
        try {
            row = in.readLong();
        } catch (EOFException end) {
            return null;
        }
        int n = in.readUnsignedShort();
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            values.add(new String(bytes, StandardCharsets.UTF_8));
        }
        return new CsvOrderRow(row, values);
    }

    /** A k-way merge of the sorted runs: one buffered reader and one head row per run. */
    private Iterator<CsvOrderRow> merge() {
        record Head(CsvOrderRow row, DataInputStream in) {}
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::row, ORDER));
        try {
            for (Path run : runs) {
                DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 32 * 1024));
                open.add(in);
                CsvOrderRow first = read(in);
                if (first != null) {
                    heads.add(new Head(first, in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sort runs", e);
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public CsvOrderRow next() {
                Head head = heads.poll();
                if (head == null) {
                    throw new NoSuchElementException();
                }
                try {
                    CsvOrderRow following = read(head.in());
                    if (following != null) {
                        heads.add(new Head(following, head.in()));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read a sort run", e);
                }
                return head.row();
            }
        };
    }

    /** Cuts the sorted row stream into groups of equal order_id. */
    private static final class Grouper implements Iterator<OrderGroup> {
        private final Iterator<CsvOrderRow> rows;
        private final int max;
        private CsvOrderRow pending;

        Grouper(Iterator<CsvOrderRow> rows, int max) {
            this.rows = rows;
            this.max = max;
            this.pending = rows.hasNext() ? rows.next() : null;
        }

        @Override
        public boolean hasNext() {
            return pending != null;
        }

        @Override
        public OrderGroup next() {
            if (pending == null) {
                throw new NoSuchElementException();
            }
            String orderId = pending.orderId();
            List<CsvOrderRow> group = new ArrayList<>();
            long overflow = 0;
            while (pending != null && pending.orderId().equals(orderId)) {
                if (group.size() < max) {
                    group.add(pending);
                } else {
                    overflow++;
                }
                pending = rows.hasNext() ? rows.next() : null;
            }
            return new OrderGroup(orderId, group, overflow);
        }
    }

    /** Removes the run files. */
    @Override
    public void close() {
        try {
            awaitSpill();
        } catch (RuntimeException ignored) {
            // the run files are removed below either way
        }
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a read-only temp file
            }
        }
        open.clear();
        buffer = List.of();
        if (dir != null) {
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort; the folder is under data/tmp
            }
            dir.toFile().delete();
        }
    }
}
