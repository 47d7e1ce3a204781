package org.handoff.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.handoff.files.FileContext;
import org.handoff.files.FileKind;
import org.handoff.files.FileRow;
import org.handoff.files.RowBatch;
import org.handoff.files.RowHandler;
import org.handoff.files.RowRejected;
import org.handoff.files.RowValues;
import org.handoff.order.HistoryEntry;
import org.handoff.order.IllegalTransitionException;
import org.handoff.order.Order;
import org.handoff.order.OrderEvent;
import org.handoff.order.OrderPipeline;
import org.handoff.order.OrderStore;
import org.handoff.order.StoredWidths;

/**
 * {@code dispatch_<WAREHOUSE>_<ts>.csv} (DESIGN §5): the WMS's PICKED and HANDED_OVER evidence, one row per
 * event, applied through the order state machine exactly like {@code POST /api/orders/{id}/events}. A row
 * the rules forbid is held ILLEGAL_TRANSITION with the order's state; the rest of the file still applies.
 * The same fact sent again (same event, same tracking number) changes nothing.
 */
public final class DispatchFileHandler implements RowHandler<DispatchFileHandler.Row> {

    public static final List<String> HEADER = List.of("order_id", "event", "carrier", "tracking_number", "occurred_at");
    /** The state machine refused the row's event in the order's current state (extends DESIGN §7's codes). */
    public static final String ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION";
    /** The row names an order the hub does not know. */
    public static final String UNKNOWN_ORDER = "UNKNOWN_ORDER";

    /** An {@code occurred_at} with a date but no time of day (the shared reader would take it as midnight UTC). */
    private static final Pattern DATE_ONLY = Pattern.compile("\\s*\\d{4}-\\d{2}-\\d{2}\\s*");

    public record Row(String orderId, OrderEvent event, String carrier, String trackingNumber, Instant occurredAt) {}

    private final OrderPipeline pipeline;
    private final OrderStore orders;
    private final Clock clock;
    private final Duration maxClockSkew;

    public DispatchFileHandler(OrderPipeline pipeline, OrderStore orders, Clock clock, Duration maxClockSkew) {
        this.pipeline = pipeline;
        this.orders = orders;
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
    }

    public FileKind kind() {
        return new FileKind("dispatch", Pattern.compile("dispatch_(?<warehouse>[A-Za-z0-9-]+)_" + FileKind.TS + "\\.csv"),
                "dispatch_<WAREHOUSE>_<ts>.csv", HEADER, this);
    }

    @Override
    public Row parse(FileRow row, FileContext file) {
        String orderId = RowValues.required(row, "order_id");
        String eventText = RowValues.required(row, "event").toUpperCase(Locale.ROOT);
        OrderEvent event = switch (eventText) {
            case "PICKED" -> OrderEvent.PICKED;
            case "HANDED_OVER" -> OrderEvent.HANDED_OVER;
            default -> throw RowRejected.badRow("row " + row.row() + ": event '" + row.get("event")
                    + "' is not PICKED or HANDED_OVER");
        };
        String carrier = row.get("carrier");
        String tracking = row.get("tracking_number");
        if (event == OrderEvent.HANDED_OVER) {
            RowValues.required(row, "carrier");
            RowValues.required(row, "tracking_number");
            List<String> overlong = StoredWidths.overlongShipment(carrier, tracking);
            if (!overlong.isEmpty()) {
                // held alone now, rather than failing the store's insert and with it the whole file
                throw RowRejected.badRow("row " + row.row() + ": " + String.join("; ", overlong));
            }
        }
        if (DATE_ONLY.matcher(row.get("occurred_at")).matches()) {
            // the pick's time decides whether a count already reflects it: midnight would be a guess (DESIGN §1.4)
            throw RowRejected.badRow("row " + row.row() + ": occurred_at '" + row.get("occurred_at")
                    + "' is a date without a time; give the time of the " + eventText.toLowerCase(Locale.ROOT)
                    .replace('_', ' ') + " (2026-12-01T08:00:00Z)");
        }
        Instant occurredAt = RowValues.instant(row, "occurred_at");
        if (occurredAt.isAfter(clock.instant().plus(maxClockSkew))) {
            throw new RowRejected("INVALID_TIMESTAMP", "row " + row.row() + ": occurred_at " + occurredAt
                    + " is in the future");
        }
        return new Row(orderId, event, carrier.isEmpty() ? null : carrier, tracking.isEmpty() ? null : tracking,
                occurredAt);
    }

    @Override
    public void apply(RowBatch<Row> batch, Connection c) throws SQLException {
        Set<String> changed = new HashSet<>();
        String warehouse = batch.file().part("warehouse");
        for (RowBatch.Parsed<Row> p : batch.rows()) {
            Row r = p.value();
            Savepoint savepoint = c.setSavepoint();
            try {
                Optional<Order> order = find(c, r.orderId());
                if (order.isEmpty()) {
                    batch.hold(p, UNKNOWN_ORDER, "row " + p.row().row() + ": order " + r.orderId() + " is not known");
                    c.releaseSavepoint(savepoint);
                    continue;
                }
                if (alreadyApplied(order.get(), r)) {
                    c.releaseSavepoint(savepoint);
                    continue;
                }
                pipeline.applyEvent(c, order.get().orderId(), r.event(), evidence(batch.file(), warehouse, p.row(), r),
                        "wms:" + warehouse, r.occurredAt(), changed);
                c.releaseSavepoint(savepoint);
            } catch (IllegalTransitionException e) {
                c.rollback(savepoint);
                batch.hold(p, ILLEGAL_TRANSITION, "row " + p.row().row() + ": order " + r.orderId() + " is "
                        + e.current() + "; " + r.event() + " is not allowed from there");
            } catch (IllegalArgumentException | NoSuchElementException e) {
                c.rollback(savepoint);
                batch.hold(p, "BAD_ROW", "row " + p.row().row() + ": " + e.getMessage());
            }
        }
        if (!changed.isEmpty()) {
            batch.file().afterCommit(() -> pipeline.notifyStockChanged(changed));
        }
    }

    /**
     * The hub's order id as the pick ticket gave it, or {@code <channel>:<externalId>} (the storefront's own
     * number, which is all some WMSs keep), locked for the transition.
     */
    private Optional<Order> find(Connection c, String reference) throws SQLException {
        Optional<Order> order = orders.find(c, reference, true, true);
        int colon = reference.indexOf(':');
        if (order.isEmpty() && colon > 0 && colon < reference.length() - 1) {
            Optional<Order> byChannel = orders.findByExternal(c, reference.substring(0, colon),
                    reference.substring(colon + 1), true);
            if (byChannel.isPresent()) {
                order = orders.find(c, byChannel.get().orderId(), true, false);
            }
        }
        return order;
    }

    /**
     * The WMS sent a fact the order already carries (a re-sent file, or the file processed again after a
     * crash): the same event reached before, for HANDED_OVER with the same carrier and tracking number.
     */
    static boolean alreadyApplied(Order order, Row r) {
        for (HistoryEntry h : order.history()) {
            if (!r.event().name().equals(h.reasonCode()) || h.from() == h.to()) {
                continue;
            }
            if (r.event() != OrderEvent.HANDED_OVER) {
                return true;
            }
            if (Objects.equals(text(h.evidence().get("trackingNumber")), r.trackingNumber())
                    && Objects.equals(CarrierEvent.carrierKey(text(h.evidence().get("carrier"))),
                            CarrierEvent.carrierKey(r.carrier()))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> evidence(FileContext file, String warehouse, FileRow row, Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r.event() == OrderEvent.PICKED) {
            m.put("reference", file.name() + "#" + row.row());
        }
        if (r.carrier() != null) {
            m.put("carrier", r.carrier());
        }
        if (r.trackingNumber() != null) {
            m.put("trackingNumber", r.trackingNumber());
        }
        m.put("warehouse", warehouse);
        m.put("file", file.name());
        m.put("row", row.row());
        return m;
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
