package org.handoff.csvinbox;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The rows of one {@code order_id}, wherever they stood in the file, in row order.
 *
 * @param overflow rows of this order beyond the kept ones (an order with more lines than any real order
 *                 has is held, not assembled)
 */
public record OrderGroup(String orderId, List<CsvOrderRow> rows, long overflow) {

    public OrderGroup {
        rows = List.copyOf(rows);
    }

    /** "3, 7, 12": the row numbers, for holds and reports. */
    public String rowNumbers() {
        String listed = rows.stream().map(r -> Long.toString(r.row())).collect(Collectors.joining(", "));
        return overflow > 0 ? listed + " and " + overflow + " more" : listed;
    }

    public long size() {
        return rows.size() + overflow;
    }
}
