package org.handoff.files;

import java.util.List;

/**
 * One data row of a drop-folder file. {@code row} is the line it starts on, as an editor or a spreadsheet shows
 * the file (the first line is 1: the header, or a template line before it; empty lines count; a quoted value with
 * line breaks makes a row span lines, and it is numbered by its first). {@link #raw()} is the row as CSV text, kept in its hold so it can be corrected and
 * replayed; it is only built for rows that are held (a million-row file formats nothing).
 */
public record FileRow(long row, List<String> header, List<String> fields) {

    /**
     * The value of a column without the spaces and tabs around it ("" when empty or missing). Nothing else is
     * trimmed: a control character at either end stays, as in the middle ({@link RowValues#printable} holds it).
     */
    public String get(String column) {
        int i = header.indexOf(column);
        if (i < 0 || i >= fields.size()) {
            return "";
        }
        String v = fields.get(i);
        if (v == null) {
            return "";
        }
        int from = 0;
        int to = v.length();
        while (from < to && RowValues.isSpaceOrTab(v.charAt(from))) {
            from++;
        }
        while (to > from && RowValues.isSpaceOrTab(v.charAt(to - 1))) {
            to--;
        }
        return from == 0 && to == v.length() ? v : v.substring(from, to);
    }

    /** The value of a column as written ("" when missing). */
    public String value(String column) {
        int i = header.indexOf(column);
        if (i < 0 || fields == null || i >= fields.size()) {
            return "";
        }
        String v = fields.get(i);
        return v == null ? "" : v;
    }

    /** The row as CSV text (null for a row that could not be read at all). */
    public String raw() {
        return fields == null ? null : FileIntake.CSV.format(fields.toArray());
    }

    /** A row the CSV parser could not produce (the file breaks off there). */
    static FileRow unreadable(long row) {
        return new FileRow(row, List.of(), null);
    }
}
