package org.handoff.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

import java.sql.Connection;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.api.Test;

/**
 * An API request that waits for a row longer than the store's lock timeout (H2: one second; PostgreSQL has none
 * set, the request waits) answers 503, to be retried: the same request a moment later goes through. Before, it
 * was a 500 INTERNAL_ERROR, as if the hub had failed.
 */
class ApiLockTimeoutIT {

    @Test
    void aDecisionThatWaitsPastTheLockTimeoutIs503AndGoesThroughWhenTheRowIsFree() throws Exception {
        try (TestHub hub = TestHub.start(TestDb.H2)) {
            awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv",
                    "rma,channel,order_external_id,sku,quantity,reason\nRMA-9,shopify,1,MUG-WHITE,1,chipped\n"), ".done");
            Map<String, Object> decision = Map.of("decision", "RESTOCK", "actor", "ops", "note", "fine");
            try (Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                // another transaction holds the return's row (a manifest of the same return being applied)
                TestHub.lockRow(c, "select rma from returns where rma = ? for update", "RMA-9");
                TestHub.Response busy = hub.api().post("/api/returns/RMA-9/decision", decision);
                assertThat(busy.status()).as(busy.body()).isEqualTo(503);
                assertThat(busy.json().get("error").asText()).isEqualTo("STORE_BUSY");
                assertThat(busy.body()).doesNotContain("Exception");
                c.commit();
            }
            TestHub.Response done = hub.api().post("/api/returns/RMA-9/decision", decision);
            assertThat(done.status()).as(done.body()).isEqualTo(200);
            assertThat(hub.api().get("/api/returns/RMA-9").json().get("state").asText()).isEqualTo("RESTOCKED");
        }
    }
}
