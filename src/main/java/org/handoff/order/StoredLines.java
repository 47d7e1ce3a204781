package org.handoff.order;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.handoff.api.Json;

/**
 * An order's lines as stored in its row ({@code orders.lines}, V60): a JSON array of
 * {@code {"sku", "channelSku", "quantity", "unitPrice"}}, absent fields null. Prices are kept as text at the
 * scale the order_lines table stored them ({@code numeric(19, 4)}, rounded half up), so an order reads back
 * the same whichever way its lines were stored.
 */
final class StoredLines {

    /** The scale of order_lines.unit_price. */
    static final int PRICE_SCALE = 4;

    private StoredLines() {}

    static String write(List<OrderLine> lines) {
        StringWriter out = new StringWriter(16 + 80 * lines.size());
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (OrderLine line : lines) {
                g.writeStartObject();
                if (line.sku() != null) {
                    g.writeStringField("sku", line.sku());
                }
                if (line.channelSku() != null) {
                    g.writeStringField("channelSku", line.channelSku());
                }
                g.writeNumberField("quantity", line.quantity());
                if (line.unitPrice() != null) {
                    g.writeStringField("unitPrice", price(line.unitPrice()).toPlainString());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static List<OrderLine> read(String json) {
        List<OrderLine> lines = new ArrayList<>(4);
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalStateException("order lines are not a JSON array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String sku = null;
                String channelSku = null;
                int quantity = 0;
                BigDecimal unitPrice = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "sku" -> sku = p.getValueAsString();
                        case "channelSku" -> channelSku = p.getValueAsString();
                        case "quantity" -> quantity = p.getIntValue();
                        case "unitPrice" -> unitPrice = new BigDecimal(p.getValueAsString());
                        default -> p.skipChildren();
                    }
                }
                lines.add(new OrderLine(sku, channelSku, quantity, unitPrice));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** The price as numeric(19, 4) would have stored it. */
    static BigDecimal price(BigDecimal value) {
        return value.setScale(PRICE_SCALE, RoundingMode.HALF_UP);
    }
}
