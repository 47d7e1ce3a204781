package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;
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
 * A held row of a count says nothing about its location: the count there stays what it was (hold, do not
 * guess). Before, its SKU's other rows replaced the SKU's counts without it, and a SKU whose rows were all held
 * dropped to 0 at the end of the file, as if the WMS had counted none: one file of counts written as {@code 10.0}
 * zeroed the warehouse and told every channel 0.
 */
class HeldCountRowsIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aHeldRowKeepsTheCountItsLocationHad(TestDb db) throws Exception {
        // two rows a batch: MUG-WHITE's rows go on from one batch into the next
        try (TestHub hub = TestHub.builder().db(db).property("handoff.inbox.batch-rows", "2").start()) {
            count(hub, "20261122T030000Z", """
                    HOODIE-GREY-L,B-01,7
                    MUG-WHITE,A-00,1
                    MUG-WHITE,C-01,10
                    MUG-WHITE,D-02,5
                    TSHIRT-RED-M,A-01,3
                    """, 0);
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(16);

            // D-02 is unreadable and comes in the batch after MUG-WHITE's other rows; TSHIRT-RED-M's only row too
            count(hub, "20261123T030000Z", """
                    HOODIE-GREY-L,B-01,7
                    MUG-WHITE,A-00,1
                    MUG-WHITE,C-01,8
                    MUG-WHITE,D-02,five
                    TSHIRT-RED-M,A-01,3.0
                    """, 2);
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(1 + 8 + 5);
            assertThat(onHand(hub, "TSHIRT-RED-M")).isEqualTo(3);
            assertThat(onHand(hub, "HOODIE-GREY-L")).isEqualTo(7);

            // a row with no location: the SKU keeps every count the file does not give
            count(hub, "20261123T040000Z", """
                    HOODIE-GREY-L,,2
                    MUG-WHITE,A-00,1
                    MUG-WHITE,C-01,8
                    MUG-WHITE,D-02,5
                    TSHIRT-RED-M,A-01,3
                    """, 1);
            assertThat(onHand(hub, "HOODIE-GREY-L")).isEqualTo(7);

            // the operator corrects the held row: it applies, alone
            JsonNode hold = null;
            for (JsonNode h : hub.api().get("/api/holds?status=open&reason=BAD_ROW").json().get("holds")) {
                if (h.get("subject").asText().equals("inventory_WH1_20261123T040000Z.csv row 2")) {
                    hold = h;
                }
            }
            assertThat(hold).isNotNull();
            assertThat(hub.api().post("/api/holds/" + hold.get("holdId").asLong() + "/release",
                    Map.of("actor", "ops", "payload", "HOODIE-GREY-L,B-01,2")).json().get("status").asText())
                    .isEqualTo("released");
            assertThat(onHand(hub, "HOODIE-GREY-L")).isEqualTo(2);

            // a whole file the WMS wrote with decimals: every row held, nothing moves, nothing is told 0
            count(hub, "20261124T030000Z", """
                    HOODIE-GREY-L,B-01,2.0
                    MUG-WHITE,A-00,1.0
                    MUG-WHITE,C-01,8.0
                    MUG-WHITE,D-02,5.0
                    TSHIRT-RED-M,A-01,3.0
                    """, 5);
            assertThat(onHand(hub, "HOODIE-GREY-L")).isEqualTo(2);
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(14);
            assertThat(onHand(hub, "TSHIRT-RED-M")).isEqualTo(3);

            // the next good count still drops what it does not list
            count(hub, "20261125T030000Z", "MUG-WHITE,C-01,8\n", 0);
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(8);
            assertThat(onHand(hub, "TSHIRT-RED-M")).isZero();
        }
    }

    private static void count(TestHub hub, String ts, String rows, int held) throws Exception {
        JsonNode report = awaitReport(drop(hub, "inventory", "inventory_WH1_" + ts + ".csv",
                "sku,location,on_hand\n" + rows), ".done");
        assertThat(report.get("rowsHeld").asLong()).as(report.toString()).isEqualTo(held);
    }
}
