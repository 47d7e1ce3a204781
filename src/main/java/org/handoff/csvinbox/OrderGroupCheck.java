package org.handoff.csvinbox;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.handoff.order.OrderLine;
import org.handoff.order.Prices;

/**
 * What must hold for the rows of one order before it can be assembled: the order-level columns say the
 * same on every row, and each line's quantity and price are numbers. Every problem names its rows, so
 * the order's BAD_ROW hold tells the operator where to look; the order is held, never the file.
 */
public final class OrderGroupCheck {

    public static final String BAD_ROW = "BAD_ROW";
    private static final String PHONE = "ship_phone";
    private static final int SHOWN_VALUE = 60;

    private final int maxRowsPerOrder;

    public OrderGroupCheck(int maxRowsPerOrder) {
        this.maxRowsPerOrder = maxRowsPerOrder;
    }

    /** Empty when the group can become an order. */
    public List<String> problems(OrderGroup group) {
        List<String> problems = new ArrayList<>();
        if (group.overflow() > 0) {
            problems.add("order " + group.orderId() + " has " + group.size() + " rows; at most " + maxRowsPerOrder
                    + " lines per order are taken (rows " + group.rowNumbers() + ")");
            return problems;
        }
        if (SCIENTIFIC.matcher(group.orderId()).matches()) {
            problems.add("order_id " + shown(group.orderId()) + " is a number in scientific notation, as a spreadsheet "
                    + "writes a long number it has rounded: the real order id is lost (and rows of other orders may "
                    + "carry the same one). Export the column as text and drop the file again, or release this hold "
                    + "with the rows' real order_id (rows " + group.rowNumbers() + ")");
            return problems;
        }
        for (String column : OrdersTemplate.ORDER_COLUMNS) {
            disagreement(group, column).ifPresent(problems::add);
        }
        String phone = group.rows().isEmpty() ? "" : group.rows().get(0).get(PHONE);
        if (SCIENTIFIC.matcher(phone).matches()) {
            // the carrier would be given a number that is not the customer's
            problems.add("ship_phone " + shown(phone) + " is a number in scientific notation, as a spreadsheet writes "
                    + "a long number it has rounded: the real phone number is lost (rows " + group.rowNumbers() + ")");
        }
        for (CsvOrderRow row : group.rows()) {
            lineProblem(row).ifPresent(problems::add);
        }
        return problems;
    }

    private static java.util.Optional<String> disagreement(OrderGroup group, String column) {
        int index = OrdersTemplate.column(column);
        boolean anyCase = OrdersTemplate.ANY_CASE_COLUMNS.contains(column);
        if (allAgree(group, index, anyCase)) {
            return java.util.Optional.empty(); // the common case, without building the rows-by-value map
        }
        Map<String, List<Long>> rowsByValue = new LinkedHashMap<>();
        Map<String, String> shownByValue = new LinkedHashMap<>();
        for (CsvOrderRow row : group.rows()) {
            String value = comparable(row.get(index), anyCase);
            shownByValue.putIfAbsent(value, row.get(index));
            rowsByValue.computeIfAbsent(value, v -> new ArrayList<>()).add(row.row());
        }
        if (rowsByValue.size() <= 1) {
            return java.util.Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        rowsByValue.forEach((value, rows) -> parts.add(shown(shownByValue.get(value)) + " (row"
                + (rows.size() > 1 ? "s " : " ") + String.join(", ", rows.stream().map(String::valueOf).toList()) + ")"));
        return java.util.Optional.of("rows of order " + group.orderId() + " disagree on " + column + ": "
                + String.join(" vs ", parts));
    }

    private static boolean allAgree(OrderGroup group, int index, boolean anyCase) {
        List<CsvOrderRow> rows = group.rows();
        if (rows.isEmpty()) {
            return true;
        }
        String first = rows.get(0).get(index);
        for (int i = 1; i < rows.size(); i++) {
            String other = rows.get(i).get(index);
            if (!(anyCase ? first.equalsIgnoreCase(other) : first.equals(other))) {
                return false;
            }
        }
        return true;
    }

    /** A value as the order would get it: a column written in one case whatever the row says compares in that case. */
    private static String comparable(String value, boolean anyCase) {
        return anyCase ? value.toUpperCase(java.util.Locale.ROOT) : value;
    }

    /**
     * A long number as a spreadsheet writes it in a "General" column: order id {@code 5810038866101} becomes
     * {@code 5.81004E+12} (so does a phone saved without its '+', or a variant id). No order id, phone or SKU looks
     * like that; the digits it stood for are gone.
     */
    private static final java.util.regex.Pattern SCIENTIFIC =
            java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+)?[eE]\\+[0-9]+");

    private static java.util.Optional<String> lineProblem(CsvOrderRow row) {
        String quantity = row.get(OrdersTemplate.QUANTITY);
        String problem = null;
        if (parseQuantity(quantity) == null) {
            problem = "quantity " + shown(quantity) + " is not a whole number from 1 to " + OrderLine.MAX_QUANTITY;
        }
        String sku = row.get(OrdersTemplate.SKU);
        if (SCIENTIFIC.matcher(sku).matches()) {
            problem = (problem == null ? "" : problem + "; ") + "sku " + shown(sku) + " is a number in scientific "
                    + "notation, as a spreadsheet writes a long variant id it has rounded: the real one is lost";
        }
        String price = row.get(OrdersTemplate.UNIT_PRICE);
        String priceProblem = price.isEmpty() ? null : Prices.problem(price, row.get("currency"));
        if (priceProblem != null) {
            problem = (problem == null ? "" : problem + "; ") + "unit_price " + shown(price) + " " + priceProblem;
        }
        return problem == null ? java.util.Optional.empty() : java.util.Optional.of("row " + row.row() + ": " + problem);
    }

    /** A whole number from 1 to {@link OrderLine#MAX_QUANTITY}, or null. */
    public static Integer parseQuantity(String text) {
        try {
            int q = Integer.parseInt(text.strip());
            return q > 0 && q <= OrderLine.MAX_QUANTITY ? q : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A non-negative decimal in plain digits (dot as separator, as every export writes it), or null: {@link Prices}. */
    public static BigDecimal parsePrice(String text) {
        return Prices.parse(text);
    }

    private static String shown(String value) {
        if (value.isEmpty()) {
            return "(empty)";
        }
        return "'" + (value.length() > SHOWN_VALUE ? value.substring(0, SHOWN_VALUE - 3) + "..." : value) + "'";
    }
}
