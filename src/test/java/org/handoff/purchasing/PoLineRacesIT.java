package org.handoff.purchasing;

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
 * Two writers of one PO line at once: a newer purchase-orders file and the release of an older file's held row (on
 * one hub; two hubs sharing PostgreSQL applying two files are the same race). Inbound moves by the difference from the
 * line as it stood, so each writer must read the line the other left. Before, both read it unlocked: the release
 * computed its difference from the quantity the newer file was replacing, and wrote the older file's quantity over
 * the newer one's (its age checked against the stale time): line 12, inbound 22. Here a transaction holds the SKU's
 * stock row, so the file waits there with the line changed while the release arrives.
 */
class PoLineRacesIT {

    private static final String HEADER = "po_number,supplier_code,sku,quantity,expected_at\n";

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aReleaseRacingANewerFileSeesItsLine(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261122T010000Z.csv",
                    HEADER + "PO-77,ACME,MUG-WHITE,10,2026-12-03\n"), ".done");
            JsonNode typo = awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261122T020000Z.csv",
                    HEADER + "PO-77,ACME,MUG-WHITE,twelve,2026-12-10\n"), ".done");
            long holdId = typo.get("heldRows").get(0).get("holdId").asLong();
            assertThat(inbound(hub)).isEqualTo(10);

            Path newer;
            CompletableFuture<TestHub.Response> release;
            try (Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                TestHub.lockRow(c, "select sku from stock where sku = ? for update", "MUG-WHITE");
                newer = drop(hub, "purchase-orders", "purchase-orders_20261122T030000Z.csv",
                        HEADER + "PO-77,ACME,MUG-WHITE,20,2026-12-03\n");
                hub.awaitLockWaiters(1); // the newer file changed the line and waits for the stock row
                release = CompletableFuture.supplyAsync(() -> hub.api().post("/api/holds/" + holdId + "/release",
                        Map.of("actor", "ops", "note", "12 units", "payload", "PO-77,ACME,MUG-WHITE,12,2026-12-10")));
                hub.awaitLockWaiters(2); // the release waits for the line
                c.commit();
            }
            awaitReport(newer, ".done");
            assertThat(release.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);

            // the newer file's line stands; the older row, released from its typo, is now held as stale
            assertThat(line(hub)).isEqualTo(20);
            assertThat(inbound(hub)).isEqualTo(20);
            JsonNode hold = hub.api().get("/api/holds/" + holdId).json();
            assertThat(hold.get("reasonCode").asText()).as(hold.toString()).isEqualTo("STALE_UPDATE");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aReleaseRacingANewerFileForANewLineIsTakenAgain(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            // the line does not exist yet when a newer file and the release of the PO's first (typo) row both add it
            JsonNode typo = awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261122T020000Z.csv",
                    HEADER + "PO-77,ACME,MUG-WHITE,twelve,2026-12-10\nPO-78,ACME,MUG-WHITE,1,2026-12-10\n"), ".done");
            long holdId = typo.get("heldRows").get(0).get("holdId").asLong();

            Path newer;
            CompletableFuture<TestHub.Response> release;
            try (Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                TestHub.lockRow(c, "select sku from stock where sku = ? for update", "MUG-WHITE");
                newer = drop(hub, "purchase-orders", "purchase-orders_20261122T030000Z.csv",
                        HEADER + "PO-77,ACME,MUG-WHITE,20,2026-12-03\n");
                hub.awaitLockWaiters(1); // the newer file added the line and waits for the stock row
                release = CompletableFuture.supplyAsync(() -> hub.api().post("/api/holds/" + holdId + "/release",
                        Map.of("actor", "ops", "note", "12 units", "payload", "PO-77,ACME,MUG-WHITE,12,2026-12-10")));
                if (hub.isPostgres()) {
                    hub.awaitLockWaiters(2); // the release waits to add the same line
                } else {
                    Thread.sleep(300); // H2 does not list a wait on a unique key as a blocked session
                }
                c.commit();
            }
            JsonNode report = awaitReport(newer, ".done");
            assertThat(report.get("rowsApplied").asLong()).as(report.toString()).isEqualTo(1);
            assertThat(release.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);

            // the newer file's line stands, whichever added it first; the release was not failed by the race
            assertThat(line(hub)).isEqualTo(20);
            assertThat(inbound(hub)).isEqualTo(21); // PO-77's 20 and PO-78's 1
            JsonNode hold = hub.api().get("/api/holds/" + holdId).json();
            assertThat(hold.get("status").asText() + " " + hold.get("reasonCode").asText()).as(hold.toString())
                    .isIn("released BAD_ROW", "open STALE_UPDATE");
        }
    }

    private static long inbound(TestHub hub) {
        return hub.api().get("/api/inventory/MUG-WHITE").json().get("inbound").asLong();
    }

    private static long line(TestHub hub) {
        return hub.jdbc().queryOne("select quantity from purchase_order_lines where po_number = ? and sku = ?",
                rs -> rs.getLong(1), "PO-77", "MUG-WHITE").orElseThrow();
    }
}
