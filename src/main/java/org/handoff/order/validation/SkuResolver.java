package org.handoff.order.validation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.OrderMappings;
import org.handoff.store.Jdbc;

/**
 * A channel's line to a master SKU (DESIGN §6): the channel's SKU through channel-skus.csv (no row:
 * the SKU itself), a line without SKU by its variant id in the same file (no row: UNMAPPED_VARIANT),
 * then the alias windows (an old code past its window: UNKNOWN_SKU), then the ERP catalog (absent or
 * inactive: UNKNOWN_SKU).
 */
public final class SkuResolver {

    public static final String UNKNOWN_SKU = "UNKNOWN_SKU";
    public static final String UNMAPPED_VARIANT = "UNMAPPED_VARIANT";

    /** One line's outcome: the master SKU, or the violation that stopped it. */
    public record LineResolution(CanonicalOrder.Line line, String sku, Violation violation) {}

    private final OrderMappings mappings;

    public SkuResolver(OrderMappings mappings) {
        this.mappings = mappings;
    }

    /** Mapping files only (no database): the candidate master SKU of each line. */
    public List<LineResolution> mapCodes(CanonicalOrder order, Instant at) {
        List<LineResolution> out = new ArrayList<>(order.lines().size());
        for (CanonicalOrder.Line line : order.lines()) {
            out.add(mapLine(order.channel(), line, at));
        }
        return out;
    }

    private LineResolution mapLine(String channel, CanonicalOrder.Line line, Instant at) {
        String code;
        if (line.channelSku() != null && !line.channelSku().isBlank()) {
            code = mappings.channelSku(channel, line.channelSku()).orElse(line.channelSku().trim());
        } else if (line.variantId() != null && !line.variantId().isBlank()) {
            var mapped = mappings.channelSku(channel, line.variantId());
            if (mapped.isEmpty()) {
                return new LineResolution(line, null, new Violation(UNMAPPED_VARIANT, "line without SKU: variant "
                        + line.variantId() + " has no row in channel-skus.csv for " + channel));
            }
            code = mapped.get();
        } else {
            return new LineResolution(line, null,
                    new Violation(UNMAPPED_VARIANT, "line has neither a SKU nor a variant id"));
        }
        OrderMappings.Resolution resolution = mappings.resolveSku(code, at);
        if (!resolution.known()) {
            return new LineResolution(line, null, new Violation(UNKNOWN_SKU, "SKU " + code + " is not in force"
                    + (resolution.detail() == null ? "" : ": " + resolution.detail())));
        }
        return new LineResolution(line, resolution.sku(), null);
    }

    /** The catalog check: lines whose master SKU is absent from the ERP catalog, or inactive, fail. */
    public static List<LineResolution> checkCatalog(List<LineResolution> lines, Set<String> activeSkus) {
        List<LineResolution> out = new ArrayList<>(lines.size());
        for (LineResolution r : lines) {
            if (r.violation() == null && !activeSkus.contains(r.sku())) {
                out.add(new LineResolution(r.line(), null,
                        new Violation(UNKNOWN_SKU, "SKU " + r.sku() + " is not an active SKU of the ERP catalog")));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** The active catalog SKUs among {@code skus}, in one query. */
    public static Set<String> activeInCatalog(Connection c, Collection<String> skus) throws SQLException {
        Set<String> out = new HashSet<>();
        if (skus.isEmpty()) {
            return out;
        }
        out.addAll(Jdbc.queryIn(c, "select sku from catalog where active = true and sku in (%s)", skus,
                rs -> rs.getString(1)));
        return out;
    }
}
