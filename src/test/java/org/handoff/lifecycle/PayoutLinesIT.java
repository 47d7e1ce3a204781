package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows of one payout file for the same payout, order and type add up (a double capture counts twice), and a
 * file is reconciled as a whole, whatever its batch size: nothing is dropped, no shortfall or surplus closes an
 * order. A later file for the same payout, order and type still replaces what an earlier one said.
 */
class PayoutLinesIT {

    private static final String HEADER = "payout_id,order_external_id,type,amount,currency,paid_at\n";

    private static BigDecimal stored(TestHub hub, String externalId, String type) {
        return hub.jdbc().queryOne("select sum(amount) from settlement_lines where order_external_id = ? and type = ?",
                rs -> rs.getBigDecimal(1), externalId, type).orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void twoChargesOfOnePayoutBothCountAndADoubleCaptureIsNotClosedSilently(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            String orderId = Lifecycle.deliveredOrder(hub, "S-1", 2); // 2 x 12.50 GBP = 25.00

            JsonNode report = awaitReport(drop(hub, "settlements", "settlement_test-shop_20261123T060000Z.csv", HEADER
                    + "P-1,S-1,charge,20.00,GBP,2026-11-23T06:00:00Z\n"
                    + "P-1,S-1,charge,25.00,GBP,2026-11-23T06:00:00Z\n"), ".done");
            assertThat(report.get("rowsApplied").asLong()).isEqualTo(2);
            // 45.00 charged for a 25.00 order: a mismatch a person must see, not a close
            assertThat(stored(hub, "S-1", "CHARGE")).isEqualByComparingTo("45.00");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("DELIVERED");
            assertThat(Lifecycle.openHolds(hub, "SETTLEMENT_MISMATCH")).isEqualTo(1);
            JsonNode hold = hub.api().get("/api/holds?status=open&reason=SETTLEMENT_MISMATCH").json().get("holds").get(0);
            assertThat(hold.toString()).contains("settled 45.00 GBP");

            // the provider corrects the payout in a later file: it replaces the earlier one's charge, and it adds up
            awaitReport(drop(hub, "settlements", "settlement_test-shop_20261124T060000Z.csv", HEADER
                    + "P-1,S-1,charge,25.00,GBP,2026-11-23T06:00:00Z\n"), ".done");
            assertThat(stored(hub, "S-1", "CHARGE")).isEqualByComparingTo("25.00");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("CLOSED");
            assertThat(Lifecycle.openHolds(hub, "SETTLEMENT_MISMATCH")).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void twoHeldChargesOfOnePayoutAddUpWhenReleased(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            JsonNode report = awaitReport(drop(hub, "settlements", "settlement_test-shop_20261123T060000Z.csv", HEADER
                    + "P-1,S-5,charge,20.00,GBP,2026-11-23T06:00:00Z\n"
                    + "P-1,S-5,charge,25.00,GBP,2026-11-23T06:00:00Z\n"), ".done");
            assertThat(report.get("rowsHeld").asLong()).isEqualTo(2); // the order is not known yet
            String orderId = Lifecycle.deliveredOrder(hub, "S-5", 2); // 25.00 GBP

            for (JsonNode hold : hub.api().get("/api/holds?status=open&reason=SETTLEMENT_MISMATCH").json().get("holds")) {
                TestHub.Response release = hub.api().post("/api/holds/" + hold.get("holdId").asLong() + "/release",
                        java.util.Map.of("actor", "ops", "note", "the order is in"));
                assertThat(release.json().get("status").asText()).as(release.body()).isEqualTo("released");
            }
            assertThat(stored(hub, "S-5", "CHARGE")).isEqualByComparingTo("45.00");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("DELIVERED");
            assertThat(Lifecycle.openHolds(hub, "SETTLEMENT_MISMATCH")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aPayoutFileSplitAcrossBatchesDoesNotCloseAnOrderItsWholeFileDoesNotReconcile(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).property("handoff.inbox.batch-rows", "1").start()) {
            String orderId = Lifecycle.deliveredOrder(hub, "S-3", 2); // 25.00 GBP
            String other = Lifecycle.deliveredOrder(hub, "S-4", 1); // 12.50 GBP
            awaitReport(drop(hub, "settlements", "settlement_test-shop_20261123T060000Z.csv", HEADER
                    + "P-1,S-3,charge,25.00,GBP,2026-11-23T06:00:00Z\n"
                    + "P-1,S-4,charge,10.00,GBP,2026-11-23T06:00:00Z\n"
                    + "P-1,S-3,refund,5.00,GBP,2026-11-23T06:00:00Z\n"
                    + "P-1,S-4,charge,2.50,GBP,2026-11-23T06:00:00Z\n"), ".done");
            // S-3: the file nets 20.00 for a 25.00 order; S-4: two charges in two batches add up to 12.50
            assertThat(Lifecycle.openHolds(hub, "SETTLEMENT_MISMATCH")).isEqualTo(1);
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("DELIVERED");
            assertThat(Lifecycle.state(hub, other)).isEqualTo("CLOSED");
        }
    }
}
