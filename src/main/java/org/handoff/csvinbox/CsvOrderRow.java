package org.handoff.csvinbox;

import java.util.List;

/**
 * One line-item row of an orders file: its row number as the file shows it (the template line is row 1,
 * the header row 2) and its values in {@link OrdersTemplate#HEADER} order.
 */
public record CsvOrderRow(long row, List<String> values) {

    public CsvOrderRow {
        values = List.copyOf(values);
    }

    /** The trimmed value of a column ("" when empty). */
    public String get(String column) {
        return get(OrdersTemplate.column(column));
    }

    public String get(int index) {
        String v = index < values.size() ? values.get(index) : null;
        return v == null ? "" : v.strip();
    }

    public String orderId() {
        return get(0);
    }
}
