package org.handoff.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reservation rules of the stock ledger, against a real (in-memory H2) stock table. */
class ReservationsTest {

    private static final AtomicInteger DB = new AtomicInteger();
    private Connection c;

    @BeforeEach
    void stock() throws SQLException {
        c = DriverManager.getConnection("jdbc:h2:mem:reservations-" + DB.incrementAndGet());
        try (Statement s = c.createStatement()) {
            s.execute("create table stock (sku varchar(100) primary key, on_hand bigint not null, "
                    + "reserved bigint not null, updated_at timestamp with time zone)");
            s.execute("insert into stock values ('A', 5, 1, null), ('B', 2, 0, null)");
        }
        c.setAutoCommit(false);
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private static TreeMap<String, Integer> q(Map<String, Integer> m) {
        return new TreeMap<>(m);
    }

    private long[] row(String sku) throws SQLException {
        try (var rs = c.createStatement().executeQuery("select on_hand, reserved from stock where sku = '" + sku + "'")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    @Test
    void reservesAllOrNothingAgainstWhatEarlierOrdersOfTheBatchTook() throws SQLException {
        Reservations r = Reservations.lock(c, List.of("A", "B"));
        assertThat(r.reserve(c, q(Map.of("A", 3, "B", 2)))).isEmpty();
        // A has 5 - 1 - 3 = 1 left: the next order wanting 2 gets nothing, not even its B
        assertThat(r.reserve(c, q(Map.of("A", 2, "B", 0)))).containsExactly("A");
        assertThat(r.available("A")).contains(1L);
        assertThat(r.available("B")).contains(0L);
        // nothing is written until the flush, then each row once
        assertThat(row("A")).containsExactly(5, 1);
        r.flush(c, Instant.now());
        assertThat(row("A")).containsExactly(5, 4);
        assertThat(row("B")).containsExactly(2, 2);
    }

    @Test
    void aSkuWithoutAStockRowIsShortAndLockedLateRowsCount() throws SQLException {
        Reservations r = Reservations.lock(c, List.of("A"));
        assertThat(r.reserve(c, q(Map.of("NONE", 1)))).containsExactly("NONE");
        assertThat(r.available("NONE")).isEmpty();
        // B was not in the first lock: it is read (and locked) when first touched
        assertThat(r.reserve(c, q(Map.of("B", 2)))).isEmpty();
        r.flush(c, Instant.now());
        assertThat(row("B")).containsExactly(2, 2);
    }

    @Test
    void releaseAndConsumeNeverGoBelowZero() throws SQLException {
        Reservations r = Reservations.lock(c, List.of("A", "B"));
        r.release(c, q(Map.of("A", 4)));
        assertThat(r.consume(c, q(Map.of("B", 3)), java.util.Set.of())).containsExactly(Map.entry("B", 2L));
        r.flush(c, Instant.now());
        assertThat(row("A")).containsExactly(5, 0);
        assertThat(row("B")).containsExactly(0, 0);
        // after a flush the ledger goes on from the written figures
        assertThat(r.reserve(c, q(Map.of("A", 5)))).isEmpty();
        assertThat(r.consume(c, q(Map.of("A", 2)), java.util.Set.of())).containsExactly(Map.entry("A", 2L));
        r.flush(c, Instant.now());
        assertThat(row("A")).containsExactly(3, 3);
    }

    @Test
    void aPickThatACountAlreadyReflectsLowersOnlyReserved() throws SQLException {
        Reservations r = Reservations.lock(c, List.of("A", "B"));
        assertThat(r.reserve(c, q(Map.of("B", 1)))).isEmpty();
        // A's warehouse was counted after the pick: the count no longer lists the unit, on-hand already says so
        assertThat(r.consume(c, q(Map.of("A", 1, "B", 1)), java.util.Set.of("A"))).containsExactly(Map.entry("B", 1L));
        r.flush(c, Instant.now());
        assertThat(row("A")).containsExactly(5, 0);
        assertThat(row("B")).containsExactly(1, 0);
    }

    @Test
    void linesOfOneSkuAddUpWithoutWrappingNegative() {
        OrderLine big = new OrderLine("A", "A", OrderLine.MAX_QUANTITY, null);
        java.util.List<OrderLine> lines = java.util.Collections.nCopies(3000, big);
        assertThat(Reservations.quantities(lines)).containsExactly(Map.entry("A", Integer.MAX_VALUE));
        assertThat(Reservations.quantities(List.of(big, new OrderLine("A", "A", 2, null))))
                .containsExactly(Map.entry("A", OrderLine.MAX_QUANTITY + 2));
    }
}
