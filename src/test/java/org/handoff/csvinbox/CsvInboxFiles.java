package org.handoff.csvinbox;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.handoff.api.Json;
import org.handoff.testing.TestHub;

/** Writing orders files into a hub's inbox and reading what became of them. */
final class CsvInboxFiles {

    static final String HEADER = String.join(",", OrdersTemplate.HEADER);

    private CsvInboxFiles() {}

    /** One line item row: order-level values first, then sku, quantity, price. */
    static String row(String orderId, String city, String phone, String method, String sku, int quantity, String price) {
        return String.join(",", orderId, "2026-11-22T02:15:00Z", "buyer-" + orderId + "@example.com",
                "\"Zoë Müller\"", "\"Hauptstraße 1\"", "", city, "10115", "DE", phone, method, sku,
                Integer.toString(quantity), price, "EUR", "paid");
    }

    static String file(String... rows) {
        StringBuilder out = new StringBuilder(OrdersTemplate.TEMPLATE_LINE).append('\n').append(HEADER).append('\n');
        for (String r : rows) {
            out.append(r).append('\n');
        }
        return out.toString();
    }

    /** Writes beside the inbox, then moves it in whole (as a careful exporter would). */
    static Path drop(TestHub hub, String name, String content) {
        try {
            Path inbox = hub.inbox(OrdersTemplate.KIND);
            Path staging = inbox.getParent().resolve(name + ".part");
            Files.writeString(staging, content, StandardCharsets.UTF_8);
            Path target = inbox.resolve(name);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the file's report in .done/ or .failed/ and returns it with the folder it landed in. */
    static Report report(TestHub hub, String name) {
        Path inbox = hub.inbox(OrdersTemplate.KIND);
        Path done = inbox.resolve(".done").resolve(name + ".report.json");
        Path failed = inbox.resolve(".failed").resolve(name + ".report.json");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(done) || Files.exists(failed));
        Path found = Files.exists(done) ? done : failed;
        await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(inbox.resolve(name)));
        try {
            return new Report(Files.exists(done) ? ".done" : ".failed", Json.MAPPER.readTree(Files.readString(found)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Report(String folder, JsonNode json) {
        JsonNode orders() {
            return json.get("orders");
        }

        long orders(String outcome) {
            return orders().get(outcome).asLong();
        }
    }

    static void seed(TestHub hub, String sku, int onHand) {
        Instant now = Instant.now();
        hub.jdbc().update("insert into catalog (sku, barcode, description, active, updated_at) values (?, null, ?, true, ?)",
                sku, sku, now);
        hub.jdbc().update("insert into stock (sku, on_hand, reserved, updated_at) values (?, ?, 0, ?)", sku, onHand, now);
    }

    static long reserved(TestHub hub, String sku) {
        return hub.jdbc().queryOne("select reserved from stock where sku = ?", rs -> rs.getLong(1), sku).orElseThrow();
    }

    static JsonNode order(TestHub hub, String channel, String externalId) {
        TestHub.Response r = hub.api().get("/api/orders?channel=" + channel + "&externalId=" + externalId);
        if (r.status() != 200) {
            throw new AssertionError("order " + channel + "/" + externalId + ": " + r);
        }
        return r.json();
    }

    static int orderCount(TestHub hub) {
        return hub.jdbc().queryOne("select count(*) from orders", rs -> rs.getInt(1)).orElseThrow();
    }

    static List<JsonNode> holds(TestHub hub, String reason) {
        JsonNode list = hub.api().get("/api/holds?status=open" + (reason == null ? "" : "&reason=" + reason)).json();
        List<JsonNode> out = new ArrayList<>();
        list.get("holds").forEach(out::add);
        return out;
    }
}
