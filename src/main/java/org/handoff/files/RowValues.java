package org.handoff.files;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.handoff.order.StoredWidths;

/** Strict readers for row values: anything doubtful is a BAD_ROW naming the row and the column. */
public final class RowValues {

    private RowValues() {}

    /** A whole number of at least {@code min} (digits only: "12", never "12.0", "1e3" or " 12 x"). */
    public static long wholeNumber(FileRow row, String column, long min) {
        String text = row.get(column);
        if (!isWholeNumber(text)) {
            throw RowRejected.badRow("row " + row.row() + ": " + column + " '" + text + "' is not a whole number");
        }
        long value = Long.parseLong(text);
        if (value < min) {
            throw RowRejected.badRow("row " + row.row() + ": " + column + " " + value + " is below " + min);
        }
        return value;
    }

    /** {@code [+-]?[0-9]{1,18}}: fits a long, no decimals, exponent, spaces or other digits (a loop: it runs per row). */
    static boolean isWholeNumber(String text) {
        int start = !text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-') ? 1 : 0;
        int digits = text.length() - start;
        if (digits < 1 || digits > 18) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    /** ISO 8601 with an offset ({@code 2026-12-01T08:00:00Z}) or a plain date (midnight UTC). */
    public static Instant instant(FileRow row, String column) {
        String text = row.get(column);
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw RowRejected.badRow("row " + row.row() + ": " + column + " '" + text
                    + "' is not an ISO 8601 time (2026-12-01T08:00:00Z) or date (2026-12-01)");
        }
    }

    /**
     * The row's values against the widths their columns are stored in ({@code widths}: column to characters):
     * a value too long, or holding a NUL (which PostgreSQL cannot store), is this row's BAD_ROW naming every such
     * column, checked before anything is written, so the file's other rows still apply instead of the batch
     * failing in the database and taking the whole file with it.
     */
    public static void storable(FileRow row, Map<String, Integer> widths) {
        List<String> problems = null;
        for (String column : row.header()) {
            Integer width = widths.get(column);
            String problem = width == null ? null : StoredWidths.unstorable(column, row.get(column), width);
            if (problem != null) {
                if (problems == null) {
                    problems = new ArrayList<>();
                }
                problems.add(problem);
            }
        }
        if (problems != null) {
            throw RowRejected.badRow("row " + row.row() + ": " + String.join("; ", problems));
        }
    }

    /**
     * A row whose values carry a control character is this row's BAD_ROW, naming each such column: wherever it
     * stands in a value, at either end as in the middle (only the spaces and tabs around a value are trimmed). A
     * NUL cannot be stored at all; the others (a BEL, an ESC, a form feed, ...) are no part of any SKU, location,
     * code or name and would be kept invisibly. Tabs pass, and so do line breaks inside a value (a quoted cell over
     * several lines); a line break at either end of a value is held like any other control character there.
     */
    public static void printable(FileRow row) {
        List<String> problems = controlCharacters(row.header(), row.fields());
        if (!problems.isEmpty()) {
            throw RowRejected.badRow("row " + row.row() + ": " + String.join("; ", problems));
        }
    }

    /** One sentence per column whose value carries a control character ({@link #printable}); empty when none does. */
    public static List<String> controlCharacters(List<String> header, List<String> values) {
        List<String> problems = List.of();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            int bad = value == null ? -1 : controlCharacter(value);
            if (bad >= 0) {
                if (problems.isEmpty()) {
                    problems = new ArrayList<>();
                }
                String column = i < header.size() ? header.get(i) : "field " + (i + 1);
                problems.add(bad == 0 ? StoredWidths.unstorable(column, value, Integer.MAX_VALUE)
                        : column + " contains a control character (U+" + String.format("%04X", bad) + ")");
            }
        }
        return problems;
    }

    /** The first control character of a value once spaces and tabs around it are trimmed (a NUL first); -1: none. */
    private static int controlCharacter(String value) {
        int from = 0;
        int to = value.length();
        while (from < to && isSpaceOrTab(value.charAt(from))) {
            from++;
        }
        while (to > from && isSpaceOrTab(value.charAt(to - 1))) {
            to--;
        }
        for (int k = from; k < to; k++) {
            char ch = value.charAt(k);
            if (ch < 0x20 || ch >= 0x7F && ch <= 0x9F) {
                boolean inside = k > from && k < to - 1;
                if (ch == '\t' || (ch == '\n' || ch == '\r') && inside) {
                    continue;
                }
                return value.indexOf('\0') >= 0 ? 0 : ch; // a NUL is named as the one that cannot be stored
            }
        }
        return -1;
    }

    static boolean isSpaceOrTab(char ch) {
        return ch == ' ' || ch == '\t';
    }

    /** A non-empty value. */
    public static String required(FileRow row, String column) {
        String text = row.get(column);
        if (text.isEmpty()) {
            throw RowRejected.badRow("row " + row.row() + ": " + column + " is empty");
        }
        return text;
    }
}
