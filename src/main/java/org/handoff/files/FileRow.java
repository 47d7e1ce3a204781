package org.handoff.files;

import java.util.List;
import java.util.Map;

/**
 * One data row of a drop-folder file. {@code row} is its row number as a spreadsheet shows it (the
 * header is row 1, or row 2 after a template line); {@code raw} is the row as CSV text, kept in its hold so it can be corrected and replayed.
 */
public record FileRow(long row, Map<String, String> values, String raw) {

    public FileRow {
        values = Map.copyOf(values);
    }

    /** The trimmed value of a column ("" when empty). */
    public String get(String column) {
        String v = values.get(column);
        return v == null ? "" : v.trim();
    }

    public static Map<String, String> zip(List<String> header, List<String> values) {
        java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < header.size() && i < values.size(); i++) {
            m.put(header.get(i), values.get(i));
        }
        return m;
    }
}
