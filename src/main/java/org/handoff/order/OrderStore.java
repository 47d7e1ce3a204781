package org.handoff.order;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.handoff.api.Json;
import org.handoff.store.Jdbc;

/** SQL for canonical orders, their lines and their history. Every method runs in the caller's transaction. */
public final class OrderStore {

    private static final String COLUMNS = "order_id, channel, external_id, placed_at, currency, email, ship_name, "
            + "ship_address1, ship_address2, ship_city, ship_postcode, ship_country, ship_phone, shipping_method, "
            + "payment_status, state, reserved, hold_id, channel_updated_at, created_at, updated_at";
    /** The order row with its lines (V60: null for orders whose lines are still rows of order_lines). */
    private static final String WITH_LINES = COLUMNS + ", lines";

    /**
     * Told of history entries inside the transaction that writes them (the lifecycle's outbox and shipments),
     * with the order as it stands after them (row and lines), so a listener need not read it back.
     */
    @FunctionalInterface
    public interface HistoryListener {
        void written(Connection c, Order order, List<HistoryEntry> entries) throws SQLException;

        /** Many orders' new history at once (a batch of orders); by default order by order. */
        default void written(Connection c, List<Written> batch) throws SQLException {
            for (Written w : batch) {
                written(c, w.order(), w.entries());
            }
        }
    }

    /** An order's new history entries, written together with other orders' by {@link #addHistory(Connection, List)}. */
    public record Written(Order order, List<HistoryEntry> entries) {}

    private final Jdbc jdbc;
    private final List<HistoryListener> historyListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public OrderStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    // ---- reads ---------------------------------------------------------------------------------

    public Optional<Order> find(String orderId) {
        return jdbc.inTransaction(c -> find(c, orderId, true, false));
    }

    public Optional<Order> find(Connection c, String orderId, boolean withHistory, boolean forUpdate)
            throws SQLException {
        Optional<Head> head = Jdbc.queryOne(c, "select " + WITH_LINES + " from orders where order_id = ?"
                + (forUpdate ? " for update" : ""), OrderStore::mapWithLines, orderId);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(complete(c, head.get(), withHistory));
    }

    /** The order a channel knows by {@code externalId}; {@code forUpdate} locks its row until commit. */
    public Optional<Order> findByExternal(Connection c, String channel, String externalId, boolean forUpdate)
            throws SQLException {
        Optional<Head> head = Jdbc.queryOne(c, "select " + WITH_LINES + " from orders where channel = ? and "
                + "external_id = ?" + (forUpdate ? " for update" : ""), OrderStore::mapWithLines, channel, externalId);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(complete(c, head.get(), false));
    }

    /**
     * Which of these external ids the channel's orders already use, in one query per {@link Jdbc#inChunks} chunk; their
     * rows are locked (for update, in id order) for the caller's transaction.
     */
    public Set<String> existingExternalIds(Connection c, String channel, Collection<String> externalIds)
            throws SQLException {
        Set<String> out = new HashSet<>();
        // sorted before chunking: a batch of more than one chunk locks in one order too, not chunk by chunk
        for (List<String> chunk : Jdbc.inChunks(new java.util.TreeSet<>(externalIds))) {
            out.addAll(Jdbc.query(c, "select external_id from orders where (channel, external_id) in ("
                    + Jdbc.pairMarks(chunk.size()) + ") order by external_id for update", rs -> rs.getString(1),
                    Jdbc.pairs(channel, chunk)));
        }
        return out;
    }

    public Optional<Order> findByExternal(String channel, String externalId) {
        return jdbc.inTransaction(c -> {
            Optional<Order> o = findByExternal(c, channel, externalId, false);
            return o.isPresent() ? find(c, o.get().orderId(), true, false) : o;
        });
    }

    /** Orders in a state, oldest first, without lines or history. */
    public List<Order> listByState(OrderState state, int limit) {
        return jdbc.query("select " + COLUMNS + " from orders where state = ? order by created_at, order_id limit "
                + limit, OrderStore::mapHead, state.name());
    }

    /** An order row as read: the lines from its column, or null when they are still rows of order_lines. */
    private record Head(Order order, List<OrderLine> lines) {}

    private Order complete(Connection c, Head read, boolean withHistory) throws SQLException {
        Order head = read.order();
        List<OrderLine> lines = read.lines() != null ? read.lines() : Jdbc.query(c, "select sku, channel_sku, quantity, "
                        + "unit_price from order_lines where order_id = ? order by line_no",
                rs -> new OrderLine(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBigDecimal(4)),
                head.orderId());
        List<HistoryEntry> history = withHistory ? history(c, head.orderId()) : List.of();
        return new Order(head.orderId(), head.channel(), head.externalId(), head.placedAt(), head.currency(),
                head.email(), lines, head.shipTo(), head.shippingMethod(), head.paymentStatus(), head.state(),
                head.reserved(), head.holdId(), head.channelUpdatedAt(), head.createdAt(), head.updatedAt(), history);
    }

    public List<HistoryEntry> history(Connection c, String orderId) throws SQLException {
        List<List<HistoryEntry>> rows = Jdbc.query(c, "select from_state, to_state, reason_code, evidence, actor, "
                // by decision time first: identity values are handed out in blocks per connection
                // (V21), so on PostgreSQL they do not follow commit order across connections
                + "decided_at, observed_at, steps from order_history where order_id = ? order by decided_at, history_id",
                rs -> rs.getString(8) != null ? HistorySteps.read(rs.getString(8)) : List.of(new HistoryEntry(
                        state(rs.getString(1)), state(rs.getString(2)), rs.getString(3), evidence(rs.getString(4)),
                        rs.getString(5), Jdbc.instant(rs, "decided_at"), Jdbc.instant(rs, "observed_at"))),
                orderId);
        List<HistoryEntry> out = new java.util.ArrayList<>();
        rows.forEach(out::addAll);
        return out;
    }

    // ---- writes --------------------------------------------------------------------------------

    public void insert(Connection c, Order o) throws SQLException {
        insert(c, List.of(o));
    }

    /** Inserts new orders, each row with its lines (V60), as one JDBC batch. */
    public void insert(Connection c, List<Order> orders) throws SQLException {
        if (orders.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into orders (" + WITH_LINES + ") values (?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Order o : orders) {
                ShipTo s = o.shipTo();
                Jdbc.bind(ps, o.orderId(), o.channel(), o.externalId(), o.placedAt(), o.currency(), o.email(), s.name(),
                        s.address1(), s.address2(), s.city(), s.postcode(), s.country(), s.phone(), o.shippingMethod(),
                        o.paymentStatus(), o.state().name(), o.reserved(), o.holdId(), o.channelUpdatedAt(),
                        o.createdAt(), o.updatedAt(), StoredLines.write(o.lines()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Writes every column of the order row but the keys and created_at. */
    public void update(Connection c, Order o) throws SQLException {
        ShipTo s = o.shipTo();
        Jdbc.update(c, "update orders set placed_at = ?, currency = ?, email = ?, ship_name = ?, ship_address1 = ?, "
                        + "ship_address2 = ?, ship_city = ?, ship_postcode = ?, ship_country = ?, ship_phone = ?, "
                        + "shipping_method = ?, payment_status = ?, state = ?, reserved = ?, hold_id = ?, "
                        + "channel_updated_at = ?, updated_at = ? where order_id = ?",
                o.placedAt(), o.currency(), o.email(), s.name(), s.address1(), s.address2(), s.city(), s.postcode(),
                s.country(), s.phone(), o.shippingMethod(), o.paymentStatus(), o.state().name(), o.reserved(),
                o.holdId(), o.channelUpdatedAt(), o.updatedAt(), o.orderId());
    }

    /** Writes the order's lines into its row; rows an order written before V60 kept in order_lines go. */
    public void replaceLines(Connection c, String orderId, List<OrderLine> lines) throws SQLException {
        Jdbc.update(c, "update orders set lines = ? where order_id = ?", StoredLines.write(lines), orderId);
        Jdbc.update(c, "delete from order_lines where order_id = ?", orderId);
    }

    public void onHistory(HistoryListener listener) {
        historyListeners.add(listener);
    }

    /** Writes an order's history entries; {@code order} is the order as it stands after them (row and lines). */
    public void addHistory(Connection c, Order order, List<HistoryEntry> entries) throws SQLException {
        addHistory(c, List.of(new Written(order, entries)));
    }

    /**
     * Writes the history of many orders as one JDBC batch, then tells the listeners order by order. One order's
     * entries of one decision are one row (V61): a single entry in the columns; several with their first
     * from_state and last to_state, reason code, actor and times in the columns and all of them in steps.
     */
    public void addHistory(Connection c, List<Written> written) throws SQLException {
        boolean any = false;
        try (PreparedStatement ps = c.prepareStatement("insert into order_history (order_id, from_state, to_state, "
                + "reason_code, evidence, actor, decided_at, observed_at, steps) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Written w : written) {
                List<HistoryEntry> entries = w.entries();
                if (entries.isEmpty()) {
                    continue;
                }
                HistoryEntry first = entries.get(0);
                HistoryEntry h = entries.get(entries.size() - 1);
                boolean one = entries.size() == 1;
                Jdbc.bind(ps, w.order().orderId(), first.from() == null ? null : first.from().name(), h.to().name(),
                        h.reasonCode(), !one || h.evidence().isEmpty() ? null : Json.write(h.evidence()), h.actor(),
                        h.decidedAt(), h.observedAt(), one ? null : HistorySteps.write(entries));
                ps.addBatch();
                any = true;
            }
            if (any) {
                ps.executeBatch();
            }
        }
        List<Written> told = written.stream().filter(w -> !w.entries().isEmpty()).toList();
        if (!told.isEmpty()) {
            for (HistoryListener listener : historyListeners) {
                listener.written(c, told);
            }
        }
    }

    // ---- mapping -------------------------------------------------------------------------------

    private static Head mapWithLines(ResultSet rs) throws SQLException {
        String lines = rs.getString("lines");
        return new Head(mapHead(rs), lines == null ? null : StoredLines.read(lines));
    }

    private static Order mapHead(ResultSet rs) throws SQLException {
        ShipTo shipTo = new ShipTo(rs.getString("ship_name"), rs.getString("ship_address1"),
                rs.getString("ship_address2"), rs.getString("ship_city"), rs.getString("ship_postcode"),
                rs.getString("ship_country"), rs.getString("ship_phone"));
        return new Order(rs.getString("order_id"), rs.getString("channel"), rs.getString("external_id"),
                Jdbc.instant(rs, "placed_at"), rs.getString("currency"), rs.getString("email"), List.of(), shipTo,
                rs.getString("shipping_method"), rs.getString("payment_status"), OrderState.valueOf(rs.getString("state")),
                rs.getBoolean("reserved"), Jdbc.nullableLong(rs, "hold_id"), Jdbc.instant(rs, "channel_updated_at"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"), List.of());
    }

    private static OrderState state(String s) {
        return s == null ? null : OrderState.valueOf(s);
    }

    private static Map<String, Object> evidence(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (Exception e) {
            return Map.of("raw", json);
        }
    }

    static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
