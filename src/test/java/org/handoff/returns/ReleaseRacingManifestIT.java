package org.handoff.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

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
 * Two writers opening the same return at once: the release of a manifest's held row and a later manifest (on one
 * hub; two hubs' manifests are the same race). The one that finds the return opened meanwhile is a transient fault:
 * taken again, it sees the return. Before, the unique key refused it and the release was held PROCESSING_ERROR (a
 * manifest was rejected part-way). Here a transaction holds the SKU's stock row, so the manifest waits there with
 * the return opened while the release arrives.
 */
class ReleaseRacingManifestIT {

    private static final String HEADER = "rma,channel,order_external_id,sku,quantity,reason\n";

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aReleaseRacingAManifestThatOpensTheReturnIsTakenAgain(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            JsonNode typo = awaitReport(drop(hub, "returns", "returns_20261122T040000Z.csv",
                    HEADER + "RMA-90,shopify,1,MUG-WHITE,two,chipped\nRMA-91,shopify,2,MUG-WHITE,1,dented\n"), ".done");
            long holdId = typo.get("heldRows").get(0).get("holdId").asLong();

            Path later;
            CompletableFuture<TestHub.Response> release;
            try (Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                TestHub.lockRow(c, "select sku from stock where sku = ? for update", "MUG-WHITE");
                later = drop(hub, "returns", "returns_20261123T040000Z.csv", HEADER + "RMA-90,shopify,1,MUG-WHITE,2,chipped\n");
                hub.awaitLockWaiters(1); // the later manifest opened the return and waits for the stock row
                release = CompletableFuture.supplyAsync(() -> hub.api().post("/api/holds/" + holdId + "/release",
                        Map.of("actor", "ops", "payload", "RMA-90,shopify,1,MUG-WHITE,2,chipped")));
                if (hub.isPostgres()) {
                    hub.awaitLockWaiters(2); // the release waits to open the same return
                } else {
                    Thread.sleep(300); // H2 does not list a wait on a unique key as a blocked session
                }
                c.commit();
            }
            JsonNode report = awaitReport(later, ".done");
            assertThat(report.get("rowsApplied").asLong()).as(report.toString()).isEqualTo(1);
            assertThat(release.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);

            JsonNode hold = hub.api().get("/api/holds/" + holdId).json();
            assertThat(hold.get("reasonCode").asText()).as(hold.toString()).isNotEqualTo("PROCESSING_ERROR");
            // what the return holds is what quarantine holds: RMA-90's line and RMA-91's unit
            long units = hub.api().get("/api/returns/RMA-90").json().get("lines").get(0).get("quantity").asLong();
            assertThat(hub.api().get("/api/inventory/MUG-WHITE").json().get("quarantined").asLong())
                    .as(hold.toString()).isEqualTo(units + 1);
        }
    }
}
