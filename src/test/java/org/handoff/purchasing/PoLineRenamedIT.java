package org.handoff.purchasing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;

import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A PO line stored under a SKU's old code, before its alias window opened (mappings/sku-aliases.csv:
 * TSHIRT-RED-M-OLD -> TSHIRT-RED-M from 2026-10-01), and the same PO amended inside the window, where the old code
 * resolves to the new one. It is the same line: it moves to the new code, and inbound with it. Before, the amendment
 * made a second line under the new code and the old one stayed: the PO's units were inbound twice.
 */
class PoLineRenamedIT {

    private static final String HEADER = "po_number,supplier_code,sku,quantity,expected_at\n";

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aLineAmendedInsideItsSkusAliasWindowIsTheSameLine(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "purchase-orders", "purchase-orders_20260930T235959Z.csv",
                    HEADER + "PO-5,ACME,TSHIRT-RED-M-OLD,2,2026-12-01\n"), ".done");
            assertThat(inbound(hub, "TSHIRT-RED-M-OLD")).isEqualTo(2);

            // amended inside the window, under either code
            awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261001T000000Z.csv",
                    HEADER + "PO-5,ACME,TSHIRT-RED-M-OLD,3,2026-12-01\n"), ".done");
            assertThat(inbound(hub, "TSHIRT-RED-M-OLD")).isZero();
            assertThat(inbound(hub, "TSHIRT-RED-M")).isEqualTo(3);
            awaitReport(drop(hub, "purchase-orders", "purchase-orders_20261002T000000Z.csv",
                    HEADER + "PO-5,ACME,TSHIRT-RED-M,4,2026-12-01\n"), ".done");
            assertThat(inbound(hub, "TSHIRT-RED-M")).isEqualTo(4);
            assertThat(hub.jdbc().query("select sku, quantity from purchase_order_lines where po_number = ?",
                    rs -> rs.getString(1) + "=" + rs.getLong(2), "PO-5")).containsExactly("TSHIRT-RED-M=4");
        }
    }

    private static long inbound(TestHub hub, String sku) {
        return hub.api().get("/api/inventory/" + sku).json().get("inbound").asLong();
    }
}
