package org.handoff.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;
import static org.handoff.files.DropFolders.onHand;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A manifest that restates a return's line while an operator decides it. The decision moves the units its lines hold
 * when it commits; the manifest must either change the line before that (the decision then moves the new quantity)
 * or find the return decided (its row held). Before, the manifest read the return's state without a lock: it raised
 * the line from 2 to 3 after the decision had moved 2, and the third unit stayed in quarantine of a RESTOCKED return,
 * where no decision can ever reach it. Here a transaction holds the SKU's stock row, so both wait there at once.
 */
class DecisionRacingManifestIT {

    private static final String HEADER = "rma,channel,order_external_id,sku,quantity,reason\n";

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aManifestRacingTheDecisionLeavesNothingInQuarantine(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv",
                    HEADER + "RMA-77,shopify,1,MUG-WHITE,2,unopened\n"), ".done");
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(2);

            Path restated;
            CompletableFuture<TestHub.Response> decision;
            try (Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                TestHub.lockRow(c, "select sku from stock where sku = ? for update", "MUG-WHITE");
                restated = drop(hub, "returns", "returns_20261123T040000Z.csv",
                        HEADER + "RMA-77,shopify,1,MUG-WHITE,3,unopened\n");
                hub.awaitLockWaiters(1); // the manifest's batch is taken and waits behind the stock row
                decision = CompletableFuture.supplyAsync(() -> hub.api().post("/api/returns/RMA-77/decision",
                        Map.of("decision", "RESTOCK", "actor", "ops")));
                hub.awaitLockWaiters(2); // and the decision behind the stock row, or the manifest's return
                c.commit();
            }
            assertThat(decision.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
            awaitReport(restated, ".done");

            JsonNode rma = hub.api().get("/api/returns/RMA-77").json();
            assertThat(rma.get("state").asText()).isEqualTo("RESTOCKED");
            long units = rma.get("lines").get(0).get("quantity").asLong();
            // whichever came first, the decision moved every unit the return holds
            assertThat(quarantined(hub, "MUG-WHITE")).as(rma.toString()).isZero();
            assertThat(onHand(hub, "MUG-WHITE")).as(rma.toString()).isEqualTo(units);
        }
    }

    private static long quarantined(TestHub hub, String sku) {
        return hub.api().get("/api/inventory/" + sku).json().get("quarantined").asLong();
    }
}
