package org.handoff.csvinbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.csvinbox.CsvInboxFiles.drop;
import static org.handoff.csvinbox.CsvInboxFiles.file;
import static org.handoff.csvinbox.CsvInboxFiles.order;
import static org.handoff.csvinbox.CsvInboxFiles.orderCount;
import static org.handoff.csvinbox.CsvInboxFiles.report;
import static org.handoff.csvinbox.CsvInboxFiles.reserved;
import static org.handoff.csvinbox.CsvInboxFiles.seed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.handoff.security.HmacSignatures;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing about an order may depend on the door it came through: the same orders by webhook and by CSV
 * make identical canonical orders, and an order that arrives both ways exists once, the second arrival
 * recorded as a duplicate with its source. Uses the repository's samples.
 */
class CsvInboxAcrossDoorsIT {

    static final String SECRET = "shpss_csv-inbox-test";
    static final Path SAMPLE = Path.of("samples", "inbox", "orders", "orders_shopify_20261122T050000Z.csv");

    static TestHub hub(TestDb db) {
        TestHub hub = TestHub.builder().db(db).env("SHOPIFY_WEBHOOK_SECRET", SECRET).start();
        seed(hub, "TSHIRT-RED-M", 20);
        seed(hub, "TSHIRT-RED-L", 20);
        seed(hub, "HOODIE-GREY-L", 20);
        seed(hub, "MUG-WHITE", 20);
        return hub;
    }

    static TestHub.Response webhook(TestHub hub, String sample, String eventId) {
        byte[] body;
        try {
            body = Files.readAllBytes(Path.of("samples", "webhooks", sample));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Shopify-Topic", "orders/create");
        headers.put("X-Shopify-Event-Id", eventId);
        headers.put("X-Shopify-Triggered-At", Instant.now().toString());
        headers.put("X-Shopify-Hmac-Sha256", HmacSignatures.base64(SECRET.getBytes(StandardCharsets.UTF_8), body));
        return hub.post("/webhooks/shopify", body, headers);
    }

    /** The rows of the sample that belong to one order, as an orders file of their own. */
    static String sampleOrder(String orderId) {
        try {
            List<String> lines = Files.readAllLines(SAMPLE, StandardCharsets.UTF_8);
            return file(lines.stream().skip(2).filter(l -> l.startsWith(orderId + ",")).toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The canonical order without what legitimately differs between two hubs: ids, history, the hub's own times. */
    static JsonNode canonical(JsonNode order) {
        ObjectNode copy = order.deepCopy();
        copy.remove(List.of("orderId", "history", "holdId", "createdAt", "updatedAt"));
        return copy;
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void theSameOrdersByWebhookAndByCsvMakeIdenticalCanonicalOrders(TestDb db) {
        try (TestHub byWebhook = hub(db); TestHub byCsv = hub(db)) {
            // an accepted order (a channel SKU, a variant id, a master SKU, non-ASCII, +01:00) and a held one
            assertThat(webhook(byWebhook, "shopify-orders-create.json", "ev-1").json().get("result").asText())
                    .isEqualTo("accepted");
            assertThat(webhook(byWebhook, "shopify-orders-create-missing-phone.json", "ev-2").json().get("result")
                    .asText()).isEqualTo("held");

            String name = "orders_shopify_20261122T060000Z.csv";
            drop(byCsv, name, sampleOrder("5810038866001") + String.join(",", "5810038866002",
                    "2026-11-21T22:40:10-05:00", "sean.obrien@example.com", "Seán O'Brien", "350 Fifth Avenue", "",
                    "New York", "10118", "US", "", "express", "TSHIRT-RED-M", "1", "24.00", "USD", "authorized") + "\n");
            CsvInboxFiles.Report report = report(byCsv, name);
            assertThat(report.orders("accepted")).isEqualTo(1);
            assertThat(report.orders("held")).isEqualTo(1);

            for (String id : List.of("5810038866001", "5810038866002")) {
                JsonNode a = order(byWebhook, "shopify", id);
                JsonNode b = order(byCsv, "shopify", id);
                assertThat(canonical(b)).as("order %s by CSV vs by webhook", id).isEqualTo(canonical(a));
            }
            assertThat(order(byCsv, "shopify", "5810038866001").get("state").asText()).isEqualTo("READY_TO_PICK");
            assertThat(order(byCsv, "shopify", "5810038866002").get("state").asText()).isEqualTo("HELD");
            for (String sku : List.of("TSHIRT-RED-M", "HOODIE-GREY-L", "MUG-WHITE")) {
                assertThat(reserved(byCsv, sku)).as(sku).isEqualTo(reserved(byWebhook, sku));
            }
            // the same reason on both sides
            String reasonByWebhook = CsvInboxFiles.holds(byWebhook, null).get(0).get("reasonCode").asText();
            assertThat(CsvInboxFiles.holds(byCsv, null)).singleElement()
                    .satisfies(h -> assertThat(h.get("reasonCode").asText()).isEqualTo(reasonByWebhook));
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void webhookFirstThenTheSampleFile(TestDb db) {
        try (TestHub hub = hub(db)) {
            assertThat(webhook(hub, "shopify-orders-create.json", "ev-1").json().get("result").asText())
                    .isEqualTo("accepted");
            long tshirts = reserved(hub, "TSHIRT-RED-M");

            String name = SAMPLE.getFileName().toString();
            try {
                drop(hub, name, Files.readString(SAMPLE, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            CsvInboxFiles.Report report = report(hub, name);
            assertThat(report.orders("read")).isEqualTo(4);
            assertThat(report.orders("accepted")).isEqualTo(1);  // 5810038866101, two rows apart
            assertThat(report.orders("held")).isEqualTo(2);      // 102 missing phone for express, 103 unknown SKU
            assertThat(report.orders("duplicate")).isEqualTo(1); // 001 came by webhook first
            assertThat(report.orders().get("heldByReason").get("MISSING_CARRIER_PHONE").asInt()).isEqualTo(1);
            assertThat(report.orders().get("heldByReason").get("UNKNOWN_SKU").asInt()).isEqualTo(1);
            assertThat(report.orders().get("heldOrders")).anySatisfy(h -> {
                assertThat(h.get("orderId").asText()).isEqualTo("5810038866103");
                assertThat(h.get("rows").asText()).isEqualTo("5, 8");
                assertThat(h.get("detail").asText()).contains("SOCKS-STRIPED-42");
            });

            // 001 exists once; the CSV arrival is in its history with its source, and reserved nothing more
            assertThat(orderCount(hub)).isEqualTo(4);
            JsonNode o001 = order(hub, "shopify", "5810038866001");
            JsonNode last = o001.get("history").get(o001.get("history").size() - 1);
            assertThat(last.get("reasonCode").asText()).isEqualTo("DUPLICATE");
            assertThat(last.get("actor").asText()).isEqualTo("system:csv-inbox");
            assertThat(last.get("evidence").get("deliveryKey").asText())
                    .isEqualTo("file " + name + " rows 4, 7, 10");
            assertThat(reserved(hub, "TSHIRT-RED-M")).isEqualTo(tshirts + 1);
            JsonNode o101 = order(hub, "shopify", "5810038866101");
            assertThat(o101.get("lines")).extracting(l -> l.get("sku").asText()).containsExactly("TSHIRT-RED-M", "MUG-WHITE");
            assertThat(o101.get("history").get(0).get("actor").asText()).isEqualTo("system:csv-inbox");
            assertThat(order(hub, "shopify", "5810038866102").get("state").asText()).isEqualTo("HELD");
        }
    }

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void csvFirstThenTheWebhook(TestDb db) {
        try (TestHub hub = hub(db)) {
            String name = "orders_shopify_20261122T060000Z.csv";
            drop(hub, name, sampleOrder("5810038866001"));
            assertThat(report(hub, name).orders("accepted")).isEqualTo(1);
            long tshirts = reserved(hub, "TSHIRT-RED-M");

            TestHub.Response response = webhook(hub, "shopify-orders-create.json", "ev-1");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("result").asText()).isEqualTo("duplicate");
            assertThat(orderCount(hub)).isEqualTo(1);
            assertThat(reserved(hub, "TSHIRT-RED-M")).isEqualTo(tshirts);
            JsonNode order = order(hub, "shopify", "5810038866001");
            assertThat(response.json().get("orderId").asText()).isEqualTo(order.get("orderId").asText());
            JsonNode last = order.get("history").get(order.get("history").size() - 1);
            assertThat(last.get("reasonCode").asText()).isEqualTo("DUPLICATE");
            assertThat(last.get("actor").asText()).isEqualTo("system:shopify");
            assertThat(last.get("evidence").get("deliveryKey").asText()).contains("ev-1");
            assertThat(order.get("history").get(0).get("actor").asText()).isEqualTo("system:csv-inbox");
        }
    }
    /**
     * A held order released with a corrected payload (the README's walk-throughs add the missing phone) is the
     * corrected order from then on, through either door: it was validated with the phone, so it must be stored and
     * sent to the WMS with it, not accepted with the held version's empty phone.
     */
    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aHeldOrderReleasedWithACorrectedPayloadKeepsTheCorrection(TestDb db) throws Exception {
        try (TestHub hub = hub(db)) {
            // by webhook: the express order without a phone (authorized; the payment provider's capture is recorded
            // while it is held), corrected in its JSON
            JsonNode held = webhook(hub, "shopify-orders-create-missing-phone.json", "ev-2").json();
            long webhookHold = held.get("holdId").asLong();
            assertThat(hub.api().post("/api/orders/" + held.get("orderId").asText() + "/events", Map.of("type",
                    "PAYMENT_CAPTURED", "evidence", Map.of("paymentReference", "pi_1"), "actor", "psp")).status())
                    .isEqualTo(200);
            ObjectNode corrected = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(hub.api().get("/api/holds/" + webhookHold).json().get("payload").asText());
            ((ObjectNode) corrected.get("shipping_address")).put("phone", "+1 212 555 0100");
            JsonNode released = hub.api().post("/api/holds/" + webhookHold + "/release",
                    Map.of("actor", "ops:anna", "note", "phone from the customer", "payload", corrected.toString())).json();
            assertThat(released.get("outcome").asText()).isEqualTo("accepted");
            JsonNode byWebhook = order(hub, "shopify", "5810038866002");
            assertThat(byWebhook.get("state").asText()).as("the capture recorded meanwhile still counts")
                    .isEqualTo("READY_TO_PICK");
            assertThat(byWebhook.get("shipTo").get("phone").asText()).isEqualTo("+1 212 555 0100");

            // by CSV: the sample's express order without a phone, corrected in its rows
            String name = SAMPLE.getFileName().toString();
            drop(hub, name, Files.readString(SAMPLE, StandardCharsets.UTF_8));
            assertThat(report(hub, name).orders("held")).isEqualTo(2);
            long csvHold = CsvInboxFiles.holds(hub, "MISSING_CARRIER_PHONE").get(0).get("holdId").asLong();
            String rows = hub.api().get("/api/holds/" + csvHold).json().get("payload").asText()
                    .replace(",ES,,express,", ",ES,+34 91 5550123,express,");
            assertThat(hub.api().post("/api/holds/" + csvHold + "/release",
                    Map.of("actor", "ops:anna", "note", "phone from the customer", "payload", rows)).json()
                    .get("outcome").asText()).isEqualTo("accepted");
            JsonNode byCsv = order(hub, "shopify", "5810038866102");
            assertThat(byCsv.get("state").asText()).isEqualTo("READY_TO_PICK");
            assertThat(byCsv.get("shipTo").get("phone").asText()).isEqualTo("+34 91 5550123");
        }
    }
}
