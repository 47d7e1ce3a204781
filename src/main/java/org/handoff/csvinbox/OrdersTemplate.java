package org.handoff.csvinbox;

import java.util.List;
import java.util.Optional;

/**
 * The CSV inbox's file layout (DESIGN §5, kind {@code orders}): a template line naming the version,
 * then the exact header, then one row per line item. Rows with the same {@code order_id} are one order;
 * the order-level columns must say the same thing on every row of an order.
 */
public final class OrdersTemplate {

    public static final String KIND = "orders";
    public static final String VERSION = "orders-v1";
    /** The first line, exactly: {@code # template: orders-v1}. */
    public static final String TEMPLATE_PREFIX = "# template:";
    public static final String TEMPLATE_LINE = TEMPLATE_PREFIX + " " + VERSION;

    public static final String ORDER_ID = "order_id";
    public static final String SKU = "sku";
    public static final String QUANTITY = "quantity";
    public static final String UNIT_PRICE = "unit_price";

    public static final List<String> HEADER = List.of(ORDER_ID, "placed_at", "email", "ship_name", "ship_address1",
            "ship_address2", "ship_city", "ship_postcode", "ship_country", "ship_phone", "shipping_method", SKU,
            QUANTITY, UNIT_PRICE, "currency", "financial_status");

    /** Columns that describe the order, not the line: every row of one order must agree on them. */
    public static final List<String> ORDER_COLUMNS = HEADER.stream()
            .filter(c -> !c.equals(SKU) && !c.equals(QUANTITY) && !c.equals(UNIT_PRICE)).toList();

    /**
     * Order columns the order keeps in one case whatever a row writes ({@link CsvOrderAssembler}: country and currency
     * upper, financial status lower): rows that differ only in their case agree.
     */
    public static final List<String> ANY_CASE_COLUMNS = List.of("ship_country", "currency", "financial_status");

    /** {@code orders_<channel>_<ts>.csv}; the channel is lower case letters, digits and dashes. */
    public static final java.util.regex.Pattern FILE_NAME =
            java.util.regex.Pattern.compile("orders_(?<channel>[a-z0-9][a-z0-9-]*)_(?<ts>\\d{8}T\\d{6}Z)\\.csv");
    public static final String EXPECTED_NAME = "orders_<channel>_<ts>.csv";

    private OrdersTemplate() {}

    /** The channel a file name names, if it is an orders file name. */
    public static Optional<String> channelOf(String fileName) {
        java.util.regex.Matcher m = FILE_NAME.matcher(fileName == null ? "" : fileName);
        return m.matches() ? Optional.of(m.group("channel")) : Optional.empty();
    }

    public static int column(String name) {
        int i = HEADER.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name);
        }
        return i;
    }

    /**
     * The version a file's first line names ({@code # template: X} gives X), or empty when the first line
     * is not a template line at all (e.g. the file starts with the header).
     */
    public static Optional<String> templateVersion(String firstLine) {
        if (firstLine == null) {
            return Optional.empty();
        }
        String line = firstLine.strip();
        if (line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        line = firstField(line);
        if (!line.startsWith("#")) {
            return Optional.empty();
        }
        String rest = line.substring(1).strip();
        if (!rest.regionMatches(true, 0, "template:", 0, "template:".length())) {
            return Optional.empty();
        }
        return Optional.of(rest.substring("template:".length()).strip());
    }

    /**
     * The line read as the CSV record it is in the file: a spreadsheet that saves the file again pads every line to
     * the widest row ({@code # template: orders-v1,,,,,,,,,,,,,,,}) and may quote it; its first field is the template
     * line when the others are empty. Anything else is left as it is (and judged as it is).
     */
    private static String firstField(String line) {
        if (line.indexOf(',') < 0 && !line.startsWith("\"")) {
            return line;
        }
        try (org.apache.commons.csv.CSVParser parser = org.handoff.files.FileIntake.CSV.parse(new java.io.StringReader(line))) {
            List<org.apache.commons.csv.CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                return line;
            }
            List<String> fields = records.get(0).toList();
            for (int i = 1; i < fields.size(); i++) {
                if (!fields.get(i).isBlank()) {
                    return line;
                }
            }
            return fields.get(0).strip();
        } catch (java.io.IOException | java.io.UncheckedIOException | IllegalStateException e) {
            return line;
        }
    }

    /** Null when the line names {@link #VERSION}; else what an operator needs to know, expected vs found. */
    public static String templateProblem(String firstLine) {
        Optional<String> found = templateVersion(firstLine);
        if (found.isPresent() && found.get().equals(VERSION)) {
            return null;
        }
        // never echo the line itself: it may be a data row with an address or an email, and this goes to the log
        String foundText = found.map(v -> "'" + v + "'").orElse(firstLine == null || firstLine.isBlank()
                ? "no template line (the file is empty or starts with an empty line)"
                : firstLine.strip().replace("\uFEFF", "").startsWith(ORDER_ID + ",")
                ? "no template line (the file starts with the header)" : "no template line");
        String separator = found.map(OrdersTemplate::otherSeparator).orElse(null);
        return "template version: expected '" + VERSION + "', found " + foundText
                + "; the first line must be '" + TEMPLATE_LINE + "'"
                + (separator == null ? "" : "; the file's fields are separated by " + separator + ", not commas (as a "
                + "spreadsheet saves CSV in a locale that writes decimal commas): save it as comma-separated CSV");
    }

    /**
     * "';'" when a version is the right one padded with semicolons instead of commas; else null (tabs at the end of
     * the line are white space, stripped: the header then says the file is separated by tabs).
     */
    private static String otherSeparator(String version) {
        String v = version;
        while (!v.isEmpty() && (v.charAt(v.length() - 1) == ';' || v.charAt(v.length() - 1) == ' ')) {
            v = v.substring(0, v.length() - 1);
        }
        return v.length() < version.length() && v.equals(VERSION) ? "';'" : null;
    }

}
