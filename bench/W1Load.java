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
 *   java -cp target/handoff.jar bench/W1Load.java PORT SECRET [N=20000] [DUP=0.2] [CONNECTIONS=64] [WARMUP=auto|count] [HUB_PID]
 */
public class W1Load {

    static final List<String> SKUS = List.of("W1-TEE-RED-M", "W1-HOODIE-L", "W1-MUG", "W1-CAP");
    /** paid (default): each order goes on to READY_TO_PICK and a pick ticket for the WMS; pending: stays ACCEPTED. */
    static final String PAYMENT = System.getenv().getOrDefault("W1_PAYMENT", "paid");

    record Req(String eventId, byte[] body, String signature) {}

    record Run(String name, int requests, double seconds, long[] latenciesNanos, Map<String, Integer> statuses,
            Map<String, Integer> results, double hubCpuSeconds, double jitCpuSeconds, double loadCpuSeconds) {
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
        String warmup = args.length > 5 ? args[5] : "auto";
        hubPid = args.length > 6 ? args[6] : null;

        List<Req> measured = requests(n, dupShare, secret, "w1", new Random(42));

        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setDefaultHost("localhost").setDefaultPort(port), new PoolOptions().setHttp1MaxSize(connections));
        try {
            // each route's measured run follows its own warm-up directly: measured right after the other
            // route's run, the JIT would still be re-optimizing the shared HTTP path for the new mix
            warmUp(client, "/bench/bare", "bare", warmup, n, secret, connections);
            Run bare = run(client, "/bench/bare", measured, connections, "bare route");
            warmUp(client, "/webhooks/shopify", "handoff", warmup, n, secret, connections);
            Run hub = run(client, "/webhooks/shopify", measured, connections, "handoff /webhooks/shopify");
            for (Run r : List.of(bare, hub)) {
                print(r);
            }
            int accepted = hub.results().getOrDefault("accepted", 0);
            System.out.printf(Locale.ROOT, "W1: %d accepted orders in %.2f s = %.0f accepted orders/s; p50 %.2f ms, p99 %.2f ms; "
                            + "%.0f%% of the bare route's rate (%.0f req/s) in the same run%n",
                    accepted, hub.seconds(), accepted / hub.seconds(), hub.percentileMs(0.5), hub.percentileMs(0.99),
                    100.0 * hub.perSecond() / bare.perSecond(), bare.perSecond());
            if (Boolean.getBoolean("w1.timeline")) {
                timeline(hub);
            }
        } finally {
            client.close();
            vertx.close();
        }
    }

    /**
     * Warms a route before its measured run. A number: that many deliveries (other orders than the measured
     * ones). {@code auto}: rounds of n deliveries, each with new orders, until the hub's JIT compiler threads
     * took less than 5% of its CPU in a round (at most 15 rounds) - the steady state of a hub that has been
     * running, which is what a peak meets. Every round is printed: the first one is the cold hub's figure.
     */
    static void warmUp(HttpClient client, String path, String label, String warmup, int n, byte[] secret,
            int connections) throws Exception {
        if (!warmup.equals("auto")) {
            int count = Integer.parseInt(warmup);
            if (count > 0) {
                run(client, path, requests(count, 0.2, secret, label + "-warm", new Random(7)), connections, label + " warm-up");
            }
            return;
        }
        for (int round = 1; round <= 15; round++) {
            Run r = run(client, path, requests(n, 0.2, secret, label + "-warm" + round, new Random(7 + round)),
                    connections, label + " warm-up " + round);
            print(r);
            if (r.hubCpuSeconds() > 0 && r.jitCpuSeconds() < 0.05 * r.hubCpuSeconds()) {
                return;
            }
        }
        System.out.println(label + ": the JIT had not settled after 15 warm-up rounds; measuring anyway");
    }

    static void print(Run r) {
        System.out.printf(Locale.ROOT, "%-28s %6d requests in %6.2f s = %8.0f req/s   p50 %6.2f ms   p99 %6.2f ms   hub CPU %s   load generator CPU %.1f s   statuses %s   results %s%n",
                r.name(), r.requests(), r.seconds(), r.perSecond(), r.percentileMs(0.50), r.percentileMs(0.99),
                r.hubCpuSeconds() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s (%.3f ms/request; JIT %.1f s)",
                        r.hubCpuSeconds(), 1000 * r.hubCpuSeconds() / r.requests(), r.jitCpuSeconds()),
                r.loadCpuSeconds(), r.statuses(), r.results());
    }

    /** n deliveries: unique orders, with dupShare of them exact re-deliveries placed after their original. */
    static List<Req> requests(int n, double dupShare, byte[] secret, String prefix, Random random) throws Exception {
        int dups = (int) Math.round(n * dupShare);
        int unique = n - dups;
        List<Req> originals = new ArrayList<>(unique);
        // each list's orders get ids of their own: base (per list) times a million plus the index; written as
        // base and index side by side, one list's 12|34 and another's 123|4 were the same order
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
            String body = String.format(Locale.ROOT, "{\"id\": %d, \"name\": \"#%s-%d\", \"email\": \"buyer%d@example.com\", "
                    + "\"created_at\": \"%s\", \"updated_at\": \"%s\", \"currency\": \"EUR\", \"financial_status\": \"" + PAYMENT + "\", "
                    + "\"cancelled_at\": null, \"line_items\": [%s], \"shipping_address\": {\"name\": \"Zoë Müller\", "
                    + "\"address1\": \"Großbeerenstraße %d\", \"address2\": null, \"city\": \"Berlin\", \"zip\": \"10963\", "
                    + "\"country_code\": \"DE\", \"phone\": \"+49 30 1234567\"}, \"shipping_lines\": [{\"code\": \"standard\"}]}",
                    base * 1_000_000L + i, prefix, i, i, placed, placed, lines, 1 + i % 200);
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
        answeredAt = new long[requests.size()];
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        Map<String, Integer> results = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections);
        double cpuBefore = hubCpuSeconds();
        double jitBefore = hubJitCpuSeconds();
        double ownBefore = ownCpuSeconds();
        AtomicLong started = new AtomicLong(System.nanoTime());
        runStart = started.get();
        for (int c = 0; c < connections; c++) {
            sendNext(client, path, requests, next, latencies, statuses, results, done);
        }
        done.await();
        double seconds = (System.nanoTime() - started.get()) / 1e9;
        double cpu = hubPid == null ? -1 : hubCpuSeconds() - cpuBefore;
        return new Run(name, requests.size(), seconds, latencies, new TreeMap<>(statuses), new TreeMap<>(results), cpu,
                hubJitCpuSeconds() - jitBefore, ownCpuSeconds() - ownBefore);
    }

    static String hubPid;
    /** When each request of the current run was answered (nanoTime), for -Dw1.timeline. */
    static long[] answeredAt;

    /**
     * Diagnosis (-Dw1.timeline=true): the measured run's tail, and when its slow answers came — in 100 ms
     * slices, only slices with an answer over 40 ms. A tail in a few slices points at pauses (GC, a long
     * commit); one spread over all of them at queueing.
     */
    static void timeline(Run r) {
        System.out.printf(Locale.ROOT, "tail: p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n", r.percentileMs(0.9),
                r.percentileMs(0.99), r.percentileMs(0.999), r.percentileMs(1.0));
        long first = Long.MAX_VALUE;
        for (long t : answeredAt) {
            first = Math.min(first, t);
        }
        long firstWallMs = System.currentTimeMillis() - (System.nanoTime() - first) / 1_000_000L;
        System.out.println("  first answer at " + java.time.Instant.ofEpochMilli(firstWallMs) + " (slices counted from there)");
        java.util.TreeMap<Long, long[]> slices = new java.util.TreeMap<>();
        for (int i = 0; i < answeredAt.length; i++) {
            long[] s = slices.computeIfAbsent((answeredAt[i] - first) / 100_000_000L, k -> new long[3]);
            s[0]++;
            if (r.latenciesNanos()[i] > 40_000_000L) {
                s[1]++;
            }
            s[2] = Math.max(s[2], r.latenciesNanos()[i]);
        }
        slices.forEach((k, s) -> {
            if (s[1] > 0) {
                System.out.printf(Locale.ROOT, "  %5.1f s: %4d answers, %4d over 40 ms, max %.1f ms%n", k / 10.0, s[0], s[1], s[2] / 1e6);
            }
        });
    }

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

    /**
     * CPU seconds the hub's JIT compiler threads have used so far (/proc per thread; on two cores HotSpot runs one C1
     * and one C2 thread, which live as long as the process). Compilation is a start-up cost: a benchmark that
     * includes it measures how new the process is, not what a request costs.
     */
    static double hubJitCpuSeconds() {
        if (hubPid == null) {
            return 0;
        }
        double sum = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc", hubPid, "task"))) {
            for (var task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    String stat = java.nio.file.Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
                    }
                } catch (java.io.IOException threadGone) {
                    // a thread that ended between listing and reading
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return sum;
    }

    static void sendNext(HttpClient client, String path, List<Req> requests, AtomicInteger next, long[] latencies,
            Map<String, Integer> statuses, Map<String, Integer> results, CountDownLatch done) {
        int i = next.getAndIncrement();
        if (i >= requests.size()) {
            done.countDown();
            return;
        }
        if (RATE > 0) {
            // paced (open loop, -Dw1.rate=N requests/s over all connections): request i leaves at its time
            long wait = runStart + (long) (i * 1e9 / RATE) - System.nanoTime();
            if (wait > 0) {
                PACER.schedule(() -> send(client, path, requests, i, next, latencies, statuses, results, done),
                        wait, java.util.concurrent.TimeUnit.NANOSECONDS);
                return;
            }
        }
        send(client, path, requests, i, next, latencies, statuses, results, done);
    }

    /** Requests per second over all connections; 0 = each connection sends its next request when answered. */
    static final double RATE = Double.parseDouble(System.getProperty("w1.rate", "0"));
    static final java.util.concurrent.ScheduledExecutorService PACER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "w1-pacer");
                t.setDaemon(true);
                return t;
            });
    static volatile long runStart;

    static void send(HttpClient client, String path, List<Req> requests, int i, AtomicInteger next, long[] latencies,
            Map<String, Integer> statuses, Map<String, Integer> results, CountDownLatch done) {
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
                    answeredAt[i] = t0 + latencies[i];
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
