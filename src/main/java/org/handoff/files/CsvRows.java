package org.handoff.files;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The records of a drop-folder file, exactly as {@link FileIntake#CSV} (commons-csv) reads them, with a fast path
 * for the common case. {@code fast}: a record without a {@code "} is split on commas straight from a character
 * buffer (what commons-csv makes of it too: no quoting, no trimming, empty lines skipped, CR, LF or CRLF ending
 * it), and a field's text that repeats one seen recently in the same column (a SKU listed once per location, a
 * location, a small count) is the same {@code String} again rather than a new one. The first record with a
 * {@code "} hands over to commons-csv for the rest of the file: it reads the file again from the start, skips
 * the records already returned and goes on, so quoting, broken quotes and their messages are commons-csv's own.
 * Not fast: commons-csv throughout.
 *
 * <p>{@link #next} throws what commons-csv's iterator throws when the CSV breaks ({@link UncheckedIOException},
 * {@link IllegalStateException}).
 */
final class CsvRows implements Closeable {

    private static final int COLUMN_CACHE = 256;

    private final Path path;
    private final int skipLines;
    private BufferedReader in;
    private char[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    /** Records returned so far (the header included): where commons-csv takes over. */
    private long returned;
    /** Fast: line ends read so far (the skipped lines included), a CRLF counting once. */
    private long linesEnded;
    /** Fast: the last character read was a CR (a LF right after it ends no line of its own). */
    private boolean afterCr;
    /** The line the last record returned starts on, and the line it ends on (1 = the file's first line). */
    private long line;
    private long lastLine;
    private CSVParser parser;
    private Iterator<CSVRecord> records;
    /** Per column, recent field texts by hash: repeated values are not allocated again. */
    private String[][] recent = new String[0][];
    private String[] fields = new String[8];

    CsvRows(Path path, int skipLines, boolean fast) throws IOException {
        this(path, skipLines, fast, 1 << 16);
    }

    /** {@code bufferChars}: the initial buffer (tests use tiny ones to cross its edges often). */
    CsvRows(Path path, int skipLines, boolean fast, int bufferChars) throws IOException {
        this.buf = new char[bufferChars];
        this.path = path;
        this.skipLines = skipLines;
        this.linesEnded = skipLines;
        this.lastLine = skipLines;
        if (fast) {
            in = FileIntake.skip(FileIntake.open(path), skipLines);
        } else {
            commonsCsv();
        }
    }

    /**
     * The line the last record returned by {@link #next} starts on, as an editor numbers the file's lines (the
     * first line is 1, lines skipped before the header and empty lines count; a quoted value with line breaks in it
     * makes its record span several lines, and the record after it starts further down).
     */
    long line() {
        return line;
    }

    /**
     * Where the record that {@link #next} could not read starts: the first line after the last record returned
     * that is not empty (the file is read again up to there; only called once the CSV broke).
     */
    long brokenLine() {
        long at = lastLine + 1;
        try (BufferedReader reader = FileIntake.open(path)) {
            for (long k = 1; k < at; k++) {
                reader.readLine();
            }
            for (String text = reader.readLine(); text != null && text.isEmpty(); text = reader.readLine()) {
                at++;
            }
        } catch (IOException e) {
            // the line after the last record read, as good a place as any
        }
        return at;
    }

    /** The next record's fields, or null after the last one. */
    String[] next() {
        if (records != null) {
            if (!records.hasNext()) {
                return null;
            }
            returned++;
            String[] values = records.next().values();
            // the parser counts the lines it read up to the record's end; its quoted line breaks say where it began
            lastLine = skipLines + parser.getCurrentLineNumber();
            line = lastLine - lineBreaks(values);
            return values;
        }
        try {
            return nextFast();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String[] nextFast() throws IOException {
        // empty lines are skipped (a CRLF's LF reads as one), and counted
        while (true) {
            if (pos == limit && !fill()) {
                return null;
            }
            char ch = buf[pos];
            if (ch != '\n' && ch != '\r') {
                break;
            }
            lineEnd(ch);
            pos++;
        }
        afterCr = false;
        line = linesEnded + 1;
        int start = pos;
        int i = pos;
        int n = 0;
        int fieldStart = start;
        while (true) {
            if (i == limit) {
                int consumed = start;
                boolean more = fill(start); // moves the record to the buffer's start
                i -= consumed;
                fieldStart -= consumed;
                start = 0;
                if (!more) {
                    break; // the last record, without a line end
                }
                continue;
            }
            char ch = buf[i];
            if (ch == '\n' || ch == '\r') {
                break;
            }
            if (ch == '"') {
                pos = start;
                return handOver();
            }
            if (ch == ',') {
                addField(n++, fieldStart, i);
                fieldStart = i + 1;
            }
            i++;
        }
        addField(n++, fieldStart, i);
        if (i < limit) {
            lineEnd(buf[i]);
            pos = i + 1;
        } else {
            pos = i;
        }
        lastLine = line;
        returned++;
        return Arrays.copyOf(fields, n);
    }

    /** A CR, a LF, or the LF of a CRLF (which ends no line of its own). */
    private void lineEnd(char ch) {
        if (ch == '\r') {
            linesEnded++;
            afterCr = true;
        } else {
            if (!afterCr) {
                linesEnded++;
            }
            afterCr = false;
        }
    }

    /** Line breaks inside a record's quoted values (CR, LF or CRLF, each one), as the parser counts lines. */
    private static int lineBreaks(String[] values) {
        int breaks = 0;
        for (String v : values) {
            if (v == null) {
                continue;
            }
            for (int k = 0; k < v.length(); k++) {
                char ch = v.charAt(k);
                if (ch == '\r' || ch == '\n' && (k == 0 || v.charAt(k - 1) != '\r')) {
                    breaks++;
                }
            }
        }
        return breaks;
    }

    private void addField(int column, int from, int to) {
        if (column == fields.length) {
            fields = Arrays.copyOf(fields, column * 2);
        }
        if (column >= recent.length) {
            recent = Arrays.copyOf(recent, column + 1);
        }
        String[] cache = recent[column];
        if (cache == null) {
            cache = recent[column] = new String[COLUMN_CACHE];
        }
        int h = 0;
        for (int k = from; k < to; k++) {
            h = 31 * h + buf[k];
        }
        int slot = (h ^ (h >>> 16)) & (COLUMN_CACHE - 1);
        String known = cache[slot];
        if (known != null && same(known, from, to)) {
            fields[column] = known;
        } else {
            String text = new String(buf, from, to - from);
            cache[slot] = text;
            fields[column] = text;
        }
    }

    private boolean same(String known, int from, int to) {
        if (known.length() != to - from) {
            return false;
        }
        for (int k = from; k < to; k++) {
            if (known.charAt(k - from) != buf[k]) {
                return false;
            }
        }
        return true;
    }

    private boolean fill() throws IOException {
        return fill(pos);
    }

    /** Keeps the characters from {@code keep} on (moved to the start), reads more. False at the end of the file. */
    private boolean fill(int keep) throws IOException {
        int kept = limit - keep;
        if (keep > 0) {
            System.arraycopy(buf, keep, buf, 0, kept);
        }
        pos -= keep;
        limit = kept;
        if (eof) {
            return false;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2); // a record longer than the buffer
        }
        int read = in.read(buf, limit, buf.length - limit);
        if (read < 0) {
            eof = true;
            return false;
        }
        limit += read;
        return true;
    }

    /** A record with a quote: commons-csv from here on (it re-reads the file and skips what was returned). */
    private String[] handOver() throws IOException {
        in.close();
        in = null;
        long skip = returned;
        commonsCsv();
        for (long k = 0; k < skip; k++) {
            records.next();
        }
        return next();
    }

    private void commonsCsv() throws IOException {
        BufferedReader reader = FileIntake.skip(FileIntake.open(path), skipLines);
        parser = FileIntake.CSV.parse(reader);
        records = parser.iterator();
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
        if (parser != null) {
            parser.close();
        }
    }
}
