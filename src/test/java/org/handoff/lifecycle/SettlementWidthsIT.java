package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

import com.fasterxml.jackson.databind.JsonNode;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values longer than settlement_lines stores (V5): a row is held BAD_ROW alone and the others apply; a channel in the
 * file name longer than the column rejects that file BAD_FILE_NAME (each was a PROCESSING_ERROR of the whole file).
 */
class SettlementWidthsIT {

    private static final String HEADER = "payout_id,order_external_id,type,amount,currency,paid_at\n";
    private static final String LONG = "X".repeat(250);

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void anOverLongValueHoldsItsRowAloneAndAnOverLongChannelRejectsTheFile(TestDb db) throws Exception {
        try (TestHub hub = Lifecycle.hub(db).start()) {
            String orderId = Lifecycle.deliveredOrder(hub, "S-W", 1); // 12.50 GBP
            JsonNode report = awaitReport(drop(hub, "settlements", "settlement_test-shop_20261123T060000Z.csv", HEADER
                    + "P" + LONG + ",S-W,charge,1.00,GBP,2026-11-23T06:00:00Z\n"
                    + "P-1,S" + LONG + ",charge,1.00,GBP,2026-11-23T06:00:00Z\n"
                    + "P-1,S-W,charge,12.50,GBP,2026-11-23T06:00:00Z\n"), ".done");
            assertThat(report.get("rowsApplied").asLong()).as(report.toString()).isEqualTo(1);
            assertThat(report.get("heldByReason").get("BAD_ROW").asLong()).isEqualTo(2);
            assertThat(report.toString()).contains("payout_id is 251 characters long; at most 100 are stored");
            assertThat(Lifecycle.state(hub, orderId)).isEqualTo("CLOSED");

            JsonNode rejected = awaitReport(drop(hub, "settlements", "settlement_" + "c".repeat(65)
                    + "_20261123T070000Z.csv", HEADER + "P-2,S-W,fee,0.30,GBP,2026-11-23T06:00:00Z\n"), ".failed");
            assertThat(rejected.toString()).contains("BAD_FILE_NAME", "channel is 65 characters long");
        }
    }
}
