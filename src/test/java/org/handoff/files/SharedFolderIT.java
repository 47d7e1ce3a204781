package org.handoff.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two instances on one shared folder (DESIGN §9): the content's claim in the database decides who applies
 * a file. Another instance's live claim leaves the file in place; a claim whose heartbeat stopped is taken over.
 */
class SharedFolderIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aFileAnotherInstanceIsApplyingStaysInPlaceUntilItsClaimLapses(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String content = "sku,location,on_hand\nMUG-WHITE,C-01,10\n";
            Path staged = Files.createTempFile("snapshot", ".csv");
            Files.writeString(staged, content);
            String checksum = FileIntake.sha256(staged);
            // the other instance claimed this content a moment ago and is heart-beating
            // (a count's claim key is WH1's: FileReceipts.claimKey)
            hub.jdbc().update("insert into file_receipts (kind, file_name, checksum, claim_key, scope, status, node, "
                    + "received_at, heartbeat_at) values ('inventory', 'inventory_WH1_20261122T030000Z.csv', ?, ?, 'WH1', "
                    + "'processing', 'other-node', ?, ?)", checksum, FileReceipts.claimKey("inventory", "WH1", checksum),
                    Instant.now(), Instant.now());

            Path dropped = drop(hub, "inventory", "inventory_WH1_20261122T030000Z.csv", content);
            Thread.sleep(1500);
            assertThat(dropped).exists();
            assertThat(hub.api().get("/api/inventory/MUG-WHITE").status()).isEqualTo(404);

            // the other instance died: its heartbeat is older than the lease, so this one takes the file over
            hub.jdbc().update("update file_receipts set heartbeat_at = ? where node = 'other-node'",
                    Instant.now().minusSeconds(3600));
            var report = awaitReport(dropped, ".done");
            assertThat(report.get("status").asText()).isEqualTo("applied");
            assertThat(hub.api().get("/api/inventory/MUG-WHITE").json().get("onHand").asLong()).isEqualTo(10);
            assertThat(hub.jdbc().queryOne("select count(*) from file_receipts where claim_key is not null",
                    rs -> rs.getLong(1)).orElseThrow()).isEqualTo(1);
        }
    }

    /**
     * This instance's heartbeat lapsed mid-file and another took the file over: this one stops (the batch that found
     * out rolls back) and neither finishes the receipt nor moves the file, which stay the other instance's. Before, it
     * went on, wrote "applied" over the other's claim and moved the file away from under it.
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anInstanceWhoseFileWasTakenOverStopsAndLeavesTheFileToTheNewHolder(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).property("handoff.inbox.batch-rows", "1").start()) {
            awaitReport(drop(hub, "catalog", "catalog_20261124T010000Z.csv",
                    "sku,barcode,description,active\nFENCE-1,1,one,true\nFENCE-2,2,two,true\n"), ".done");
            Path dropped;
            try (java.sql.Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                // the file's second batch waits for this row: the file stops after its first batch
                try (java.sql.PreparedStatement ps = c.prepareStatement("select sku from catalog where sku = 'FENCE-2' for update");
                     java.sql.ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
                dropped = drop(hub, "catalog", "catalog_20261124T020000Z.csv",
                        "sku,barcode,description,active\nFENCE-1,1,one again,true\nFENCE-2,2,two again,true\n");
                org.awaitility.Awaitility.await().atMost(DropFolders.WAIT).until(() -> hub.jdbc().queryOne(
                        "select description from catalog where sku = 'FENCE-1'", rs -> rs.getString(1))
                        .orElseThrow().equals("one again"));
                // meanwhile another instance found the heartbeat old and took the file over
                hub.jdbc().update("update file_receipts set node = 'other-node', heartbeat_at = ? where status = 'processing'",
                        Instant.now());
                Thread.sleep(1200); // past the once-a-second progress write, which is where the batch finds out
                c.commit();
            }
            Thread.sleep(1500);
            assertThat(dropped).exists();
            assertThat(dropped.getParent().resolve(".done").resolve(dropped.getFileName())).doesNotExist();
            assertThat(hub.jdbc().queryOne("select status || ':' || node from file_receipts where file_name = ?",
                    rs -> rs.getString(1), dropped.getFileName().toString()).orElseThrow()).isEqualTo("processing:other-node");
            assertThat(hub.jdbc().queryOne("select description from catalog where sku = 'FENCE-2'", rs -> rs.getString(1))
                    .orElseThrow()).isEqualTo("two"); // the batch that found out rolled back

            // the other instance stopped too: its claim lapses, this one takes the file over and finishes it
            hub.jdbc().update("update file_receipts set heartbeat_at = ? where node = 'other-node'",
                    Instant.now().minusSeconds(3600));
            assertThat(awaitReport(dropped, ".done").get("status").asText()).isEqualTo("applied");
            assertThat(hub.jdbc().queryOne("select description from catalog where sku = 'FENCE-2'", rs -> rs.getString(1))
                    .orElseThrow()).isEqualTo("two again");
        }
    }
}
