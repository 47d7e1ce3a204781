package org.handoff.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.webhook.Deliveries.count;
import static org.handoff.webhook.Deliveries.demoStock;
import static org.handoff.webhook.Deliveries.reserved;
import static org.handoff.webhook.Deliveries.sample;
import static org.handoff.webhook.Deliveries.sampleText;
import static org.handoff.webhook.Deliveries.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** POST /webhooks/shopify on the real application and database (DESIGN §3, §7). */
class ShopifyWebhookIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void validDeliveryBecomesTheCanonicalOrderWithStockReserved(TestDb db) throws Exception {
        try (TestHub hub = Deliveries.hub(db).start()) {
            Deliveries.dropCatalogAndStock(hub);
            TestHub.Response response = shopify(hub, "orders/create", "ev-1001", sample("shopify-orders-create.json"));
            assertThat(response.status()).isEqualTo(200);
            JsonNode answer = response.json();
            assertThat(answer.get("result").asText()).isEqualTo("accepted");
            String orderId = answer.get("orderId").asText();

            JsonNode order = hub.api().get("/api/orders/" + orderId).json();
            assertThat(order.get("channel").asText()).isEqualTo("shopify");
            assertThat(order.get("externalId").asText()).isEqualTo("5810038866001");
            assertThat(order.get("placedAt").asText()).isEqualTo("2026-11-22T03:15:00Z"); // +01:00 to UTC
            assertThat(order.get("currency").asText()).isEqualTo("EUR");
            assertThat(order.get("paymentStatus").asText()).isEqualTo("paid");
            assertThat(order.get("shippingMethod").asText()).isEqualTo("standard");
            assertThat(order.get("state").asText()).isEqualTo("READY_TO_PICK");
            JsonNode lines = order.get("lines");
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0).get("sku").asText()).isEqualTo("TSHIRT-RED-M");       // channel SKU mapped
            assertThat(lines.get(0).get("channelSku").asText()).isEqualTo("SHP-TEE-RED-M");
            assertThat(lines.get(0).get("quantity").asInt()).isEqualTo(2);
            assertThat(lines.get(0).get("unitPrice").decimalValue()).isEqualByComparingTo("19.90");
            assertThat(lines.get(1).get("sku").asText()).isEqualTo("HOODIE-GREY-L");      // by variant id
            assertThat(lines.get(2).get("sku").asText()).isEqualTo("MUG-WHITE");
            JsonNode shipTo = order.get("shipTo");
            assertThat(shipTo.get("name").asText()).isEqualTo("Zoë Müller-Łukasiewicz");
            assertThat(shipTo.get("address1").asText()).isEqualTo("Großbeerenstraße 12");
            assertThat(shipTo.get("postcode").asText()).isEqualTo("10963");
            assertThat(shipTo.get("country").asText()).isEqualTo("DE");
            assertThat(order.get("history")).extracting(h -> h.get("to").asText())
                    .containsExactly("RECEIVED", "ACCEPTED", "READY_TO_PICK");
            JsonNode accepted = order.get("history").get(1);
            assertThat(accepted.get("actor").asText()).isEqualTo("system:shopify");
            assertThat(accepted.get("evidence").get("reserved").get("TSHIRT-RED-M").asInt()).isEqualTo(2);
            assertThat(accepted.get("decidedAt").asText()).endsWith("Z");
            assertThat(accepted.get("observedAt").asText()).endsWith("Z");
            assertThat(reserved(hub, "TSHIRT-RED-M")).isEqualTo(2);
            assertThat(reserved(hub, "HOODIE-GREY-L")).isEqualTo(1);
            // the reservation lowers what channels may sell: the inventory API and the ATS push say so
            JsonNode tee = hub.api().get("/api/inventory/TSHIRT-RED-M").json();
            assertThat(tee.get("reserved").asInt()).isEqualTo(2);
            assertThat(tee.get("ats").get("shopify").asInt()).isEqualTo(18 - 2 - 2); // on hand - reserved - safety
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
                java.nio.file.Path outbox = hub.dataDir().resolve("outbox/ats/shopify");
                if (!java.nio.file.Files.isDirectory(outbox)) {
                    return false;
                }
                try (var files = java.nio.file.Files.list(outbox)) {
                    return files.anyMatch(f -> {
                        try {
                            String text = java.nio.file.Files.readString(f);
                            return text.contains("TSHIRT-RED-M") && text.contains("14");
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    });
                }
            });

            // the raw delivery is in the log under its key
            String stored = hub.jdbc().queryOne("select body from webhook_deliveries where dedupe_key = 'event:ev-1001'",
                    rs -> rs.getString(1)).orElseThrow();
            assertThat(stored).isEqualTo(sampleText("shopify-orders-create.json"));
            assertThat(hub.api().get("/api/orders?channel=shopify&externalId=5810038866001").json()
                    .get("orderId").asText()).isEqualTo(orderId);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void wrongMissingOrAlteredSignatureIs401AndStoresNothing(TestDb db) {
        try (TestHub hub = Deliveries.hub(db).start()) {
            demoStock(hub);
            byte[] body = sample("shopify-orders-create.json");
            TestHub.Response wrong = shopify(hub, "orders/create", "ev-1", body, "bm90IHRoZSBzaWduYXR1cmU=");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.json().get("error").asText()).isEqualTo("INVALID_SIGNATURE");
            assertThat(wrong.body()).doesNotContain("Müller");
            assertThat(shopify(hub, "orders/create", "ev-1", body, null).status()).isEqualTo(401);
            assertThat(shopify(hub, "orders/create", "ev-1", body, "%%%not-base64").status()).isEqualTo(401);

            // signed, then one byte changed in transit
            String signature = org.handoff.security.HmacSignatures.base64(
                    Deliveries.SHOPIFY_SECRET.getBytes(StandardCharsets.UTF_8), body);
            byte[] altered = body.clone();
            int at = new String(body, StandardCharsets.UTF_8).indexOf("\"quantity\": 2");
            altered[at + 12] = '9';
            assertThat(shopify(hub, "orders/create", "ev-1", altered, signature).status()).isEqualTo(401);

            assertThat(count(hub, "webhook_deliveries")).isZero();
            assertThat(count(hub, "orders")).isZero();
            assertThat(count(hub, "holds")).isZero();
            assertThat(hub.management("/observe/metrics").body()).contains("handoff_signature_rejected");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void shopifysPublishedVectorVerifiesAndAnUnusablePayloadIsHeld(TestDb db) {
        try (TestHub hub = Deliveries.hub(db).env("SHOPIFY_WEBHOOK_SECRET", "test_secret_key").start()) {
            byte[] body = "{\"foo\": \"bar\"}".getBytes(StandardCharsets.UTF_8);
            assertThat(body).hasSize(14);
            TestHub.Response response = shopify(hub, "orders/create", "ev-vector", body,
                    "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=");
            // signed, so 200 — but not an order: held MALFORMED_PAYLOAD with the raw body
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("result").asText()).isEqualTo("held");
            JsonNode hold = hub.api().get("/api/holds/" + response.json().get("holdId").asLong()).json();
            assertThat(hold.get("reasonCode").asText()).isEqualTo("MALFORMED_PAYLOAD");
            assertThat(hold.get("payload").asText()).isEqualTo("{\"foo\": \"bar\"}");

            TestHub.Response notJson = shopify(hub, "orders/create", "ev-nj", "not json".getBytes(StandardCharsets.UTF_8),
                    org.handoff.security.HmacSignatures.base64("test_secret_key".getBytes(StandardCharsets.UTF_8),
                            "not json".getBytes(StandardCharsets.UTF_8)));
            assertThat(notJson.json().get("result").asText()).isEqualTo("held");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void fiftyConcurrentRedeliveriesGiveOneOrder(TestDb db) throws Exception {
        try (TestHub hub = Deliveries.hub(db).start()) {
            demoStock(hub);
            byte[] body = sample("shopify-orders-create.json");
            ExecutorService pool = Executors.newFixedThreadPool(50);
            try {
                List<Callable<TestHub.Response>> calls = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    calls.add(() -> shopify(hub, "orders/create", "ev-same", body));
                }
                List<String> results = new ArrayList<>();
                for (Future<TestHub.Response> f : pool.invokeAll(calls)) {
                    assertThat(f.get().status()).isEqualTo(200);
                    results.add(f.get().json().get("result").asText());
                }
                assertThat(results).filteredOn("accepted"::equals).hasSize(1);
                assertThat(results).filteredOn("duplicate"::equals).hasSize(49);
            } finally {
                pool.shutdownNow();
            }
            assertThat(count(hub, "orders")).isEqualTo(1);
            assertThat(count(hub, "webhook_deliveries")).isEqualTo(1);
            assertThat(reserved(hub, "TSHIRT-RED-M")).isEqualTo(2);

            // a different delivery of the same order (new event id) is still one order
            TestHub.Response other = shopify(hub, "orders/create", "ev-other", body);
            assertThat(other.json().get("result").asText()).isEqualTo("duplicate");
            assertThat(count(hub, "orders")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void sameKeyWithADifferentBodyIsHeldAsAnIdempotencyConflict(TestDb db) {
        try (TestHub hub = Deliveries.hub(db).start()) {
            demoStock(hub);
            shopify(hub, "orders/create", "ev-7", sample("shopify-orders-create.json"));
            TestHub.Response conflict = shopify(hub, "orders/create", "ev-7", sample("shopify-orders-updated.json"));
            assertThat(conflict.status()).isEqualTo(200);
            assertThat(conflict.json().get("result").asText()).isEqualTo("held");
            JsonNode hold = hub.api().get("/api/holds/" + conflict.json().get("holdId").asLong()).json();
            assertThat(hold.get("reasonCode").asText()).isEqualTo("IDEMPOTENCY_CONFLICT");
            assertThat(hold.get("payload").asText()).contains("Oranienstraße");
            // nothing changed on the order
            JsonNode order = hub.api().get("/api/orders?channel=shopify&externalId=5810038866001").json();
            assertThat(order.get("shipTo").get("address1").asText()).isEqualTo("Großbeerenstraße 12");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void eachValidationRuleHoldsWithItsReasonAndAllFailuresGoIntoOneHold(TestDb db) {
        try (TestHub hub = Deliveries.hub(db).start()) {
            demoStock(hub);
            JsonNode phone = shopify(hub, "orders/create", "ev-p", sample("shopify-orders-create-missing-phone.json")).json();
            assertThat(phone.get("result").asText()).isEqualTo("held");
            assertThat(hold(hub, phone).get("reasonCode").asText()).isEqualTo("MISSING_CARRIER_PHONE");
            assertThat(hub.api().get("/api/orders/" + phone.get("orderId").asText()).json().get("state").asText())
                    .isEqualTo("HELD");

            JsonNode variant = shopify(hub, "orders/create", "ev-v", sample("shopify-orders-create-unknown-variant.json")).json();
            assertThat(hold(hub, variant).get("reasonCode").asText()).isEqualTo("UNMAPPED_VARIANT");
            assertThat(hold(hub, variant).get("detail").asText()).contains("44099999999999");

            String base = sampleText("shopify-orders-create.json");
            JsonNode unknown = post(hub, "ev-u", base.replace("\"MUG-WHITE\"", "\"MUG-PURPLE\"").replace("5810038866001", "901"));
            assertThat(hold(hub, unknown).get("reasonCode").asText()).isEqualTo("UNKNOWN_SKU");
            JsonNode address = post(hub, "ev-a", base.replace("\"Großbeerenstraße 12\"", "null").replace("5810038866001", "902"));
            assertThat(hold(hub, address).get("reasonCode").asText()).isEqualTo("MISSING_ADDRESS");
            JsonNode postcode = post(hub, "ev-z", base.replace("\"10963\"", "\"1096\"").replace("5810038866001", "903"));
            assertThat(hold(hub, postcode).get("reasonCode").asText()).isEqualTo("INVALID_POSTCODE");
            JsonNode time = post(hub, "ev-t", base.replace("\"2026-11-22T04:15:00+01:00\"", "\"22/11/2026 04:15\"")
                    .replace("5810038866001", "904"));
            assertThat(hold(hub, time).get("reasonCode").asText()).isEqualTo("INVALID_TIMESTAMP");
            JsonNode future = post(hub, "ev-f", base.replace("\"2026-11-22T04:15:00+01:00\"", "\"2099-01-01T00:00:00Z\"")
                    .replace("5810038866001", "905"));
            assertThat(hold(hub, future).get("reasonCode").asText()).isEqualTo("INVALID_TIMESTAMP");
            JsonNode euro = post(hub, "ev-c", base.replace("\"currency\": \"EUR\"", "\"currency\": \"EURO\"")
                    .replace("5810038866001", "908"));
            assertThat(hold(hub, euro).get("reasonCode").asText()).isEqualTo("INVALID_CURRENCY");
            assertThat(hold(hub, euro).get("detail").asText()).contains("currency 'EURO' is not an ISO 4217 code");
            JsonNode stock = post(hub, "ev-s", base.replace("\"quantity\": 2", "\"quantity\": 11").replace("5810038866001", "906"));
            assertThat(hold(hub, stock).get("reasonCode").asText()).isEqualTo("INSUFFICIENT_STOCK");

            // several rules at once: one hold that names every failure
            JsonNode many = post(hub, "ev-m", base.replace("\"10963\"", "\"1096\"").replace("\"MUG-WHITE\"", "\"MUG-PURPLE\"")
                    .replace("\"standard\"", "\"express\"").replace("\"+49 30 1234567\"", "null")
                    .replace("5810038866001", "907"));
            JsonNode manyHold = hold(hub, many);
            assertThat(manyHold.get("detail").asText())
                    .contains("UNKNOWN_SKU", "INVALID_POSTCODE", "MISSING_CARRIER_PHONE");
            assertThat(hub.api().get("/api/holds?status=open").json().get("holds")).hasSize(10);
            assertThat(reserved(hub, "MUG-WHITE")).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void fieldsLongerThanTheStoreKeepsAreHeldAsMalformedAndAnOverlongDeliveryIdStillDeduplicates(TestDb db) {
        try (TestHub hub = Deliveries.hub(db).start()) {
            demoStock(hub);
            String base = sampleText("shopify-orders-create.json");
            String street = "Großbeerenstraße 12 " + "x".repeat(600);
            JsonNode longAddress = post(hub, "ev-long", base.replace("\"Großbeerenstraße 12\"", "\"" + street + "\"")
                    .replace("5810038866001", "911"));
            JsonNode hold = hold(hub, longAddress);
            assertThat(hold.get("reasonCode").asText()).isEqualTo("MALFORMED_PAYLOAD");
            assertThat(hold.get("detail").asText()).contains("address line 1 is 620 characters long")
                    .doesNotContain("xxxx");
            assertThat(hold.get("payload").asText()).contains(street);
            assertThat(Deliveries.count(hub, "orders")).isZero();

            // a delivery id no real sender uses: stored under its hash, and its re-send is still a duplicate
            String longId = "ev-" + "9".repeat(500);
            JsonNode first = post(hub, longId, base.replace("5810038866001", "912"));
            assertThat(first.get("result").asText()).isEqualTo("accepted");
            assertThat(post(hub, longId, base.replace("5810038866001", "912")).get("result").asText())
                    .isEqualTo("duplicate");
            assertThat(Deliveries.count(hub, "orders")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void twoConcurrentOrdersForTheLastUnitGiveOneAcceptedAndOneHeld(TestDb db) throws Exception {
        try (TestHub hub = Deliveries.hub(db).start()) {
            Deliveries.stock(hub, "MUG-WHITE", 1);
            String one = "{\"id\": %d, \"created_at\": \"2026-11-22T04:15:00+01:00\", \"currency\": \"EUR\","
                    + " \"financial_status\": \"paid\", \"line_items\": [{\"sku\": \"MUG-WHITE\", \"quantity\": 1, \"price\": \"14.95\"}],"
                    + " \"shipping_address\": {\"name\": \"Jörg\", \"address1\": \"Weg 1\", \"city\": \"Köln\", \"zip\": \"50667\","
                    + " \"country_code\": \"DE\"}, \"shipping_lines\": [{\"code\": \"standard\"}]}";
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<TestHub.Response> a = pool.submit(() -> shopify(hub, "orders/create", "ev-a",
                        String.format(one, 1).getBytes(StandardCharsets.UTF_8)));
                Future<TestHub.Response> b = pool.submit(() -> shopify(hub, "orders/create", "ev-b",
                        String.format(one, 2).getBytes(StandardCharsets.UTF_8)));
                List<String> results = List.of(a.get().json().get("result").asText(), b.get().json().get("result").asText());
                assertThat(results).containsExactlyInAnyOrder("accepted", "held");
            } finally {
                pool.shutdownNow();
            }
            assertThat(reserved(hub, "MUG-WHITE")).isEqualTo(1);
            assertThat(hub.api().get("/api/holds?reason=INSUFFICIENT_STOCK").json().get("holds")).hasSize(1);
        }
    }

    /**
     * The writer decides the deliveries waiting together in one transaction. One of them the database
     * refuses (a check constraint the test adds to the orders table): the batch is redone delivery by delivery, so its
     * neighbours are still accepted, and that one is stored 'received' for the recovery sweep, not lost.
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void oneDeliveryTheStoreRefusesDoesNotFailTheOthersCommittedWithIt(TestDb db) throws Exception {
        try (TestHub hub = Deliveries.hub(db).start()) {
            Deliveries.stock(hub, "MUG-WHITE", 100);
            hub.jdbc().inTransaction(c -> org.handoff.store.Jdbc.update(c,
                    "alter table orders add constraint refuse_907 check (external_id <> '907')"));
            String one = "{\"id\": %d, \"created_at\": \"2026-11-22T04:15:00+01:00\", \"currency\": \"%s\","
                    + " \"financial_status\": \"pending\", \"line_items\": [{\"sku\": \"MUG-WHITE\", \"quantity\": 1,"
                    + " \"price\": \"14.95\"}], \"shipping_address\": {\"name\": \"Jörg\", \"address1\": \"Weg 1\","
                    + " \"city\": \"Köln\", \"zip\": \"50667\", \"country_code\": \"DE\"},"
                    + " \"shipping_lines\": [{\"code\": \"standard\"}]}";
            int n = 24;
            ExecutorService pool = Executors.newFixedThreadPool(n);
            List<Future<TestHub.Response>> answers = new java.util.ArrayList<>();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            try {
                for (int i = 1; i <= n; i++) {
                    int id = i;
                    String currency = "EUR";
                    answers.add(pool.submit(() -> {
                        start.await();
                        return shopify(hub, "orders/create", "ev-batch-" + id,
                                String.format(one, 900 + id, currency).getBytes(StandardCharsets.UTF_8));
                    }));
                }
                start.countDown();
                List<String> results = new java.util.ArrayList<>();
                for (Future<TestHub.Response> a : answers) {
                    assertThat(a.get().status()).isEqualTo(200);
                    results.add(a.get().json().get("result").asText());
                }
                assertThat(results.get(6)).isEqualTo("received");
                assertThat(results).filteredOn("accepted"::equals).hasSize(n - 1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(reserved(hub, "MUG-WHITE")).isEqualTo(n - 1);
            assertThat(hub.jdbc().queryOne("select status from webhook_deliveries where dedupe_key = 'event:ev-batch-7'",
                    rs -> rs.getString(1))).contains("received");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void updatesApplyBeforePickStaleOnesAreRecordedAndCancelReleasesStock(TestDb db) {
        try (TestHub hub = Deliveries.hub(db).start()) {
            demoStock(hub);
            String orderId = shopify(hub, "orders/create", "ev-c", sample("shopify-orders-create.json")).json()
                    .get("orderId").asText();

            JsonNode updated = shopify(hub, "orders/updated", "ev-u1", sample("shopify-orders-updated.json")).json();
            assertThat(updated.get("result").asText()).isEqualTo("accepted");
            JsonNode order = hub.api().get("/api/orders/" + orderId).json();
            assertThat(order.get("shipTo").get("address1").asText()).isEqualTo("Oranienstraße 185");
            assertThat(order.get("state").asText()).isEqualTo("READY_TO_PICK");

            // a retry of an older update (the original payload, updated_at before the last applied): not applied
            String older = sampleText("shopify-orders-updated.json").replace("\"Oranienstraße 185\"", "\"Altweg 1\"")
                    .replace("2026-11-22T05:30:00+01:00", "2026-11-22T05:00:00+01:00");
            JsonNode stale = shopify(hub, "orders/updated", "ev-u0", older.getBytes(StandardCharsets.UTF_8)).json();
            assertThat(stale.get("result").asText()).isEqualTo("ignored");
            order = hub.api().get("/api/orders/" + orderId).json();
            assertThat(order.get("shipTo").get("address1").asText()).isEqualTo("Oranienstraße 185");
            assertThat(order.get("history")).anySatisfy(h -> assertThat(h.get("reasonCode").asText()).isEqualTo("STALE_UPDATE"));

            JsonNode cancelled = shopify(hub, "orders/cancelled", "ev-x", sample("shopify-orders-cancelled.json")).json();
            assertThat(cancelled.get("result").asText()).isEqualTo("accepted");
            order = hub.api().get("/api/orders/" + orderId).json();
            assertThat(order.get("state").asText()).isEqualTo("CANCELLED");
            assertThat(reserved(hub, "TSHIRT-RED-M")).isZero();
            assertThat(reserved(hub, "HOODIE-GREY-L")).isZero();
            assertThat(reserved(hub, "MUG-WHITE")).isZero();
            JsonNode last = order.get("history").get(order.get("history").size() - 1);
            assertThat(last.get("from").asText()).isEqualTo("READY_TO_PICK");
            assertThat(last.get("reasonCode").asText()).isEqualTo("CANCEL_REQUESTED");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void paidTopicMovesAnAcceptedOrderToReadyToPickAndAddressChangeAfterPickIsHeld(TestDb db) {
        try (TestHub hub = Deliveries.hub(db).start()) {
            demoStock(hub);
            String pending = sampleText("shopify-orders-create.json").replace("\"paid\"", "\"pending\"");
            String orderId = shopify(hub, "orders/create", "ev-1", pending.getBytes(StandardCharsets.UTF_8)).json()
                    .get("orderId").asText();
            assertThat(hub.api().get("/api/orders/" + orderId).json().get("state").asText()).isEqualTo("ACCEPTED");
            String paid = sampleText("shopify-orders-create.json").replace("04:15:02+01:00", "04:20:00+01:00");
            assertThat(shopify(hub, "orders/paid", "ev-2", paid.getBytes(StandardCharsets.UTF_8)).json()
                    .get("result").asText()).isEqualTo("accepted");
            assertThat(hub.api().get("/api/orders/" + orderId).json().get("state").asText()).isEqualTo("READY_TO_PICK");

            hub.api().post("/api/orders/" + orderId + "/events",
                    Map.of("type", "PICKED", "evidence", Map.of("reference", "PICK-1"), "actor", "wms:WH1"));
            JsonNode late = shopify(hub, "orders/updated", "ev-3", sample("shopify-orders-updated.json")).json();
            assertThat(late.get("result").asText()).isEqualTo("held");
            assertThat(hold(hub, late).get("reasonCode").asText()).isEqualTo("ADDRESS_CHANGE_AFTER_PICK");
            JsonNode order = hub.api().get("/api/orders/" + orderId).json();
            assertThat(order.get("state").asText()).isEqualTo("PICKED");
            assertThat(order.get("shipTo").get("address1").asText()).isEqualTo("Großbeerenstraße 12");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void unhandledTopicIsIgnoredAndOversizedBodyIs413(TestDb db) {
        try (TestHub hub = Deliveries.hub(db).property("handoff.webhook.max-body-bytes", "512").start()) {
            TestHub.Response ignored = shopify(hub, "products/update", "ev-p", "{\"id\": 1}".getBytes(StandardCharsets.UTF_8));
            assertThat(ignored.status()).isEqualTo(200);
            assertThat(ignored.json().get("result").asText()).isEqualTo("ignored");
            TestHub.Response large = shopify(hub, "orders/create", "ev-l", sample("shopify-orders-create.json"));
            assertThat(large.status()).isEqualTo(413);
            assertThat(count(hub, "webhook_deliveries")).isZero();
        }
    }

    static JsonNode post(TestHub hub, String eventId, String body) {
        return shopify(hub, "orders/create", eventId, body.getBytes(StandardCharsets.UTF_8)).json();
    }

    static JsonNode hold(TestHub hub, JsonNode answer) {
        assertThat(answer.get("result").asText()).as(answer.toString()).isEqualTo("held");
        return hub.api().get("/api/holds/" + answer.get("holdId").asLong()).json();
    }
}
