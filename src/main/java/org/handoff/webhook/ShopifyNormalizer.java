package org.handoff.webhook;

import static org.handoff.webhook.ChannelNormalizer.id;
import static org.handoff.webhook.ChannelNormalizer.offsetTime;
import static org.handoff.webhook.ChannelNormalizer.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.ShipTo;
import org.handoff.order.Source;

/**
 * Shopify's order payload (REST Admin API shape, the same for every orders/* topic): {@code id},
 * {@code created_at}/{@code updated_at} with the shop's offset, {@code currency}, {@code email},
 * {@code financial_status}, {@code cancelled_at}, {@code line_items[].sku/variant_id/quantity/price},
 * {@code shipping_address{name,address1,address2,city,zip,country_code,phone}},
 * {@code shipping_lines[0].code}.
 */
public final class ShopifyNormalizer implements ChannelNormalizer {

    public static final String CHANNEL = "shopify";

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public CanonicalOrder normalize(JsonNode o, Function<String, String> header) throws MalformedPayloadException {
        String externalId = ChannelNormalizer.orderId(o);
        JsonNode items = ChannelNormalizer.lineItems(o);
        List<CanonicalOrder.Line> lines = new ArrayList<>();
        String currency = text(o, "currency");
        for (int i = 0; i < items.size(); i++) {
            JsonNode line = items.get(i);
            lines.add(new CanonicalOrder.Line(text(line, "sku"), id(line, "variant_id"),
                    ChannelNormalizer.quantity(line, i), ChannelNormalizer.price(line, i, currency)));
        }
        JsonNode a = o.get("shipping_address");
        ShipTo shipTo = a == null || !a.isObject() ? ShipTo.EMPTY : new ShipTo(
                name(a), text(a, "address1"), text(a, "address2"), text(a, "city"), text(a, "zip"),
                upper(text(a, "country_code")), text(a, "phone"));
        JsonNode shipping = o.get("shipping_lines");
        String method = shipping != null && shipping.isArray() && !shipping.isEmpty()
                ? text(shipping.get(0), "code") : null;
        String created = text(o, "created_at");
        Instant updatedAt = offsetTime(text(o, "updated_at"));
        if (updatedAt == null) {
            updatedAt = offsetTime(header.apply("X-Shopify-Triggered-At"));
        }
        String email = text(o, "email") != null ? text(o, "email") : text(o, "contact_email");
        return new CanonicalOrder(CHANNEL, externalId, offsetTime(created), created, updatedAt, upper(text(o, "currency")),
                email, lines, shipTo, method, lower(text(o, "financial_status")), text(o, "cancelled_at") != null);
    }

    @Override
    public Source.Intent intent(String topic, CanonicalOrder order) {
        return switch (topic == null ? "" : topic.toLowerCase(Locale.ROOT)) {
            case "orders/updated" -> Source.Intent.UPDATE;
            case "orders/paid" -> Source.Intent.PAID;
            case "orders/cancelled" -> Source.Intent.CANCEL;
            default -> Source.Intent.CREATE;
        };
    }

    private static String name(JsonNode a) {
        String name = text(a, "name");
        return name != null ? name : ChannelNormalizer.joinName(text(a, "first_name"), text(a, "last_name"));
    }

    static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
