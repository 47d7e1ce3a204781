package org.handoff.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;
import static org.handoff.files.DropFolders.onHand;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN §5: "A file is taken only when complete (stable size, or a {@code .done} marker)". A sender that writes
 * {@code <name>.done} beside its file has the file taken at once, in every drop folder; the marker goes with its file
 * and is never a file of its own. Before, only the stable size counted: the file waited for
 * {@code handoff.inbox.stable-ms} whatever the marker said, and the marker stayed in the inbox for good.
 */
class DoneMarkerIT {

    /** Far longer than any wait below: a file taken within {@link DropFolders#WAIT} was taken by its marker. */
    private static final String NEVER_STABLE = "600000";

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aFileWithItsMarkerIsTakenAtOnceAndTheMarkerGoesWithIt(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).property("handoff.inbox.stable-ms", NEVER_STABLE).start()) {
            String count = "sku,location,on_hand\nMUG-WHITE,C-01,10\n";
            Path file = drop(hub, "inventory", "inventory_WH1_20261125T060000Z.csv", count);
            Path marker = dropMarker(file);

            JsonNode report = awaitReport(file, ".done");
            assertThat(report.get("status").asText()).isEqualTo("applied");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(10);
            assertThat(marker).doesNotExist();
            assertThat(file.resolveSibling(".done").resolve(marker.getFileName())).exists();
            assertThat(hub.api().get("/api/holds?status=open").json().get("holds")).isEmpty();

            // the same content under another name, with its marker, is still a duplicate (a count's is while it stands)
            Path again = drop(hub, "inventory", "inventory_WH1_20261125T070000Z.csv", count);
            Path againMarker = dropMarker(again);
            assertThat(awaitReport(again, ".done").get("status").asText()).isEqualTo("duplicate");
            assertThat(againMarker).doesNotExist();

            // every drop folder takes a file by its marker (these are rejected: a wrong header); a rejected file's marker
            // goes with it into .failed/, and the marker itself is never held
            Map<String, String> names = Map.of("catalog", "catalog_20261125T060000Z.csv",
                    "purchase-orders", "purchase-orders_20261125T060000Z.csv", "returns", "returns_20261125T060000Z.csv",
                    "dispatch", "dispatch_WH1_20261125T060000Z.csv", "orders", "orders_shopify_20261125T060000Z.csv",
                    "settlements", "settlement_shopify_20261125T060000Z.csv");
            for (Map.Entry<String, String> e : names.entrySet()) {
                Path bad = drop(hub, e.getKey(), e.getValue(), "not;the;header\n");
                Path badMarker = dropMarker(bad);
                JsonNode rejected = awaitReport(bad, ".failed");
                assertThat(rejected.get("reasonCode").asText()).as(e.getKey()).isIn("BAD_FILE_HEADER", "TEMPLATE_VERSION_MISMATCH");
                assertThat(badMarker).as(e.getKey()).doesNotExist();
                assertThat(bad.resolveSibling(".failed").resolve(badMarker.getFileName())).as(e.getKey()).exists();
            }
            JsonNode holds = hub.api().get("/api/holds?status=open").json().get("holds");
            assertThat(holds).extracting(h -> h.get("subject").asText()).containsExactlyInAnyOrderElementsOf(names.values());
        }
    }

    /**
     * What a marker met before: the routes take {@code *.csv} only, so it was not held {@code BAD_FILE_NAME}, but it
     * stayed in the inbox after its file was taken, one more for every file, for good.
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aMarkerIsNeverAFileOfItsOwnAndDoesNotStayBehind(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            Path file = drop(hub, "dispatch", "dispatch_WH1_20261125T060000Z.csv",
                    "order_id,event,carrier,tracking_number,occurred_at\n");
            Path marker = dropMarker(file);
            assertThat(awaitReport(file, ".done").get("status").asText()).isEqualTo("applied");
            assertThat(hub.api().get("/api/holds").json().get("holds")).isEmpty();
            assertThat(hub.api().get("/api/files").json().toString()).doesNotContain(marker.getFileName() + "\"");
            assertThat(marker).doesNotExist();
        }
    }

    /**
     * A marker does not let a newer count overtake an older one of the same poll that is still settling: files are
     * taken in name order, as they were (the older count, taken second, would be held STALE_SNAPSHOT).
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aMarkedFileDoesNotOvertakeAnOlderOneStillSettling(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).property("handoff.inbox.stable-ms", "2000").start()) {
            Path older = drop(hub, "inventory", "inventory_WH1_20261125T050000Z.csv", "sku,location,on_hand\nMUG-WHITE,C-01,7\n");
            Path newer = drop(hub, "inventory", "inventory_WH1_20261125T060000Z.csv", "sku,location,on_hand\nMUG-WHITE,C-01,9\n");
            dropMarker(newer);
            assertThat(awaitReport(newer, ".done").get("status").asText()).isEqualTo("applied");
            assertThat(awaitReport(older, ".done").get("rowsHeld").asLong()).isZero();
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(9);
            assertThat(hub.api().get("/api/holds?status=open").json().get("holds")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void withMarkersRequiredAFileWithoutOneWaitsHoweverStableItIs(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).property("handoff.inbox.require-done-marker", "true").start()) {
            // the test hub's stable-ms is 300 and it polls every 200 ms: 3 s is ten times stable and fifteen polls
            Path file = drop(hub, "purchase-orders", "purchase-orders_20261125T060000Z.csv",
                    "po_number,supplier_code,sku,quantity,expected_at\nPO-1,SUP-1,MUG-WHITE,5,2026-12-01\n");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file)
                    && !Files.exists(file.resolveSibling(".done")) && !Files.exists(file.resolveSibling(".failed")));

            Path marker = dropMarker(file);
            assertThat(awaitReport(file, ".done").get("status").asText()).isEqualTo("applied");
            assertThat(marker).doesNotExist();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aMarkerWithoutItsFileWaitsAndIsHeldWhenAloneForLong(TestDb db) throws Exception {
        try (TestHub hub = TestHub.builder().db(db).property("handoff.inbox.stable-ms", NEVER_STABLE)
                .property("handoff.inbox.orphan-marker-ms", "1500").start()) {
            Path inbox = hub.inbox("returns");
            Path file = inbox.resolve("returns_20261125T060000Z.csv");
            Path marker = dropMarker(file);
            // the marker without the extension is not a marker of the .csv: it is alone too
            Path shortMarker = Files.writeString(inbox.resolve("returns_20261125T060000Z.done"), "");

            await().atMost(DropFolders.WAIT).until(() -> openHolds(hub).size() == 2);
            JsonNode holds = openHolds(hub);
            assertThat(holds).allSatisfy(h -> assertThat(h.get("source").asText()).isEqualTo("file:returns"));
            assertThat(holds).extracting(h -> h.get("subject").asText())
                    .containsExactlyInAnyOrder(marker.getFileName().toString(), shortMarker.getFileName().toString());
            // left in place, and held once
            assertThat(marker).exists();
            assertThat(shortMarker).exists();
            Thread.sleep(600); // three more sweeps
            assertThat(openHolds(hub)).hasSize(2);

            // its file comes after all: taken at once by the marker waiting for it, and that marker's hold is resolved
            long markerHold = holds.get(0).get("subject").asText().equals(marker.getFileName().toString())
                    ? holds.get(0).get("holdId").asLong() : holds.get(1).get("holdId").asLong();
            Path dropped = drop(hub, "returns", file.getFileName().toString(),
                    "rma,channel,order_external_id,sku,quantity,reason\nRMA-1,shopify,,MUG-WHITE,1,damaged\n");
            assertThat(awaitReport(dropped, ".done").get("status").asText()).isEqualTo("applied");
            assertThat(marker).doesNotExist();
            await().atMost(DropFolders.WAIT).until(() -> openHolds(hub).size() == 1);
            assertThat(openHolds(hub).get(0).get("subject").asText()).isEqualTo(shortMarker.getFileName().toString());
            JsonNode resolved = hub.api().get("/api/holds/" + markerHold).json();
            assertThat(resolved.get("status").asText()).isEqualTo("resolved");
            JsonNode action = resolved.get("actions").get(resolved.get("actions").size() - 1);
            // recorded as every automatic resolve is: the system's actor, the fact as the outcome
            assertThat(action.get("actor").asText()).isEqualTo("system:drop-folders");
            assertThat(action.get("outcome").asText()).contains("its file came after all");
        }
    }

    private static JsonNode openHolds(TestHub hub) {
        return hub.api().get("/api/holds?status=open&reason=" + DoneMarkers.ORPHAN).json().get("holds");
    }

    /** The sender's marker, written after its file: {@code <name>.done}, empty. */
    private static Path dropMarker(Path file) throws Exception {
        return Files.writeString(file.resolveSibling(file.getFileName() + ".done"), "");
    }
}
