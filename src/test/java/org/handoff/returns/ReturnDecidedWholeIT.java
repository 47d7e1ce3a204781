package org.handoff.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;
import static org.handoff.files.DropFolders.onHand;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A return is decided whole: while a row of it is held (a BAD_ROW, an UNKNOWN_SKU line waiting for an operator), its
 * decision is 409 ILLEGAL_TRANSITION naming the state and the open holds, and nothing moves. Before, the decision
 * restocked the lines that were not held, and the held rows were left to a return that could not take them any more.
 * A second decision's 409 names the state the first left, as an order's 409 does.
 */
class ReturnDecidedWholeIT {

    private static final String HEADER = "rma,channel,order_external_id,sku,quantity,reason\n";

    private static long quarantined(TestHub hub, String sku) {
        return hub.api().get("/api/inventory/" + sku).json().get("quarantined").asLong();
    }

    private static List<Long> openHolds(TestHub hub) {
        List<Long> ids = new ArrayList<>();
        hub.api().get("/api/holds?status=open").json().get("holds").forEach(h -> ids.add(h.get("holdId").asLong()));
        return ids;
    }

    private static TestHub.Response decide(TestHub hub, String rma, String decision) {
        return hub.api().post("/api/returns/" + rma + "/decision", Map.of("decision", decision, "actor", "ops"));
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aReturnWithHeldRowsIsNotDecidedUntilEachIsReleasedOrDiscarded(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            JsonNode report = awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv", HEADER
                    + "RMA-20,woocommerce,1043,MUG-WHITE,1,arrived chipped\n"
                    + "RMA-20,woocommerce,1043,MUG-WHITE,one,dented\n"
                    + "RMA-20,woocommerce,1043,MUG-WHITE-V1,1,old label (its alias window closed)\n"
                    + "RMA-21,woocommerce,1044,MUG-WHITE,1,unwanted\n"), ".done");
            assertThat(report.get("rowsHeld").asLong()).isEqualTo(2);
            long mugOnHand = onHand(hub, "MUG-WHITE");
            List<Long> held = openHolds(hub);
            assertThat(held).hasSize(2);

            TestHub.Response refused = decide(hub, "RMA-20", "RESTOCK");
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
            assertThat(refused.json().get("state").asText()).isEqualTo("QUARANTINED");
            List<Long> named = new ArrayList<>();
            refused.json().get("holdIds").forEach(id -> named.add(id.asLong()));
            assertThat(named).containsExactlyElementsOf(held);
            JsonNode view = hub.api().get("/api/returns/RMA-20").json();
            assertThat(view.get("state").asText()).isEqualTo("QUARANTINED");
            assertThat(view.get("holdIds")).isEqualTo(refused.json().get("holdIds"));
            assertThat(quarantined(hub, "MUG-WHITE")).isEqualTo(2);
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(mugOnHand);

            // another return of the same file has no held row: decided at once
            assertThat(decide(hub, "RMA-21", "SCRAP").status()).isEqualTo(200);

            // the operator corrects the bad row (one unit) and discards the unknown SKU: the return is decided whole
            TestHub.Response released = hub.api().post("/api/holds/" + held.get(0) + "/release", Map.of("actor", "ops",
                    "note", "one unit", "payload", "RMA-20,woocommerce,1043,MUG-WHITE,1,dented"));
            assertThat(released.json().get("status").asText()).as(released.body()).isEqualTo("released");
            TestHub.Response stillHeld = decide(hub, "RMA-20", "RESTOCK");
            assertThat(stillHeld.status()).isEqualTo(409);
            assertThat(stillHeld.json().get("holdIds").toString()).isEqualTo("[" + held.get(1) + "]");
            assertThat(hub.api().post("/api/holds/" + held.get(1) + "/discard", Map.of("actor", "ops",
                    "note", "not ours")).status()).isEqualTo(200);

            JsonNode decided = decide(hub, "RMA-20", "RESTOCK").json();
            assertThat(decided.get("state").asText()).as(decided.toString()).isEqualTo("RESTOCKED");
            assertThat(decided.get("holdIds")).isEmpty();
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(mugOnHand + 2);
            assertThat(quarantined(hub, "MUG-WHITE")).isZero();

            // a second decision: 409 naming the state the first left
            TestHub.Response again = decide(hub, "RMA-20", "SCRAP");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
            assertThat(again.json().get("state").asText()).as(again.body()).isEqualTo("RESTOCKED");
        }
    }

    /** Rows held before V79 gave holds their {@code about}: the migration finds their RMA in the row they hold. */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void rowsHeldBeforeHoldsNamedTheirReturnAreFoundByTheMigration(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv", HEADER
                    + "RMA-22,woocommerce,1043,MUG-WHITE,1,arrived chipped\n"
                    + "RMA-22,woocommerce,1043,MUG-WHITE,one,dented\n"), ".done");
            long held = openHolds(hub).get(0);
            hub.jdbc().update("update holds set about = null");
            String migration;
            try (java.io.InputStream in = getClass().getResourceAsStream("/db/migration/V79__hold_about.sql")) {
                migration = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            String backfill = migration.substring(migration.indexOf("update holds")).replaceAll(";\\s*$", "");
            assertThat(hub.jdbc().update(backfill)).isEqualTo(1);

            TestHub.Response refused = decide(hub, "RMA-22", "SCRAP");
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().get("holdIds").toString()).isEqualTo("[" + held + "]");
        }
    }

    /**
     * A manifest holding a row of a return while its decision is being committed: the hold waits for the decision
     * (the manifest locks the return as the decision does), so no decision commits past a hold it did not see. Before
     * the lock, the hold committed while the decision, which had found no hold, was still moving the lines. Here a
     * transaction holds the SKU's stock row, so the decision waits there, past its look at the holds.
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aRowHeldWhileTheDecisionCommitsWaitsForIt(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv",
                    HEADER + "RMA-50,woocommerce,1043,MUG-WHITE,1,arrived chipped\n"), ".done");
            java.nio.file.Path late;
            java.util.concurrent.CompletableFuture<TestHub.Response> decision;
            try (java.sql.Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                TestHub.lockRow(c, "select sku from stock where sku = ? for update", "MUG-WHITE");
                decision = java.util.concurrent.CompletableFuture.supplyAsync(() -> decide(hub, "RMA-50", "RESTOCK"));
                hub.awaitLockWaiters(1); // the decision found no hold and waits to move the units
                late = drop(hub, "returns", "returns_20261122T050000Z.csv",
                        HEADER + "RMA-50,woocommerce,1043,MUG-WHITE,one,dented\n");
                hub.awaitLockWaiters(2); // the manifest waits for the return before it holds the row
                assertThat(openHolds(hub)).isEmpty();
                c.commit();
            }
            assertThat(decision.get(20, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
            // the row arrived after the decision: held as a change of a decided return
            JsonNode report = awaitReport(late, ".done");
            assertThat(report.get("rowsHeld").asLong()).isEqualTo(1);
            assertThat(hub.api().get("/api/returns/RMA-50").json().get("state").asText()).isEqualTo("RESTOCKED");
        }
    }
}
