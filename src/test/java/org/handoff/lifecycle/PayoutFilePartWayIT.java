package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.handoff.files.DropFolders.WAIT;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A payout file reconciles the orders it stored lines for once its lines are in: at its end, and also where it stops
 * part-way for good (its CSV breaks off, a later row fails it), which used to skip the end and leave them unreconciled
 * until another payout or their delivery. A delivery that lands between a file's batches does not reconcile the order
 * on the lines stored so far (it used to close it when the partial sum happened to match): the file's end does.
 */
class PayoutFilePartWayIT {

    private static final String HEADER = "payout_id,order_external_id,type,amount,currency,paid_at\n";
    private static final String PAID = ",GBP,2026-11-23T06:00:00Z\n";

    private static String mismatchDetail(TestHub hub) {
        return hub.api().get("/api/holds?status=open&reason=SETTLEMENT_MISMATCH").json().get("holds").toString();
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void theOrdersOfAPayoutFileWhoseCsvBreaksOffAreReconciledWithWhatItStored(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).property("handoff.inbox.batch-rows", "1").start()) {
            String settled = Lifecycle.deliveredOrder(hub, "S-B1", 1); // 12.50 GBP
            String shortPaid = Lifecycle.deliveredOrder(hub, "S-B2", 2); // 25.00 GBP
            JsonNode report = awaitReport(drop(hub, "settlements", "settlement_test-shop_20261123T060000Z.csv", HEADER
                    + "P-1,S-B1,charge,12.50" + PAID
                    + "P-1,S-B2,charge,20.00" + PAID
                    + "P-1,\"S-B3,charge,1.00" + PAID // an unclosed quote: the file breaks off here
                    + "P-1,S-B2,charge,5.00" + PAID), ".done");
            assertThat(report.get("detail").asText()).contains("broke off");
            assertThat(report.get("rowsApplied").asLong()).isEqualTo(2);
            // what it stored is reconciled: the order it pays in full closes, the short one is a mismatch to see
            assertThat(Lifecycle.state(hub, settled)).isEqualTo("CLOSED");
            assertThat(Lifecycle.state(hub, shortPaid)).isEqualTo("DELIVERED");
            assertThat(Lifecycle.openHolds(hub, "SETTLEMENT_MISMATCH")).isEqualTo(1);
            assertThat(mismatchDetail(hub)).contains(shortPaid, "expected 25.00 GBP, settled 20.00 GBP");
            assertThat(hub.jdbc().queryOne("select count(*) from settlement_pending", rs -> rs.getLong(1)).orElseThrow())
                    .isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void theOrdersOfAPayoutFileThatFailsPartWayAreReconciledWithWhatItsEarlierBatchesStored(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).property("handoff.inbox.batch-rows", "1").start()) {
            String settled = Lifecycle.deliveredOrder(hub, "S-F1", 1); // 12.50 GBP
            String huge = Lifecycle.deliveredOrder(hub, "S-F2", 1);
            // a store that refuses one payout's lines (as a fault would): the third batch fails the file, after the
            // first two were committed
            hub.jdbc().update("alter table settlement_lines add constraint test_refuses_p_fail check (payout_id <> 'P-FAIL')");
            JsonNode report = awaitReport(drop(hub, "settlements", "settlement_test-shop_20261123T060000Z.csv", HEADER
                    + "P-1,S-F1,charge,12.50" + PAID
                    + "P-1,S-F2,charge,999999999999999" + PAID
                    + "P-FAIL,S-F2,charge,1.00" + PAID), ".failed");
            assertThat(report.get("reasonCode").asText()).as(report.toString()).isEqualTo("PROCESSING_ERROR");
            assertThat(report.get("detail").asText()).contains("rows before may be applied");
            assertThat(Lifecycle.state(hub, settled)).isEqualTo("CLOSED");
            assertThat(Lifecycle.state(hub, huge)).isEqualTo("DELIVERED");
            assertThat(mismatchDetail(hub)).contains(huge, "settled 999999999999999.00 GBP");
        }
    }

    /** Rows whose sum no amount column can hold: the row that passes it is held BAD_ROW, not the file failed. */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void rowsThatAddUpPastWhatAnAmountHoldsHoldTheRowThatPassesIt(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            String settled = Lifecycle.deliveredOrder(hub, "S-O1", 1); // 12.50 GBP
            String huge = Lifecycle.deliveredOrder(hub, "S-O2", 1);
            JsonNode report = awaitReport(drop(hub, "settlements", "settlement_test-shop_20261123T060000Z.csv", HEADER
                    + "P-1,S-O1,charge,12.50" + PAID
                    + "P-1,S-O2,charge,999999999999999" + PAID
                    + "P-1,S-O2,charge,999999999999999" + PAID), ".done");
            assertThat(report.get("rowsApplied").asLong()).as(report.toString()).isEqualTo(2);
            assertThat(report.toString()).contains("row 4: payout P-1's charge lines for order S-O2 add up to "
                    + "1999999999999998, more than an amount can hold");
            assertThat(Lifecycle.state(hub, settled)).isEqualTo("CLOSED");
            assertThat(mismatchDetail(hub)).contains(huge, "settled 999999999999999.00 GBP");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aDeliveryBetweenAPayoutFilesBatchesWaitsForTheWholeFile(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).property("handoff.inbox.batch-rows", "1").start()) {
            Lifecycle.seed(hub, "SKU-S-D", 10);
            String refunded = Lifecycle.paidOrder(hub, "S-D1", "SKU-S-D", 2); // 25.00 GBP
            String overCharged = Lifecycle.paidOrder(hub, "S-D2", "SKU-S-D", 2); // 25.00 GBP
            String blocker = Lifecycle.paidOrder(hub, "S-D3", "SKU-S-D", 1); // 12.50 GBP
            Path dropped;
            try (Connection c = hub.jdbc().dataSource().getConnection()) {
                c.setAutoCommit(false);
                // the third batch waits for this order's row: the file stops between its batches
                try (PreparedStatement ps = c.prepareStatement("select order_id from orders where order_id = ? for update")) {
                    ps.setString(1, blocker);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                    }
                }
                dropped = drop(hub, "settlements", "settlement_test-shop_20261123T060000Z.csv", HEADER
                        + "P-1,S-D1,charge,25.00" + PAID // matches alone; with its refund it does not
                        + "P-1,S-D2,charge,30.00" + PAID // does not match alone; with its refund it does
                        + "P-1,S-D3,charge,12.50" + PAID
                        + "P-1,S-D1,refund,5.00" + PAID
                        + "P-1,S-D2,refund,5.00" + PAID);
                await().atMost(WAIT).until(() -> hub.jdbc().queryOne("select count(*) from settlement_lines where "
                        + "order_external_id = ?", rs -> rs.getLong(1), "S-D2").orElseThrow() == 1);
                Lifecycle.deliver(hub, refunded, "9400S-D1");
                Lifecycle.deliver(hub, overCharged, "9400S-D2");
                // neither is reconciled on half a payout: no close, no mismatch from the lines so far
                assertThat(Lifecycle.state(hub, refunded)).isEqualTo("DELIVERED");
                assertThat(Lifecycle.state(hub, overCharged)).isEqualTo("DELIVERED");
                assertThat(Lifecycle.openHolds(hub, "SETTLEMENT_MISMATCH")).isZero();
                // nor closed by an operator meanwhile: the file is still storing the order's lines
                TestHub.Response settled = Lifecycle.event(hub, refunded, "SETTLED", java.util.Map.of("payoutId", "P-1"));
                assertThat(settled.status()).as(settled.body()).isEqualTo(409);
                assertThat(settled.body()).contains("still storing lines for it");
                c.commit();
            }
            awaitReport(dropped, ".done");
            // the whole file: S-D1 nets 20.00 for 25.00, S-D2 nets 25.00
            assertThat(Lifecycle.state(hub, refunded)).isEqualTo("DELIVERED");
            assertThat(Lifecycle.state(hub, overCharged)).isEqualTo("CLOSED");
            assertThat(Lifecycle.openHolds(hub, "SETTLEMENT_MISMATCH")).isEqualTo(1);
            assertThat(mismatchDetail(hub)).contains(refunded, "expected 25.00 GBP, settled 20.00 GBP");
            // the file is done with its orders: one it paid in full closes the moment it is delivered, as before
            Lifecycle.deliver(hub, blocker, "9400S-D3");
            assertThat(Lifecycle.state(hub, blocker)).isEqualTo("CLOSED");
        }
    }

    /** A receipt left processing by an instance that stopped, its file gone: it keeps no delivered order waiting. */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aMarkOfAPayoutFileWhoseInstanceStoppedDoesNotKeepADeliveryWaiting(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            Lifecycle.seed(hub, "SKU-S-L", 10);
            String live = Lifecycle.paidOrder(hub, "S-L1", "SKU-S-L", 1); // 12.50 GBP
            String lapsed = Lifecycle.paidOrder(hub, "S-L2", "SKU-S-L", 1);
            awaitReport(drop(hub, "settlements", "settlement_test-shop_20261123T060000Z.csv", HEADER
                    + "P-1,S-L1,charge,12.50" + PAID + "P-1,S-L2,charge,12.50" + PAID), ".done");
            // two receipts still processing that marked one order each: one heart-beating, one whose instance
            // stopped an hour ago (its file is gone, so nobody takes it over)
            java.time.Instant now = java.time.Instant.now();
            for (String[] r : new String[][] {{"live", "S-L1"}, {"lapsed", "S-L2"}}) {
                hub.jdbc().update("insert into file_receipts (kind, file_name, checksum, claim_key, status, node, "
                        + "received_at, heartbeat_at) values ('settlements', ?, ?, ?, 'processing', 'other-node', ?, ?)",
                        "settlement_test-shop_" + r[0] + ".csv", r[0], "settlements:" + r[0], now,
                        r[0].equals("live") ? now : now.minusSeconds(3600));
                hub.jdbc().update("insert into settlement_pending (receipt_id, channel, order_external_id) "
                        + "select receipt_id, 'test-shop', ? from file_receipts where checksum = ?", r[1], r[0]);
            }
            Lifecycle.deliver(hub, live, "9400S-L1");
            Lifecycle.deliver(hub, lapsed, "9400S-L2");
            assertThat(Lifecycle.state(hub, live)).isEqualTo("DELIVERED"); // its file's end reconciles it
            assertThat(Lifecycle.state(hub, lapsed)).isEqualTo("CLOSED");
        }
    }
}
