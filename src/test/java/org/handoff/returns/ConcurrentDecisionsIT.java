package org.handoff.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;
import static org.handoff.files.DropFolders.onHand;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two decisions on one return at once (two operators, a retry, two hubs): one is recorded and moves the units once;
 * the other is 409 ILLEGAL_TRANSITION naming the state the first left. Before, the loser read the return before the
 * winner committed and answered "is QUARANTINED; a decision was already recorded". Here a transaction holds the
 * return's row, so both read it undecided and wait to decide it.
 */
class ConcurrentDecisionsIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void oneOfTwoDecisionsAtOnceIsRecordedAndTheOtherNamesIt(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv",
                    "rma,channel,order_external_id,sku,quantity,reason\nRMA-31,shopify,1,MUG-WHITE,2,unopened\n"), ".done");

            List<CompletableFuture<TestHub.Response>> decisions;
            try (Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                TestHub.lockRow(c, "select rma from returns where rma = ? for update", "RMA-31");
                decisions = List.of("RESTOCK", "SCRAP").stream().map(d -> CompletableFuture.supplyAsync(() ->
                        hub.api().post("/api/returns/RMA-31/decision", Map.of("decision", d, "actor", "ops")))).toList();
                hub.awaitLockWaiters(2);
                c.commit();
            }
            TestHub.Response a = decisions.get(0).get(20, TimeUnit.SECONDS);
            TestHub.Response b = decisions.get(1).get(20, TimeUnit.SECONDS);
            assertThat(List.of(a.status(), b.status())).as(a + " / " + b).containsExactlyInAnyOrder(200, 409);
            TestHub.Response won = a.status() == 200 ? a : b;
            TestHub.Response lost = a.status() == 200 ? b : a;
            String state = won.json().get("state").asText();
            assertThat(lost.json().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
            assertThat(lost.json().get("message").asText()).contains("is " + state);
            assertThat(lost.json().get("state").asText()).as(lost.body()).isEqualTo(state);

            // the units moved once: out of quarantine, and onto the shelf only if restocked
            assertThat(hub.api().get("/api/inventory/MUG-WHITE").json().get("quarantined").asLong()).isZero();
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(state.equals("RESTOCKED") ? 2 : 0);
            assertThat(hub.api().get("/api/returns/RMA-31").json().get("history")).hasSize(2);
        }
    }
}
