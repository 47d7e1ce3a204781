import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Workload W1 (DESIGN §10): N signed Shopify orders/create deliveries (1 to 5 lines over 4 hot SKUs),
 * a share of them exact re-deliveries, over C concurrent keep-alive connections, with Vert.x's HTTP
 * client (the JDK's client would measure itself). Then the same requests against the bare route.
 *
 *   java -cp target/handoff.jar bench/W1Load.java PORT SECRET [N=20000] [DUP=0.2] [CONNECTIONS=64] [WARMUP=3000]
 */
public class W1Load {

    static final List<String> SKUS = List.of("W1-TEE-RED-M", "W1-HOODIE-L", "W1-MUG", "W1-CAP");
    /** paid (default): each order goes on to READY_TO_PICK and a pick ticket for the WMS; pending: stays ACCEPTED. */
    static final String PAYMENT = System.getenv().getOrDefault("W1_PAYMENT", "paid");

    record Req(String eventId, byte[] body, String signature) {}

    record Run(String name, int requests, double seconds, long[] latenciesNanos, Map<String, Integer> statuses,
            Map<String, Integer> results, double hubCpuSeconds, double loadCpuSeconds) {
        double perSecond() {
            return requests / seconds;
        }

        double percentileMs(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int i = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] secret = args[1].getBytes(StandardCharsets.UTF_8);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        double dupShare = args.length > 3 ? Double.parseDouble(args[3]) : 0.2;
        int connections = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 3000;
        hubPid = args.length > 6 ? args[6] : null;

        List<Req> warm = requests(warmup, 0.2, secret, "warm", new Random(7));
        List<Req> measured = requests(n, dupShare, secret, "w1", new Random(42));

        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setDefaultHost("localhost").setDefaultPort(port), new PoolOptions().setHttp1MaxSize(connections));
        try {
            // each route's measured run follows its own warm-up directly: measured right after the other
            // route's run, the JIT would still be re-optimizing the shared HTTP path for the new mix
            run(client, "/bench/bare", warm, connections, "bare warm-up");
            Run bare = run(client, "/bench/bare", measured, connections, "bare route");
            run(client, "/webhooks/shopify", warm, connections, "handoff warm-up");
            Run hub = run(client, "/webhooks/shopify", measured, connections, "handoff /webhooks/shopify");
            for (Run r : List.of(bare, hub)) {
                System.out.printf(Locale.ROOT, "%-28s %6d requests in %6.2f s = %8.0f req/s   p50 %6.2f ms   p99 %6.2f ms   hub CPU %s   load generator CPU %.1f s   statuses %s   results %s%n",
                        r.name(), r.requests(), r.seconds(), r.perSecond(), r.percentileMs(0.50), r.percentileMs(0.99),
                        r.hubCpuSeconds() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s (%.3f ms/request)",
                                r.hubCpuSeconds(), 1000 * r.hubCpuSeconds() / r.requests()),
                        r.loadCpuSeconds(), r.statuses(), r.results());
            }
            int accepted = hub.results().getOrDefault("accepted", 0);
            System.out.printf(Locale.ROOT, "W1: %d accepted orders in %.2f s = %.0f accepted orders/s; p50 %.2f ms, p99 %.2f ms; "
                            + "%.0f%% of the bare route's rate (%.0f req/s) in the same run%n",
                    accepted, hub.seconds(), accepted / hub.seconds(), hub.percentileMs(0.5), hub.percentileMs(0.99),
                    100.0 * hub.perSecond() / bare.perSecond(), bare.perSecond());
        } finally {
            client.close();
            vertx.close();
        }
    }

    /** n deliveries: unique orders, with dupShare of them exact re-deliveries placed after their original. */
    static List<Req> requests(int n, double dupShare, byte[] secret, String prefix, Random random) throws Exception {
        int dups = (int) Math.round(n * dupShare);
        int unique = n - dups;
        List<Req> originals = new ArrayList<>(unique);
        long base = System.nanoTime() % 1_000_000_000L;
        String placed = Instant.now().minusSeconds(3600).toString();
        for (int i = 0; i < unique; i++) {
            StringBuilder lines = new StringBuilder();
            int count = 1 + random.nextInt(5);
            for (int l = 0; l < count; l++) {
                if (l > 0) {
                    lines.append(", ");
                }
                lines.append(String.format(Locale.ROOT, "{\"id\": %d, \"sku\": \"%s\", \"variant_id\": %d, \"quantity\": %d, \"price\": \"%d.%02d\"}",
                        l + 1, SKUS.get(random.nextInt(SKUS.size())), 4400000 + l, 1 + random.nextInt(3),
                        5 + random.nextInt(60), random.nextInt(100)));
            }
            String body = String.format(Locale.ROOT, "{\"id\": %d%d, \"name\": \"#%s-%d\", \"email\": \"buyer%d@example.com\", "
                    + "\"created_at\": \"%s\", \"updated_at\": \"%s\", \"currency\": \"EUR\", \"financial_status\": \"" + PAYMENT + "\", "
                    + "\"cancelled_at\": null, \"line_items\": [%s], \"shipping_address\": {\"name\": \"Zoë Müller\", "
                    + "\"address1\": \"Großbeerenstraße %d\", \"address2\": null, \"city\": \"Berlin\", \"zip\": \"10963\", "
                    + "\"country_code\": \"DE\", \"phone\": \"+49 30 1234567\"}, \"shipping_lines\": [{\"code\": \"standard\"}]}",
                    base, i, prefix, i, i, placed, placed, lines, 1 + i % 200);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            originals.add(new Req(prefix + "-" + base + "-" + i, bytes, sign(secret, bytes)));
        }
        List<Req> out = new ArrayList<>(originals);
        Collections.shuffle(out, random);
        for (int d = 0; d < dups; d++) {
            // an exact re-delivery somewhere after its original
            int originalAt = random.nextInt(out.size());
            int at = originalAt + 1 + random.nextInt(out.size() - originalAt);
            out.add(at, out.get(originalAt));
        }
        return out;
    }

    static Run run(HttpClient client, String path, List<Req> requests, int connections, String name) throws Exception {
        long[] latencies = new long[requests.size()];
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        Map<String, Integer> results = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections);
        double cpuBefore = hubCpuSeconds();
        double ownBefore = ownCpuSeconds();
        AtomicLong started = new AtomicLong(System.nanoTime());
        for (int c = 0; c < connections; c++) {
            sendNext(client, path, requests, next, latencies, statuses, results, done);
        }
        done.await();
        double seconds = (System.nanoTime() - started.get()) / 1e9;
        double cpu = hubPid == null ? -1 : hubCpuSeconds() - cpuBefore;
        return new Run(name, requests.size(), seconds, latencies, new TreeMap<>(statuses), new TreeMap<>(results), cpu,
                ownCpuSeconds() - ownBefore);
    }

    static String hubPid;

    /** CPU seconds this load generator has used: on a 2-core machine, what it takes is not the hub's. */
    static double ownCpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : 0;
    }

    /**
     * CPU seconds the hub's process has used so far (user + system, from /proc on Linux), or 0 when unknown.
     * CPU per request is the figure that survives a shared, noisy machine; requests/s does not.
     */
    static double hubCpuSeconds() {
        if (hubPid == null) {
            return 0;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", hubPid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of proc(5) (utime, stime), counted from after the command name
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (Exception e) {
            return 0;
        }
    }

    static void sendNext(HttpClient client, String path, List<Req> requests, AtomicInteger next, long[] latencies,
            Map<String, Integer> statuses, Map<String, Integer> results, CountDownLatch done) {
        int i = next.getAndIncrement();
        if (i >= requests.size()) {
            done.countDown();
            return;
        }
        Req r = requests.get(i);
        long t0 = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Shopify-Topic", "orders/create")
                .putHeader("X-Shopify-Event-Id", r.eventId())
                .putHeader("X-Shopify-Hmac-Sha256", r.signature());
        client.request(options)
                .compose(req -> req.send(Buffer.buffer(r.body())).compose(resp -> resp.body().map(b -> {
                    statuses.merge(String.valueOf(resp.statusCode()), 1, Integer::sum);
                    String text = b.toString(StandardCharsets.UTF_8);
                    int at = text.indexOf("\"result\":\"");
                    if (at >= 0) {
                        String result = text.substring(at + 10, text.indexOf('"', at + 10));
                        results.merge(result, 1, Integer::sum);
                    }
                    return null;
                })))
                .onComplete(ar -> {
                    latencies[i] = System.nanoTime() - t0;
                    if (ar.failed()) {
                        statuses.merge("error:" + ar.cause().getClass().getSimpleName(), 1, Integer::sum);
                    }
                    sendNext(client, path, requests, next, latencies, statuses, results, done);
                });
    }

    static String sign(byte[] secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
