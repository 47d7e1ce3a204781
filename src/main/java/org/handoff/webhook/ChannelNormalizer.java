package org.handoff.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.Source;
import org.handoff.order.Timestamps;

/** One channel's order payload to the canonical order of DESIGN §7. */
public interface ChannelNormalizer {

    String channel();

    /**
     * @param header the delivery's headers, case-insensitive
     * @throws MalformedPayloadException when required fields are missing or unusable
     */
    CanonicalOrder normalize(JsonNode payload, Function<String, String> header) throws MalformedPayloadException;

    /** What the topic means for the order (create, update, paid, cancel). */
    Source.Intent intent(String topic, CanonicalOrder order);

    // ---- helpers shared by the normalizers -----------------------------------------------------

    /** The order's own id (both channels call it {@code id}); a payload without one cannot be an order. */
    static String orderId(JsonNode o) throws MalformedPayloadException {
        if (o == null || !o.isObject()) {
            throw new MalformedPayloadException("the body is not a JSON object");
        }
        String externalId = id(o, "id");
        if (externalId == null) {
            throw new MalformedPayloadException("order id is missing");
        }
        return externalId;
    }

    /** The order's {@code line_items}: an order without lines cannot be picked. */
    static JsonNode lineItems(JsonNode o) throws MalformedPayloadException {
        JsonNode items = o.get("line_items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new MalformedPayloadException("line_items is missing or empty");
        }
        return items;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isBlank() ? null : s.trim();
    }

    /** An id that may be a JSON number or a string; 0 counts as none (WooCommerce's "no variation"). */
    static String id(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asLong() == 0 ? null : v.asText();
        }
        String s = v.asText().trim();
        return s.isEmpty() || s.equals("0") ? null : s;
    }

    /** A money amount from a JSON string or number, exactly as written (never through a double). */
    static BigDecimal money(JsonNode node, String field) throws MalformedPayloadException {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new MalformedPayloadException(field + " '" + v.asText() + "' is not an amount");
        }
    }

    /**
     * A line's price under the rule every door shares ({@link org.handoff.order.Prices}): plain digits (a string
     * {@code "1e3"} is refused; a JSON number is exact however it is written), no more decimals than the order's
     * {@code currency} has minor units. Null when there is none.
     */
    static BigDecimal price(JsonNode line, int index, String currency) throws MalformedPayloadException {
        JsonNode v = line == null ? null : line.get("price");
        if (v == null || v.isNull()) {
            return null;
        }
        String field = "line_items[" + index + "].price";
        BigDecimal amount;
        String problem;
        if (v.isNumber()) {
            amount = v.decimalValue();
            problem = amount.signum() < 0 ? "is not a decimal amount"
                    : org.handoff.order.Prices.decimalsProblem(amount, currency);
        } else {
            amount = org.handoff.order.Prices.parse(v.asText());
            problem = org.handoff.order.Prices.problem(v.asText(), currency);
        }
        if (problem != null) {
            throw new MalformedPayloadException(field + " '" + v.asText() + "' " + problem);
        }
        return amount;
    }

    static int quantity(JsonNode line, int index) throws MalformedPayloadException {
        JsonNode q = line.get("quantity");
        if (q == null || !(q.isIntegralNumber() || q.isTextual() && q.asText().trim().matches("\\d+"))) {
            throw new MalformedPayloadException("line_items[" + index + "].quantity is missing or not a whole number");
        }
        // as a long, then bounded: asInt() would wrap 4294967297 to 1
        java.math.BigInteger value = q.isIntegralNumber() ? q.bigIntegerValue() : new java.math.BigInteger(q.asText().trim());
        if (value.signum() <= 0) {
            throw new MalformedPayloadException("line_items[" + index + "].quantity must be positive");
        }
        if (value.compareTo(java.math.BigInteger.valueOf(org.handoff.order.OrderLine.MAX_QUANTITY)) > 0) {
            throw new MalformedPayloadException("line_items[" + index + "].quantity " + value + " is above "
                    + org.handoff.order.OrderLine.MAX_QUANTITY + " units");
        }
        return value.intValue();
    }

    /** ISO 8601 with an offset (Shopify), converted to UTC; null when absent or unparseable. */
    static Instant offsetTime(String text) {
        return Timestamps.parseOffset(text);
    }

    /** A timestamp the channel gives in UTC without an offset (WooCommerce *_gmt); offsets are honoured too. */
    static Instant utcTime(String text) {
        if (text == null) {
            return null;
        }
        Instant withOffset = offsetTime(text);
        if (withOffset != null) {
            return withOffset;
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String joinName(String first, String last) {
        String name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
        return name.isEmpty() ? null : name;
    }
}
