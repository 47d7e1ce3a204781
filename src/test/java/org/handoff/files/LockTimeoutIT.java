package org.handoff.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A file batch that waits for a stock row longer than the database's lock timeout (H2: one second; a long
 * transaction such as a large count's last step holds many) is a transient fault: the file stays in place and is
 * applied when the row is free. Before, the stock rows' batched update reported the timeout as a
 * BatchUpdateException, which is not transient: the file was rejected part-way (PROCESSING_ERROR, to .failed/).
 */
class LockTimeoutIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aBatchThatWaitsPastTheLockTimeoutIsTakenAgain(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv",
                    "rma,channel,order_external_id,sku,quantity,reason\nRMA-1,shopify,1,MUG-WHITE,1,chipped\n"), ".done");
            Path po;
            try (Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                TestHub.lockRow(c, "select sku from stock where sku = ? for update", "MUG-WHITE");
                po = drop(hub, "purchase-orders", "purchase-orders_20261122T020000Z.csv",
                        "po_number,supplier_code,sku,quantity,expected_at\nPO-1,ACME,MUG-WHITE,10,2026-12-03\n");
                hub.awaitLockWaiters(1);
                Thread.sleep(2_500); // past H2's lock timeout
                c.commit();
            }
            JsonNode report = awaitReport(po, ".done");
            assertThat(report.get("rowsApplied").asLong()).as(report.toString()).isEqualTo(1);
            assertThat(hub.api().get("/api/inventory/MUG-WHITE").json().get("inbound").asLong()).isEqualTo(10);
        }
    }
}
