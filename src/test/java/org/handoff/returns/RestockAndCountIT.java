package org.handoff.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;
import static org.handoff.files.DropFolders.onHand;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A restocked return and the counts of its warehouse (handoff.returns.restock-warehouse, WH1 here). A count taken
 * before the decision does not list the units, wherever it is applied: they stay on top of it. A count taken after
 * it lists them where they were shelved: they are not counted twice. Before, the decision wrote the units into WH1's
 * counts (location RETURNS), and a count taken before it but applied after it took them off again until the next.
 */
class RestockAndCountIT {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aCountTakenBeforeTheRestockKeepsItAndOneTakenAfterDoesNotAddItTwice(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            Instant now = Instant.now();
            awaitReport(drop(hub, "inventory", "inventory_WH1_" + TS.format(now.minusSeconds(7200)) + ".csv",
                    "sku,location,on_hand\nMUG-WHITE,C-01,10\n"), ".done");
            awaitReport(drop(hub, "returns", "returns_" + TS.format(now.minusSeconds(7000)) + ".csv",
                    "rma,channel,order_external_id,sku,quantity,reason\nRMA-9101,shopify,1,MUG-WHITE,2,unopened\n"),
                    ".done");
            assertThat(hub.api().post("/api/returns/RMA-9101/decision", Map.of("decision", "RESTOCK", "actor", "ops"))
                    .status()).isEqualTo(200);
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(12);

            // the night's count, taken an hour before the decision, arrives after it: 10 on the shelf then, and the
            // two restocked units came after
            awaitReport(drop(hub, "inventory", "inventory_WH1_" + TS.format(now.minusSeconds(3600)) + ".csv",
                    "sku,location,on_hand\nMUG-WHITE,C-01,10\nTSHIRT-RED-M,A-01,3\n"), ".done");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(12);

            // a count taken after the decision lists them where they were shelved: 12, not 14
            awaitReport(drop(hub, "inventory", "inventory_WH1_" + TS.format(now.plusSeconds(3600)) + ".csv",
                    "sku,location,on_hand\nMUG-WHITE,C-01,10\nMUG-WHITE,C-02,2\nTSHIRT-RED-M,A-01,3\n"), ".done");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(12);
            // and the next one that agrees changes nothing
            awaitReport(drop(hub, "inventory", "inventory_WH1_" + TS.format(now.plusSeconds(7200)) + ".csv",
                    "sku,location,on_hand\nMUG-WHITE,C-01,9\nMUG-WHITE,C-02,2\nTSHIRT-RED-M,A-01,3\n"), ".done");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(11);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aReturnWithALongRmaIsRestocked(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            String rma = "RMA-" + "7".repeat(70); // returns.rma holds 100 characters; the restock remembers it
            awaitReport(drop(hub, "returns", "returns_20261122T010000Z.csv",
                    "rma,channel,order_external_id,sku,quantity,reason\n" + rma + ",shopify,1,MUG-WHITE,2,unopened\n"),
                    ".done");
            assertThat(hub.api().post("/api/returns/" + rma + "/decision",
                    Map.of("decision", "RESTOCK", "actor", "ops")).status()).isEqualTo(200);
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(2);
        }
    }
}
