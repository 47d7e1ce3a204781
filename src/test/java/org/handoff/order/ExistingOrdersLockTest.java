package org.handoff.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A batch locks the existing orders it touches in one order, however many ids it has: sorted before they are cut into
 * IN-list chunks of 128. Cut in arrival order, a batch of more than 128 ids locked chunk by chunk, and two batches
 * sharing two orders could lock them in opposite orders (found by a review helper).
 */
class ExistingOrdersLockTest {

    @Test
    void aBatchOfMoreThanOneChunkLocksItsOrdersInSortedOrder() throws Exception {
        String url = "jdbc:h2:mem:orders-lock;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=3000";
        try (Connection setup = DriverManager.getConnection(url)) {
            setup.createStatement().execute("create table orders (channel varchar(64), external_id varchar(200), "
                    + "primary key (channel, external_id))");
            setup.createStatement().execute("insert into orders values ('shopify', 'A-1'), ('shopify', 'Z-1')");
        }
        // Z-1 arrives first and A-1 after 127 new ids: in arrival order they would fall in two chunks, Z-1's first
        List<String> batch = new ArrayList<>(List.of("Z-1"));
        for (int i = 0; i < 127; i++) {
            batch.add("NEW-" + i);
        }
        batch.add("A-1");
        try (Connection other = DriverManager.getConnection(url); Connection c = DriverManager.getConnection(url)) {
            other.setAutoCommit(false);
            c.setAutoCommit(false);
            lock(other, "A-1"); // another writer holds A-1, and will want Z-1 next
            CompletableFuture<Void> locking = CompletableFuture.runAsync(() -> {
                try {
                    new OrderStore(null).existingExternalIds(c, "shopify", batch);
                    c.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500); // the batch waits for A-1, which sorts first: it must not hold Z-1 meanwhile
            long start = System.nanoTime();
            lock(other, "Z-1");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
            other.commit();
            locking.get(10, TimeUnit.SECONDS);
        }
    }

    private static void lock(Connection c, String externalId) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("select external_id from orders where channel = 'shopify' "
                + "and external_id = ? for update")) {
            ps.setString(1, externalId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
        }
    }
}
