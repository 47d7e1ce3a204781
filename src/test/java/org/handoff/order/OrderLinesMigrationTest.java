package org.handoff.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.handoff.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * V61: one decision's transitions in one history row. V60 writes a new order's lines into its row; an order written before keeps its order_lines rows, reads back
 * the same, and has its lines moved into the row when they change.
 */
class OrderLinesMigrationTest {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void linesInTheOrderRowAndOneHistoryRowPerDecision(TestDb db) throws Exception {
        try (TestDb.Scratch scratch = db.scratch()) {
            scratch.migrateTo("56");
            try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
                s.execute("insert into orders (order_id, channel, external_id, state, reserved, created_at, updated_at) "
                        + "values ('OLD', 'shopify', '1001', 'ACCEPTED', true, "
                        + "timestamp with time zone '2026-11-20 03:00:00+00', timestamp with time zone '2026-11-20 03:00:00+00')");
                s.execute("insert into order_lines (order_id, line_no, sku, channel_sku, quantity, unit_price) values "
                        + "('OLD', 1, 'W1-MUG', 'mug', 2, 12.5), ('OLD', 2, null, 'v-44', 1, null)");
            }
            scratch.migrate();
            OrderStore store = new OrderStore(null);
            try (Connection c = scratch.connect()) {
                Order old = store.find(c, "OLD", false, false).orElseThrow();
                assertThat(old.lines()).containsExactly(new OrderLine("W1-MUG", "mug", 2, new BigDecimal("12.5000")),
                        new OrderLine(null, "v-44", 1, null));

                List<OrderLine> changed = List.of(new OrderLine("W1-CAP", "cap", 1, new BigDecimal("9.9")));
                store.replaceLines(c, "OLD", changed);
                assertThat(store.find(c, "OLD", false, false).orElseThrow().lines())
                        .containsExactly(new OrderLine("W1-CAP", "cap", 1, new BigDecimal("9.9000")));
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("select count(*) from order_lines where order_id = 'OLD'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero();
                }

                Order fresh = new Order("NEW", "shopify", "1002", null, "EUR", null,
                        List.of(new OrderLine("W1-MUG", "mug", 3, new BigDecimal("12.5"))), null, null, null,
                        OrderState.ACCEPTED, true, null, null, old.createdAt(), old.createdAt(), List.of());
                store.insert(c, List.of(fresh));
                assertThat(store.findByExternal(c, "shopify", "1002", false).orElseThrow().lines())
                        .containsExactly(new OrderLine("W1-MUG", "mug", 3, new BigDecimal("12.5000")));
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("select count(*) from order_lines")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero();
                }

                // V61: one decision's transitions are one row, read back as the entries they were
                java.time.Instant at = java.time.Instant.parse("2026-11-23T17:00:00.123456789Z");
                java.time.Instant micros = java.time.Instant.parse("2026-11-23T17:00:00.123457Z");
                List<HistoryEntry> decision = List.of(
                        new HistoryEntry(null, OrderState.RECEIVED, "RECEIVED", java.util.Map.of("intent", "create"),
                                "system:shopify", at, at),
                        new HistoryEntry(OrderState.RECEIVED, OrderState.ACCEPTED, "STOCK_RESERVED",
                                java.util.Map.of("reserved", java.util.Map.of("W1-MUG", 3)), "system:shopify", at, null),
                        new HistoryEntry(OrderState.ACCEPTED, OrderState.READY_TO_PICK, "PAYMENT_CAPTURED",
                                java.util.Map.of(), "system:shopify", at, at));
                store.addHistory(c, fresh, decision);
                store.addHistory(c, fresh, List.of(new HistoryEntry(OrderState.READY_TO_PICK, OrderState.READY_TO_PICK,
                        "DUPLICATE", java.util.Map.of(), "system:csv-inbox", at.plusSeconds(1), null)));
                assertThat(store.history(c, "NEW")).containsExactly(
                        new HistoryEntry(null, OrderState.RECEIVED, "RECEIVED", java.util.Map.of("intent", "create"),
                                "system:shopify", micros, micros),
                        new HistoryEntry(OrderState.RECEIVED, OrderState.ACCEPTED, "STOCK_RESERVED",
                                java.util.Map.of("reserved", java.util.Map.of("W1-MUG", 3)), "system:shopify", micros, null),
                        new HistoryEntry(OrderState.ACCEPTED, OrderState.READY_TO_PICK, "PAYMENT_CAPTURED",
                                java.util.Map.of(), "system:shopify", micros, micros),
                        new HistoryEntry(OrderState.READY_TO_PICK, OrderState.READY_TO_PICK, "DUPLICATE",
                                java.util.Map.of(), "system:csv-inbox", micros.plusSeconds(1), null));
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select from_state, to_state, "
                        + "reason_code from order_history where order_id = 'NEW' order by decided_at")) {
                    rs.next();
                    // the row reads as the decision's path: first from, last to
                    assertThat(rs.getString(1)).isNull();
                    assertThat(rs.getString(2) + " " + rs.getString(3)).isEqualTo("READY_TO_PICK PAYMENT_CAPTURED");
                    rs.next();
                    assertThat(rs.getString(3)).isEqualTo("DUPLICATE");
                    assertThat(rs.next()).isFalse();
                }
            }
        }
    }
}
