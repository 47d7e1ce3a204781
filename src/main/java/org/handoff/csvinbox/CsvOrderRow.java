package org.handoff.csvinbox;

import java.util.List;

/**
 * One line-item row of an orders file: the line it starts on, as the file shows it (the template line is row 1,
 * the header row 2, empty lines count) and its values in {@link OrdersTemplate#HEADER} order.
 */
public record CsvOrderRow(long row, List<String> values) {

    public CsvOrderRow {
        // order_id is compared on every step of the sort: trimmed once here rather than on each comparison
        if (!values.isEmpty() && values.get(0) != null && !values.get(0).equals(values.get(0).strip())) {
            java.util.ArrayList<String> trimmed = new java.util.ArrayList<>(values);
            trimmed.set(0, values.get(0).strip());
            values = trimmed;
        }
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
        String id = values.isEmpty() ? null : values.get(0);
        return id == null ? "" : id;
    }
}
