package org.handoff.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.handoff.HandoffApplication;
import org.handoff.HandoffConfig;
import org.handoff.api.Json;
import org.handoff.holds.Hold;
import org.handoff.holds.HoldStore;
import org.handoff.lifecycle.SilenceDetector;
import org.handoff.lifecycle.WmsMessage;
import org.handoff.lifecycle.WmsOutbox;
import org.handoff.order.HistoryEntry;
import org.handoff.order.Order;
import org.handoff.order.OrderStore;
import org.handoff.security.EasyPostSignature;
import org.handoff.security.HmacSignatures;
import org.handoff.store.Jdbc;

/**
 * {@code java -jar handoff.jar demo}: the hub on a scratch data folder, every sample in {@code samples/}
 * played through the handoff it belongs to — the ERP's and the WMS's files, signed webhooks from both
 * storefronts, the CSV inbox, the WMS's dispatch file, EasyPost's signed tracker events — then a short
 * story of what became of each order and hold, and curl commands to explore the hub, which keeps running.
 * Nothing is faked: the demo is a client of the real routes, like a storefront, a WMS or a carrier.
 */
public final class Demo implements AutoCloseable {

    /** The order kinds are played in: master data and stock first, orders, then what happens to them. */
    private static final List<String> FIRST_KINDS = List.of("catalog", "inventory", "purchase-orders");
    private static final List<String> LATER_KINDS = List.of("returns", "settlements");

    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path samples;
    private Path scratch;
    private Path data;
    private HandoffApplication app;
    private Map<String, String> env;
    private int port;
    private final Map<String, String> settings;

    /** @param settings configuration the demo must use (e.g. ports), over the environment and -D */
    public Demo(PrintStream out, Path samples, Map<String, String> settings) {
        this.out = out;
        this.samples = samples;
        this.settings = settings;
    }

    /** Plays everything, prints the story, then blocks until the process is stopped. */
    public void run() throws Exception {
        start();
        try {
            playAndTell();
        } catch (RuntimeException | IOException | InterruptedException e) {
            out.println();
            out.println("The demo stopped half-way: " + e.getMessage());
            out.println("The hub stays up for a look; see its data in " + data);
        }
        explore();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
    }

    /** The samples through the running hub, then the story of every order and hold. */
    public void playAndTell() throws IOException, InterruptedException {
        play();
        story();
    }

    public Path dataDir() {
        return data;
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
    }

    // ---- the hub -------------------------------------------------------------------------------

    /** Starts the hub on a scratch data folder with a copy of mappings/. */
    public void start() throws Exception {
        if (!Files.isDirectory(samples.resolve("webhooks"))) {
            throw new IllegalStateException("no samples/ here: run the demo from the repository root");
        }
        scratch = Files.createTempDirectory("handoff-demo-");
        data = scratch.resolve("data");
        Path mappings = scratch.resolve("mappings");
        Map<String, String> base = System.getenv();
        HandoffConfig defaults = HandoffConfig.load(base, System.getProperties(), Map.of());
        copyTree(defaults.mappingsDir(), mappings);
        // the samples' parcels were handed over on 2026-11-22; a 12-hour cut-off lets the silence check show
        Path carriers = mappings.resolve("carriers.yaml");
        if (Files.exists(carriers)) {
            Files.writeString(carriers, Files.readString(carriers).replaceAll("silenceCutoff: *PT\\w+", "silenceCutoff: PT12H"));
        }
        env = new HashMap<>(base);
        for (String secret : List.of("SHOPIFY_WEBHOOK_SECRET", "WOOCOMMERCE_WEBHOOK_SECRET", "CARRIER_WEBHOOK_SECRET")) {
            env.putIfAbsent(secret, "demo-" + random());
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("handoff.data-dir", data.toString());
        overrides.put("handoff.mappings-dir", mappings.toString());
        overrides.put("handoff.inbox.poll-delay-ms", "300");
        overrides.put("handoff.inbox.stable-ms", "300");
        overrides.put("handoff.wms.poll-delay-ms", "300");
        // an operator's database setting does not apply: the demo has its own, in the scratch folder
        overrides.put("handoff.db.url", "");
        overrides.putAll(settings);
        HandoffConfig config = HandoffConfig.load(base, System.getProperties(), overrides);
        port = config.getInt("camel.server.port");
        try {
            app = new HandoffApplication(config, env, Clock.systemUTC());
        } catch (RuntimeException e) {
            // refused before anything started (a port in use, a bad setting): no scratch folder left behind
            deleteTree(scratch);
            throw e;
        }
        app.start();
        out.println();
        out.println("Handoff demo: the hub runs on http://localhost:" + port + " (health and metrics on :"
                + config.get("camel.management.port") + "), scratch data in " + data);
        out.println("(the copy of mappings/ there has every carrier's silence cut-off at PT12H, so silence shows)");
    }

    // ---- the play ------------------------------------------------------------------------------

    private void play() throws IOException, InterruptedException {
        section("1. The ERP's catalog and purchase orders, the WMS's stock count (drop folders)");
        for (String kind : FIRST_KINDS) {
            playFiles(kind);
        }

        section("2. Orders from the storefronts, as signed webhooks");
        shopify("orders/create", "shopify-orders-create.json");
        shopify("orders/create", "shopify-orders-create-missing-phone.json");
        shopify("orders/create", "shopify-orders-create-unknown-variant.json");
        post("woocommerce ping", "/webhooks/woocommerce", read("woocommerce-ping.txt"),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        woocommerce("order.created", "woocommerce-order-created.json");
        // the same delivery again, as a storefront retries it
        shopify("orders/create", "shopify-orders-create.json");

        section("3. The CSV inbox (orders exported while a storefront's API was down)");
        playFiles("orders");

        section("4. The storefront changes its mind");
        shopify("orders/updated", "shopify-orders-updated.json");
        awaitOutboxIdle();
        shopify("orders/cancelled", "shopify-orders-cancelled.json");

        section("5. Pick tickets and cancels out to the WMS");
        awaitOutboxIdle();
        WmsOutbox outbox = app.wiring().get(WmsOutbox.class);
        OrderStore orders = app.wiring().get(OrderStore.class);
        for (Order o : allOrders()) {
            for (WmsMessage m : outbox.ofOrder(o.orderId())) {
                out.printf("  %-30s %-12s %s %s%n", name(o), m.kind(), m.idempotencyKey(), m.status()
                        + (WmsMessage.SENT.equals(m.status()) ? (outbox.httpMode() ? " (HTTP)" : " (file " + m.fileName() + ")") : ""));
            }
        }
        if (!outbox.httpMode()) {
            out.println("  files in " + data.resolve("outbox").resolve("wms"));
        }

        section("6. The WMS's dispatch file: picked, handed over");
        playFiles("dispatch");

        section("7. Silence: handed over, no carrier scan past the cut-off");
        int silent = app.wiring().get(SilenceDetector.class).check();
        out.println("  " + (silent == 0 ? "no shipment is past its carrier's cut-off" : silent
                + " CARRIER_SILENT hold" + (silent == 1 ? "" : "s") + " raised"));

        section("8. EasyPost tracker events, signed");
        carrier("easypost-tracker-in-transit.json");
        carrier("easypost-tracker-delivered.json");
        carrier("easypost-tracker-return-to-sender.json");
        // an event with a wrong signature: refused, nothing stored
        byte[] forged = read("easypost-tracker-delivered.json");
        post("easypost, wrong signature", "/webhooks/carrier/easypost", forged, Map.of("Content-Type",
                "application/json", EasyPostSignature.HEADER, new EasyPostSignature("not-the-secret").sign(forged)));

        List<String> later = new ArrayList<>(LATER_KINDS);
        try (Stream<Path> kinds = Files.list(samples.resolve("inbox"))) {
            kinds.map(p -> p.getFileName().toString()).sorted().filter(k -> !FIRST_KINDS.contains(k)
                    && !later.contains(k) && !k.equals("orders") && !k.equals("dispatch")).forEach(later::add);
        }
        section("9. After the sale: returns and settlements");
        for (String kind : later) {
            playFiles(kind);
        }
    }

    private void playFiles(String kind) throws IOException, InterruptedException {
        Path dir = samples.resolve("inbox").resolve(kind);
        if (!Files.isDirectory(dir)) {
            return;
        }
        if (!watched(kind)) {
            out.printf("  %-44s (no route watches data/inbox/%s/ in this build: skipped)%n", kind + "/", kind);
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Path inbox = data.resolve("inbox").resolve(kind);
        Files.createDirectories(inbox);
        for (Path f : files) {
            Path temp = data.resolve("." + f.getFileName() + ".copy");
            Files.copy(f, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, inbox.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            String name = f.getFileName().toString();
            Path done = inbox.resolve(".done").resolve(name + ".report.json");
            Path failed = inbox.resolve(".failed").resolve(name + ".report.json");
            if (!await(() -> Files.exists(done) || Files.exists(failed), Duration.ofSeconds(60))) {
                out.printf("  %-44s still being applied after a minute%n", name);
                continue;
            }
            JsonNode report = Json.MAPPER.readTree(Files.readString(Files.exists(done) ? done : failed));
            StringBuilder line = new StringBuilder(report.path("status").asText());
            line.append(": ").append(report.path("rowsRead").asLong()).append(" rows, ")
                    .append(report.path("rowsApplied").asLong()).append(" applied");
            if (report.path("rowsHeld").asLong() > 0) {
                // the CSV inbox holds whole orders: their reasons are in the report's orders section
                JsonNode orders = report.path("orders");
                boolean byOrder = report.path("heldByReason").isEmpty() && orders.path("heldByReason").size() > 0;
                line.append(", ").append(report.path("rowsHeld").asLong()).append(" held ")
                        .append(byOrder ? "(" + orders.path("held").asLong() + " orders) " : "")
                        .append((byOrder ? orders : report).path("heldByReason").toString().replace("\"", "")
                                .replace(":", " x"));
            }
            if (report.hasNonNull("reasonCode")) {
                line.append(" (").append(report.get("reasonCode").asText()).append(")");
            }
            out.printf("  %-44s %s%n", name, line);
        }
    }

    private boolean watched(String kind) {
        for (Route r : app.context().getRoutes()) {
            String uri = r.getEndpoint().getEndpointUri();
            if (uri.startsWith("file:") && uri.split("\\?")[0].endsWith("/inbox/" + kind)) {
                return true;
            }
        }
        return false;
    }

    private void shopify(String topic, String sample) throws IOException, InterruptedException {
        byte[] body = read(sample);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-Shopify-Topic", topic);
        h.put("X-Shopify-Event-Id", "demo-" + sample + "-" + topic);
        h.put("X-Shopify-Shop-Domain", "handoff-demo.myshopify.com");
        h.put("X-Shopify-Hmac-Sha256", HmacSignatures.base64(secret("SHOPIFY_WEBHOOK_SECRET"), body));
        post("shopify " + topic + " " + sample, "/webhooks/shopify", body, h);
    }

    private void woocommerce(String topic, String sample) throws IOException, InterruptedException {
        byte[] body = read(sample);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-WC-Webhook-Topic", topic);
        h.put("X-WC-Webhook-Delivery-ID", "demo-" + sample);
        h.put("X-WC-Webhook-Signature", HmacSignatures.base64(secret("WOOCOMMERCE_WEBHOOK_SECRET"), body));
        post("woocommerce " + topic + " " + sample, "/webhooks/woocommerce", body, h);
    }

    private void carrier(String sample) throws IOException, InterruptedException {
        byte[] body = read(sample);
        post("easypost " + sample, "/webhooks/carrier/easypost", body, Map.of("Content-Type", "application/json",
                EasyPostSignature.HEADER, new EasyPostSignature(env.get("CARRIER_WEBHOOK_SECRET")).sign(body)));
    }

    private void post(String what, String path, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        StringBuilder line = new StringBuilder().append(answer.statusCode());
        try {
            JsonNode json = Json.MAPPER.readTree(answer.body());
            line.append(" ").append(json.path("result").asText(json.path("error").asText("")));
            if (json.hasNonNull("holdId")) {
                long holdId = json.get("holdId").asLong();
                app.wiring().get(HoldStore.class).find(holdId)
                        .ifPresent(h -> line.append(" (hold ").append(holdId).append(" ").append(h.reasonCode()).append(")"));
            }
            if (json.hasNonNull("orderId")) {
                findOrder(json.get("orderId").asText()).ifPresent(o -> line.append(" -> ").append(name(o)));
            }
        } catch (IOException e) {
            // not JSON: the status says enough
        }
        out.printf("  %-62s %s%n", what, line);
    }

    // ---- the story -----------------------------------------------------------------------------

    private void story() {
        section("What happened to each order (GET /api/orders/{orderId} has the full evidence)");
        for (Order listed : allOrders()) {
            Order o = findOrder(listed.orderId()).orElse(listed);
            out.printf("  %-30s %s%n", name(o), o.state());
            for (HistoryEntry h : o.history()) {
                String move = h.from() == null ? "-> " + h.to() : h.from() == h.to() ? "   (" + h.to() + ")"
                        : h.from() + " -> " + h.to();
                out.printf("      %-20s %-32s %-18s %s%n", Json.time(h.observedAt()), move, h.actor(),
                        brief(h.reasonCode(), h.evidence()));
            }
        }
        section("Holds: what waits for a person, and what settled itself");
        for (Hold h : app.wiring().get(HoldStore.class).list(null, null, null, 200)) {
            String detail = h.detail() == null ? "" : h.detail();
            out.printf("  #%-3d %-24s %-9s %s%n", h.holdId(), h.reasonCode(), h.status(),
                    shorten((h.subject() == null ? "" : h.subject() + ": ") + detail, 110));
        }
    }

    private static String brief(String reason, Map<String, Object> evidence) {
        List<String> parts = new ArrayList<>();
        for (String key : List.of("file", "row", "trackingNumber", "eventId", "trackerStatus", "holdId", "reason",
                "deliveryKey", "paymentReference")) {
            Object v = evidence.get(key);
            if (v != null) {
                parts.add(key + "=" + v);
            }
        }
        return reason + (parts.isEmpty() ? "" : "  " + shorten(String.join(" ", parts), 90));
    }

    private void explore() {
        String token = env.containsKey("HANDOFF_API_TOKEN") ? "$HANDOFF_API_TOKEN"
                : "$(cat " + data.resolve("api-token") + ")";
        String base = "localhost:" + port;
        Optional<Order> sample = allOrders().stream().filter(o -> o.channel().equals("woocommerce")).findFirst()
                .or(() -> allOrders().stream().findFirst());
        section("Explore (the hub keeps running; Ctrl-C stops it)");
        out.println("  TOKEN=" + token);
        sample.ifPresent(o -> out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" " + base + "/api/orders/"
                + o.orderId() + " | python3 -m json.tool"));
        out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" '" + base + "/api/orders?state=SHIPPED'");
        out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" '" + base + "/api/holds?status=open'");
        out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" " + base + "/api/holds/1");
        out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" " + base + "/api/inventory/TSHIRT-RED-M");
        out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" '" + base + "/api/files?kind=dispatch'");
        out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\");
        out.println("       -d '{\"actor\":\"you\",\"note\":\"looked at it\"}' " + base + "/api/holds/1/discard");
        out.println("  curl -s localhost:" + app.config().get("camel.management.port") + "/observe/metrics | grep '^handoff_'");
        out.println("  ls " + data.resolve("outbox").resolve("wms") + " " + data.resolve("inbox"));
        out.println();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private List<Order> allOrders() {
        Jdbc jdbc = app.wiring().jdbc();
        List<String> ids = jdbc.query("select order_id from orders order by created_at, order_id", rs -> rs.getString(1));
        OrderStore store = app.wiring().get(OrderStore.class);
        return ids.stream().map(store::find).flatMap(Optional::stream).toList();
    }

    private Optional<Order> findOrder(String orderId) {
        return app.wiring().get(OrderStore.class).find(orderId);
    }

    private static String name(Order o) {
        return o.channel() + " " + o.externalId();
    }

    private void awaitOutboxIdle() throws InterruptedException {
        Jdbc jdbc = app.wiring().jdbc();
        await(() -> jdbc.queryOne("select count(*) from wms_outbox where status in ('pending', 'sending')",
                rs -> rs.getLong(1)).orElse(0L) == 0, Duration.ofSeconds(60));
    }

    private static boolean await(BooleanSupplier condition, Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private byte[] read(String sample) throws IOException {
        return Files.readAllBytes(samples.resolve("webhooks").resolve(sample));
    }

    private byte[] secret(String name) {
        return env.get(name).getBytes(StandardCharsets.UTF_8);
    }

    private void section(String title) {
        out.println();
        out.println(title);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String random() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : paths.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
