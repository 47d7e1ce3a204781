package org.handoff.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.handoff.files.DropFolders.WAIT;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;
import static org.handoff.files.DropFolders.onHand;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * State files (inventory counts, the catalog, purchase orders) through the real drop folders: the same bytes are
 * a duplicate only while they are still the last thing applied for their scope; a file's rows older than what a
 * newer file set are held STALE_UPDATE. Files of events (returns) keep the plain content key.
 */
class StateFilesIT {

    /** Waits for the kind's n-th receipt and returns the newest. */
    static JsonNode newestReceipt(TestHub hub, String kind, int n) {
        await().atMost(WAIT).until(() -> {
            JsonNode files = hub.api().get("/api/files?kind=" + kind).json().get("files");
            return files.size() == n && !files.get(0).get("status").asText().equals("processing");
        });
        return hub.api().get("/api/files?kind=" + kind).json().get("files").get(0);
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aCountThatGoesBackToAnEarlierFilesBytesIsApplied(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String ten = "sku,location,on_hand\nMUG-WHITE,C-01,10\n";
            awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T010000Z.csv", ten), ".done");
            awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T020000Z.csv",
                    "sku,location,on_hand\nMUG-WHITE,C-01,8\n"), ".done");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(8);

            // 10 again: byte for byte the first file, and news (before: a duplicate, on-hand stayed 8)
            JsonNode third = awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T030000Z.csv", ten), ".done");
            assertThat(third.get("status").asText()).isEqualTo("applied");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(10);

            // the last file's bytes again under another name: nothing is news, a duplicate
            JsonNode fourth = awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T040000Z.csv", ten), ".done");
            assertThat(fourth.get("status").asText()).isEqualTo("duplicate");
            // the second file itself re-sent (same name, same bytes): a duplicate, not a stale count
            drop(hub, "inventory", "inventory_WH1_20261122T020000Z.csv", "sku,location,on_hand\nMUG-WHITE,C-01,8\n");
            assertThat(newestReceipt(hub, "inventory", 5).get("status").asText()).isEqualTo("duplicate");
            assertThat(hub.api().get("/api/holds?status=open&reason=STALE_SNAPSHOT").json().get("holds")).isEmpty();
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(10);

            // another warehouse's count is another scope: WH2's first file with the same bytes applies
            JsonNode other = awaitReport(drop(hub, "inventory", "inventory_WH2_20261122T050000Z.csv", ten), ".done");
            assertThat(other.get("status").asText()).isEqualTo("applied");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(20);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aProductDeactivatedThenReactivatedIsActiveAndAnOlderCatalogRowIsHeld(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String on = "sku,barcode,description,active\nMUG-WHITE,4006381333931,White mug 330 ml,true\n";
            awaitReport(drop(hub, "catalog", "catalog_20261122T010000Z.csv", on), ".done");
            awaitReport(drop(hub, "catalog", "catalog_20261122T020000Z.csv",
                    "sku,barcode,description,active\nMUG-WHITE,4006381333931,White mug 330 ml,false\n"), ".done");
            assertThat(active(hub)).isFalse();
            JsonNode back = awaitReport(drop(hub, "catalog", "catalog_20261122T030000Z.csv", on), ".done");
            assertThat(back.get("status").asText()).isEqualTo("applied");
            assertThat(active(hub)).isTrue();

            // a delayed export from before the last one: its row is held, the newer state stays
            JsonNode old = awaitReport(drop(hub, "catalog", "catalog_20261121T230000Z.csv",
                    "sku,barcode,description,active\nMUG-WHITE,4006381333931,Mug,false\n"
                            + "NEW-SKU-1,,New product,true\n"), ".done");
            assertThat(old.get("rowsApplied").asLong()).isEqualTo(1); // the SKU no newer file set
            assertThat(old.get("heldByReason").get("STALE_UPDATE").asLong()).isEqualTo(1);
            assertThat(active(hub)).isTrue();
            JsonNode hold = hub.api().get("/api/holds?status=open&reason=STALE_UPDATE").json().get("holds").get(0);
            assertThat(hold.get("detail").asText()).contains("newer catalog file");

            // released, the operator's decision applies it anyway; the row keeps the newer time
            assertThat(hub.api().post("/api/holds/" + hold.get("holdId").asLong() + "/release",
                    Map.of("actor", "ops", "note", "the old export was right")).json().get("status").asText())
                    .isEqualTo("released");
            assertThat(active(hub)).isFalse();
            assertThat(hub.jdbc().queryOne("select stated_at from catalog where sku = 'MUG-WHITE'",
                    rs -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant()).orElseThrow())
                    .isEqualTo(java.time.Instant.parse("2026-11-22T03:00:00Z"));
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aPurchaseOrderLineGoesBackAndAnOlderFileDoesNotUndoANewerOne(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String hundred = "po_number,supplier_code,sku,quantity,expected_at\nPO-7001,ACME,MUG-WHITE,100,2026-12-03\n";
            awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261122T010000Z.csv", hundred), ".done");
            awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261122T020000Z.csv",
                    "po_number,supplier_code,sku,quantity,expected_at\nPO-7001,ACME,MUG-WHITE,80,2026-12-03\n"), ".done");
            assertThat(inbound(hub)).isEqualTo(80);
            JsonNode back = awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261122T030000Z.csv", hundred),
                    ".done");
            assertThat(back.get("status").asText()).isEqualTo("applied");
            assertThat(inbound(hub)).isEqualTo(100);

            JsonNode old = awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261121T230000Z.csv",
                    "po_number,supplier_code,sku,quantity,expected_at\nPO-7001,ACME,MUG-WHITE,5,2026-12-03\n"
                            + "PO-7002,ACME,MUG-WHITE,7,2026-12-05\n"), ".done");
            assertThat(old.get("heldByReason").get("STALE_UPDATE").asLong()).isEqualTo(1);
            assertThat(old.get("heldRows").get(0).get("row").asText()).isEqualTo("2");
            assertThat(inbound(hub)).isEqualTo(107); // PO-7002 is new: its line applies
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aReturnsManifestSentAgainAfterAnotherIsStillADuplicate(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String first = "rma,channel,order_external_id,sku,quantity,reason\nRMA-8001,shopify,1,MUG-WHITE,2,chipped\n";
            awaitReport(drop(hub, "returns", "returns_20261122T010000Z.csv", first), ".done");
            awaitReport(drop(hub, "returns", "returns_20261122T020000Z.csv",
                    "rma,channel,order_external_id,sku,quantity,reason\nRMA-8002,shopify,2,MUG-WHITE,1,torn\n"), ".done");
            JsonNode again = awaitReport(drop(hub, "returns", "returns_20261122T030000Z.csv", first), ".done");
            assertThat(again.get("status").asText()).isEqualTo("duplicate");
            assertThat(hub.api().get("/api/inventory/MUG-WHITE").json().get("quarantined").asLong()).isEqualTo(3);
        }
    }

    private static boolean active(TestHub hub) {
        return hub.jdbc().queryOne("select active from catalog where sku = ?", rs -> rs.getBoolean(1), "MUG-WHITE")
                .orElseThrow();
    }

    private static long inbound(TestHub hub) {
        return hub.api().get("/api/inventory/MUG-WHITE").json().get("inbound").asLong();
    }

    private static final String CAT = "sku,barcode,description,active\n";

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aLateFileWhoseRowsWereAllHeldDoesNotStandAndTheNextFileWithItsBytesApplies(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String on = CAT + "MUG-WHITE,4006381333931,White mug 330 ml,true\n";
            awaitReport(drop(hub, "catalog", "catalog_20261122T010000Z.csv", on), ".done");
            awaitReport(drop(hub, "catalog", "catalog_20261122T030000Z.csv",
                    CAT + "MUG-WHITE,4006381333931,White mug 330 ml,false\n"), ".done");
            // 02:00, late, with 01:00's bytes: its row is held stale, and the 03:00 state still stands
            JsonNode late = awaitReport(drop(hub, "catalog", "catalog_20261122T020000Z.csv", on), ".done");
            assertThat(late.get("heldByReason").get("STALE_UPDATE").asLong()).isEqualTo(1);
            assertThat(active(hub)).isFalse();
            // 04:00 reactivates with the same bytes: news, not a duplicate of the late file
            JsonNode back = awaitReport(drop(hub, "catalog", "catalog_20261122T040000Z.csv", on), ".done");
            assertThat(back.get("status").asText()).isEqualTo("applied");
            assertThat(active(hub)).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aBadRowOfACountAppliedAgainIsHeldAfreshAndItsReleaseApplies(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String first = "sku,location,on_hand\nMUG-WHITE,C-01,10\nTSHIRT-RED-M,A-01,x\n";
            JsonNode a = awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T010000Z.csv", first), ".done");
            long h1 = a.get("heldRows").get(0).get("holdId").asLong();
            hub.api().post("/api/holds/" + h1 + "/release",
                    Map.of("actor", "ops", "note", "typo", "payload", "TSHIRT-RED-M,A-01,4"));
            awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T020000Z.csv",
                    "sku,location,on_hand\nMUG-WHITE,C-01,8\nTSHIRT-RED-M,A-01,3\n"), ".done");
            JsonNode c = awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T030000Z.csv", first), ".done");
            assertThat(c.get("status").asText()).isEqualTo("applied");
            long h3 = c.get("heldRows").get(0).get("holdId").asLong();
            assertThat(h3).isNotEqualTo(h1); // not the first file's hold, released long ago
            assertThat(hub.api().get("/api/holds?status=open&reason=BAD_ROW").json().get("holds")).hasSize(1);
            // released under its own file's name and time: not refused as older than the count that stands
            JsonNode released = hub.api().post("/api/holds/" + h3 + "/release",
                    Map.of("actor", "ops", "note", "typo", "payload", "TSHIRT-RED-M,A-01,5")).json();
            assertThat(released.get("status").asText()).as(released.toString()).isEqualTo("released");
            assertThat(onHand(hub, "TSHIRT-RED-M")).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aBadRowOfAnOlderCatalogFileCorrectedAndReleasedDoesNotUndoANewerFile(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "catalog", "catalog_20261122T010000Z.csv",
                    CAT + "MUG-WHITE,4006381333931,White mug 330 ml,true\n"), ".done");
            JsonNode a = awaitReport(drop(hub, "catalog", "catalog_20261122T020000Z.csv",
                    CAT + "MUG-WHITE,4006381333931,Old name,yes\n"), ".done");
            long hold = a.get("heldRows").get(0).get("holdId").asLong();
            awaitReport(drop(hub, "catalog", "catalog_20261122T030000Z.csv",
                    CAT + "MUG-WHITE,4006381333931,White mug 330 ml,false\n"), ".done");
            // the typo fixed: the row is still 02:00's, older than what 03:00 set: held again, as stale now
            JsonNode released = hub.api().post("/api/holds/" + hold + "/release", Map.of("actor", "ops",
                    "note", "fixed the typo", "payload", "MUG-WHITE,4006381333931,Old name,true")).json();
            assertThat(released.get("status").asText()).isEqualTo("open");
            assertThat(active(hub)).isFalse();
            JsonNode now = hub.api().get("/api/holds/" + hold).json();
            assertThat(now.get("reasonCode").asText()).isEqualTo("STALE_UPDATE");
            // released again, now from STALE_UPDATE: the operator overrides the age, and it applies
            assertThat(hub.api().post("/api/holds/" + hold + "/release", Map.of("actor", "ops", "note", "it is right",
                    "payload", "MUG-WHITE,4006381333931,Old name,true")).json().get("status").asText())
                    .isEqualTo("released");
            assertThat(active(hub)).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aCountClaimedUnderTheKeyOfTheVersionBeforeIsStillItsClaim(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String content = "sku,location,on_hand\nMUG-WHITE,C-01,10\n";
            java.nio.file.Path staged = java.nio.file.Files.createTempFile("snapshot", ".csv");
            java.nio.file.Files.writeString(staged, content);
            String checksum = FileIntake.sha256(staged);
            // an instance of the version before V67 is applying it (kind:sha256, no scope) and heart-beating
            hub.jdbc().update("insert into file_receipts (kind, file_name, checksum, claim_key, status, node, "
                    + "received_at, heartbeat_at) values ('inventory', 'inventory_WH1_20261122T030000Z.csv', ?, ?, "
                    + "'processing', 'old-node', ?, ?)", checksum, "inventory:" + checksum, java.time.Instant.now(),
                    java.time.Instant.now());
            java.nio.file.Path dropped = drop(hub, "inventory", "inventory_WH1_20261122T030000Z.csv", content);
            Thread.sleep(1500);
            assertThat(dropped).exists(); // busy: left in place
            // another warehouse's count with the same bytes is not that claim
            JsonNode other = awaitReport(drop(hub, "inventory", "inventory_WH2_20261122T030000Z.csv", content), ".done");
            assertThat(other.get("status").asText()).isEqualTo("applied");
            // the old instance stopped: its claim is taken over, and the file applied once
            hub.jdbc().update("update file_receipts set heartbeat_at = ? where node = 'old-node'",
                    java.time.Instant.now().minusSeconds(3600));
            assertThat(awaitReport(dropped, ".done").get("status").asText()).isEqualTo("applied");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(20);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aLateCountStampedBeforeADuplicateOfTheStandingCountIsStale(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String ten = "sku,location,on_hand\nMUG-WHITE,C-01,10\n";
            awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T010000Z.csv", ten), ".done");
            assertThat(awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T030000Z.csv", ten), ".done")
                    .get("status").asText()).isEqualTo("duplicate");
            // 02:00 comes late: 03:00 said 10 (by the duplicate), so 02:00's 8 is stale
            JsonNode late = awaitReport(drop(hub, "inventory", "inventory_WH1_20261122T020000Z.csv",
                    "sku,location,on_hand\nMUG-WHITE,C-01,8\n"), ".failed");
            assertThat(late.get("reasonCode").asText()).isEqualTo("STALE_SNAPSHOT");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void lateCatalogAndPoRowsStampedBeforeADuplicateOfTheStandingFileAreStale(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String on = CAT + "MUG-WHITE,4006381333931,White mug 330 ml,true\n";
            awaitReport(drop(hub, "catalog", "catalog_20261122T010000Z.csv", on), ".done");
            assertThat(awaitReport(drop(hub, "catalog", "catalog_20261122T030000Z.csv", on), ".done")
                    .get("status").asText()).isEqualTo("duplicate");
            JsonNode late = awaitReport(drop(hub, "catalog", "catalog_20261122T020000Z.csv",
                    CAT + "MUG-WHITE,4006381333931,White mug 330 ml,false\n"), ".done");
            assertThat(late.get("heldByReason").get("STALE_UPDATE").asLong()).isEqualTo(1);
            assertThat(active(hub)).isTrue();

            String hundred = "po_number,supplier_code,sku,quantity,expected_at\nPO-7101,ACME,MUG-WHITE,100,2026-12-03\n";
            awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261122T010000Z.csv", hundred), ".done");
            assertThat(awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261122T030000Z.csv", hundred),
                    ".done").get("status").asText()).isEqualTo("duplicate");
            JsonNode latePo = awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261122T020000Z.csv",
                    "po_number,supplier_code,sku,quantity,expected_at\nPO-7101,ACME,MUG-WHITE,5,2026-12-03\n"), ".done");
            assertThat(latePo.get("heldByReason").get("STALE_UPDATE").asLong()).isEqualTo(1);
            assertThat(inbound(hub)).isEqualTo(100);
        }
    }
}
