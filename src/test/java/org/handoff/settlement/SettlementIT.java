package org.handoff.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.handoff.files.DropFolders;
import org.handoff.security.HmacSignatures;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Payouts dropped as files reconcile against orders that arrived by signed webhook. */
class SettlementIT {

    private static final String SECRET = "settlement-test-secret";

    private static TestHub hub(TestDb db) throws Exception {
        TestHub hub = TestHub.builder().db(db).env("SHOPIFY_WEBHOOK_SECRET", SECRET).start();
        for (String kind : new String[] {"catalog", "inventory"}) {
            try (var files = Files.list(Path.of("samples", "inbox", kind))) {
                for (Path sample : files.toList()) {
                    DropFolders.awaitReport(DropFolders.drop(hub, kind, sample.getFileName().toString(),
                            Files.readString(sample)), ".done");
                }
            }
        }
        return hub;
    }

    private static JsonNode postSampleOrder(TestHub hub) throws Exception {
        byte[] body = Files.readAllBytes(Path.of("samples", "webhooks", "shopify-orders-create.json"));
        TestHub.Response answer = hub.post("/webhooks/shopify", body, Map.of(
                "Content-Type", "application/json", "X-Shopify-Topic", "orders/create",
                "X-Shopify-Event-Id", "settlement-it-1", "X-Shopify-Triggered-At", Instant.now().toString(),
                "X-Shopify-Hmac-Sha256", HmacSignatures.base64(SECRET.getBytes(StandardCharsets.UTF_8), body)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static String settlement(String... rows) {
        return "payout_id,order_external_id,type,amount,currency,paid_at\n" + String.join("\n", rows) + "\n";
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void payoutsThatAddUpReconcileAndAShortfallIsHeldUntilTheRestArrives(TestDb db) throws Exception {
        try (TestHub hub = hub(db)) {
            String orderId = postSampleOrder(hub).get("orderId").asText();

            JsonNode report = DropFolders.awaitReport(DropFolders.drop(hub, "settlements",
                    "settlement_shopify_20261123T060000Z.csv", settlement(
                            "P-1,5810038866001,charge,80.00,EUR,2026-11-23T06:00:00Z",
                            "P-1,5810038866001,fee,-2.10,EUR,2026-11-23T06:00:00Z")), ".done");
            assertThat(report.get("rowsApplied").asInt()).isEqualTo(2);
            JsonNode holds = hub.api().get("/api/holds?status=open&reason=SETTLEMENT_MISMATCH").json().get("holds");
            assertThat(holds).hasSize(1);
            assertThat(holds.get(0).get("subject").asText()).contains(orderId);
            assertThat(holds.get(0).get("detail").asText()).contains("expected 104.70 EUR, settled 80.00 EUR");
            long holdId = holds.get(0).get("holdId").asLong();

            // the same payout line again changes nothing; the missing part arrives in the next payout
            DropFolders.awaitReport(DropFolders.drop(hub, "settlements", "settlement_shopify_20261124T060000Z.csv",
                    settlement("P-1,5810038866001,charge,80.00,EUR,2026-11-23T06:00:00Z",
                            "P-2,5810038866001,charge,24.70,EUR,2026-11-24T06:00:00Z")), ".done");
            JsonNode resolved = hub.api().get("/api/holds/" + holdId).json();
            assertThat(resolved.get("status").asText()).isEqualTo("resolved");
            assertThat(resolved.get("actions").get(0).get("outcome").asText()).contains("P-1,P-2")
                    .contains("settled 104.70 EUR as expected");
            assertThat(hub.api().get("/api/holds?status=open&reason=SETTLEMENT_MISMATCH").json().get("holds")).isEmpty();
            // not delivered yet: reconciled, but not closed
            assertThat(hub.api().get("/api/orders/" + orderId).json().get("state").asText()).isNotEqualTo("CLOSED");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aPayoutForAnOrderNotYetKnownIsHeldAndAppliesOnReleaseOnceTheOrderArrived(TestDb db) throws Exception {
        try (TestHub hub = hub(db)) {
            JsonNode report = DropFolders.awaitReport(DropFolders.drop(hub, "settlements",
                    "settlement_shopify_20261123T060000Z.csv", settlement(
                            "P-9,5810038866001,charge,104.70,EUR,2026-11-23T06:00:00Z",
                            "P-9,5810038866001,charge,abc,EUR,2026-11-23T06:00:00Z",
                            "P-9,5810038866001,charge,-5.00,EUR,2026-11-23T06:00:00Z")), ".done");
            assertThat(report.get("rowsHeld").asInt()).isEqualTo(3);
            JsonNode held = hub.api().get("/api/holds?status=open&reason=SETTLEMENT_MISMATCH").json().get("holds");
            assertThat(held).hasSize(1);
            assertThat(held.get(0).get("detail").asText()).contains("does not know");
            assertThat(hub.api().get("/api/holds?status=open&reason=BAD_ROW").json().get("holds"))
                    .anySatisfy(h -> assertThat(h.get("detail").asText()).contains("amount 'abc'"))
                    .anySatisfy(h -> assertThat(h.get("detail").asText()).contains("-5.00 is negative"));

            postSampleOrder(hub);
            TestHub.Response release = hub.api().post("/api/holds/" + held.get(0).get("holdId").asLong() + "/release",
                    Map.of("actor", "ops:finance", "note", "order arrived"));
            assertThat(release.json().get("status").asText()).as(release.body()).isEqualTo("released");
            assertThat(hub.api().get("/api/holds?status=open&reason=SETTLEMENT_MISMATCH").json().get("holds")).isEmpty();
        }
    }
}
