package org.handoff.webhook;

import static org.handoff.webhook.ChannelNormalizer.id;
import static org.handoff.webhook.ChannelNormalizer.money;
import static org.handoff.webhook.ChannelNormalizer.text;
import static org.handoff.webhook.ChannelNormalizer.utcTime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.PaymentStatus;
import org.handoff.order.ShipTo;
import org.handoff.order.Source;

/**
 * WooCommerce's order payload (REST API v3 shape): {@code id}, {@code status},
 * {@code date_created_gmt}/{@code date_modified_gmt} (UTC without offset), {@code currency},
 * {@code billing.email}, {@code line_items[].sku/variation_id/product_id/quantity/price},
 * {@code shipping{first_name,last_name,address_1,address_2,city,postcode,country,phone}} (phone falls
 * back to {@code billing.phone}), {@code shipping_lines[0].method_id}.
 */
public final class WooCommerceNormalizer implements ChannelNormalizer {

    public static final String CHANNEL = "woocommerce";

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public CanonicalOrder normalize(JsonNode o, Function<String, String> header) throws MalformedPayloadException {
        String externalId = ChannelNormalizer.orderId(o);
        JsonNode items = ChannelNormalizer.lineItems(o);
        List<CanonicalOrder.Line> lines = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode line = items.get(i);
            String variant = id(line, "variation_id") != null ? id(line, "variation_id") : id(line, "product_id");
            lines.add(new CanonicalOrder.Line(text(line, "sku"), variant, ChannelNormalizer.quantity(line, i),
                    money(line, "price")));
        }
        JsonNode billing = o.get("billing");
        JsonNode s = o.get("shipping");
        ShipTo shipTo = s == null || !s.isObject() ? ShipTo.EMPTY : new ShipTo(
                ChannelNormalizer.joinName(text(s, "first_name"), text(s, "last_name")), text(s, "address_1"),
                text(s, "address_2"), text(s, "city"), text(s, "postcode"), ShopifyNormalizer.upper(text(s, "country")),
                text(s, "phone") != null ? text(s, "phone") : text(billing, "phone"));
        JsonNode shipping = o.get("shipping_lines");
        String method = shipping != null && shipping.isArray() && !shipping.isEmpty()
                ? text(shipping.get(0), "method_id") : null;
        String status = text(o, "status") == null ? "" : text(o, "status").toLowerCase(Locale.ROOT);
        String created = text(o, "date_created_gmt");
        return new CanonicalOrder(CHANNEL, externalId, utcTime(created), created, utcTime(text(o, "date_modified_gmt")),
                ShopifyNormalizer.upper(text(o, "currency")), text(billing, "email"), lines, shipTo, method,
                payment(status, text(o, "date_paid_gmt")), status.equals("cancelled"));
    }

    /** processing and completed mean paid in WooCommerce; a paid date is evidence too. */
    static String payment(String status, String datePaid) {
        return switch (status) {
            case "processing", "completed" -> PaymentStatus.PAID;
            case "refunded" -> PaymentStatus.REFUNDED;
            default -> datePaid != null ? PaymentStatus.PAID : PaymentStatus.PENDING;
        };
    }

    @Override
    public Source.Intent intent(String topic, CanonicalOrder order) {
        if (order.cancelled()) {
            return Source.Intent.CANCEL;
        }
        return "order.updated".equalsIgnoreCase(topic) ? Source.Intent.UPDATE : Source.Intent.CREATE;
    }
}
