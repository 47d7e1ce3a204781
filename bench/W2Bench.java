import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Workload W2 of DESIGN §10, end to end through the real jar:
 * <ol>
 *   <li>generates a first snapshot of SKUS × LOCATIONS rows (default 100,000 × 10) and a second one of the
 *       same warehouse with CHANGED (default 2%) of the counts different;</li>
 *   <li>starts {@code target/handoff.jar} under {@code -Xmx256m} on an empty database, drops the first
 *       snapshot into {@code data/inbox/inventory/}, and times it until the receipt is applied and every
 *       ATS value is pushed ({@code handoff_ats_pending} = 0; the repository's mappings: two channels,
 *       outbox folders); then the same for the second snapshot;</li>
 *   <li>stops the hub and bulk-loads the first snapshot's rows with plain JDBC batches (5,000 per batch and
 *       commit) into a table of the same shape in the same database: the in-run baseline.</li>
 * </ol>
 * Peak heap of the hub: the maximum of jstat samples (every 100 ms) and of the GC log's before-collection
 * figures within each phase (G1 fills the heap it is given: this is not the live set, which a full GC shows,
 * e.g. {@code jcmd <pid> GC.class_histogram} in the middle of a snapshot). CPU: the hub's user + system seconds in each phase ({@code /proc/<pid>/stat}); for the
 * plain load, this JVM's; on a local PostgreSQL, the server processes serving the bench database in a column
 * of their own. {@code --warmup-skus=N} first applies a snapshot and a changed one of another warehouse with N
 * other SKUs (a hub whose JIT has compiled the path, as one that has been up for a day has).
 *
 * <pre>
 *   bench/w2.sh                       # H2 file store (the default)
 *   bench/w2.sh --db=postgres         # PostgreSQL at --pg-url (an admin URL; a fresh database is created)
 * </pre>
 */
public final class W2Bench {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String TOKEN = "w2-bench-token";

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int skus = Integer.parseInt(o.getOrDefault("skus", "100000"));
        int locations = Integer.parseInt(o.getOrDefault("locations", "10"));
        double changed = Double.parseDouble(o.getOrDefault("changed", "0.02"));
        String db = o.getOrDefault("db", "h2");
        String xmx = o.getOrDefault("xmx", "256m");
        Path work = Path.of(o.getOrDefault("work", "/tmp/handoff-w2-" + db));
        Path jar = Path.of(o.getOrDefault("jar", "target/handoff.jar")).toAbsolutePath();
        deleteTree(work);
        Path data = work.resolve("data");
        Files.createDirectories(data.resolve("inbox/inventory"));

        long rows = (long) skus * locations;
        Path first = work.resolve("snapshot-1.csv");
        Path second = work.resolve("snapshot-2.csv");
        long changedRows = generate(first, second, skus, locations, changed, "SKU-");
        // --warmup-skus=N: before the measured snapshots, a first and a changed snapshot of another warehouse with N
        // other SKUs, so that they run on a hub whose JIT has compiled the path (as a hub that has been up for a
        // day has); 0 (the default) measures a hub started just before the first file
        int warmupSkus = Integer.parseInt(o.getOrDefault("warmup-skus", "0"));
        Path warm1 = work.resolve("warmup-1.csv");
        Path warm2 = work.resolve("warmup-2.csv");
        if (warmupSkus > 0) {
            generate(warm1, warm2, warmupSkus, locations, changed, "WRM-");
        }
        System.out.printf("W2: %,d rows (%,d SKUs x %d locations); second snapshot: %,d counts changed (%.1f%%)%n",
                rows, skus, locations, changedRows, 100.0 * changedRows / rows);

        String dbUrl = null;
        String user = "handoff";
        String password = "";
        String pgAdmin = null;
        if (db.equals("postgres")) {
            pgAdmin = o.getOrDefault("pg-url", "jdbc:postgresql://localhost:5432/postgres");
            user = o.getOrDefault("pg-user", "handoff");
            password = o.getOrDefault("pg-password", "handoff");
            String name = "handoff_w2_" + System.currentTimeMillis();
            try (Connection c = DriverManager.getConnection(pgAdmin, user, password); Statement s = c.createStatement()) {
                s.execute("create database " + name);
            }
            pgDatabase = name;
            dbUrl = pgAdmin.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1")
                    + (pgAdmin.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        }

        String plainUrl = dbUrl != null ? dbUrl
                : "jdbc:h2:file:" + data.resolve("db/handoff").toAbsolutePath() + ";AUTO_SERVER=FALSE";
        String plainUser = dbUrl != null ? user : "handoff";
        String plainPassword = dbUrl != null ? password : "";
        // the machine is shared: the plain load runs before and after the hub, and the ratios use their mean
        // --plain=0 (iterating only): no baseline load; the ratios against plain JDBC are then not printed
        boolean withPlain = !"0".equals(o.getOrDefault("plain", "1"));
        double[] plainBefore = withPlain ? plainJdbc(plainUrl, plainUser, plainPassword, first) : new double[] {Double.NaN, 0, 0};

        int port = freePort();
        int management = freePort();
        List<String> command = new ArrayList<>(List.of("java", "-Xmx" + xmx, "-Xlog:gc:file=" + work.resolve("gc.log")
                        + ":uptime", "-Dhandoff.data-dir=" + data, "-Dcamel.server.port=" + port,
                "-Dcamel.management.port=" + management, "-Dhandoff.inbox.stable-ms=100",
                "-Dhandoff.inbox.poll-delay-ms=100"));
        if (o.containsKey("hub-opts")) {
            command.addAll(List.of(o.get("hub-opts").trim().split("\\s+")));
        }
        if (dbUrl != null) {
            command.add("-Dhandoff.db.url=" + dbUrl);
            command.add("-Dhandoff.db.user=" + user);
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("hub.log").toFile());
        pb.environment().put("HANDOFF_API_TOKEN", TOKEN);
        if (dbUrl != null) {
            pb.environment().put("HANDOFF_DB_PASSWORD", password);
        }
        Process hub = pb.start();
        Sampler sampler = new Sampler(hub.pid());
        Result r1;
        Result r2;
        try {
            awaitHealth(management, hub);
            sampler.start();
            if (warmupSkus > 0) {
                Result w1 = snapshot(sampler, hub.pid(), data, warm1, "inventory_WARM_20261122T030000Z.csv", port, management, work);
                Result w2 = snapshot(sampler, hub.pid(), data, warm2, "inventory_WARM_20261123T030000Z.csv", port, management, work);
                System.out.printf(Locale.ROOT, "warm-up (warehouse WARM, %,d SKUs): first %.1f s, changed %.1f s%n",
                        warmupSkus, w1.total, w2.total);
            }
            r1 = snapshot(sampler, hub.pid(), data, first, "inventory_BENCH_20261122T030000Z.csv", port, management, work);
            // --jfr-second=FILE: a JFR recording (profile settings) of the 2% snapshot alone, started and dumped with jcmd
            String jfr = o.get("jfr-second");
            if (jfr != null) {
                jcmd(hub.pid(), "JFR.start", "name=w2second", "settings=profile");
            }
            r2 = snapshot(sampler, hub.pid(), data, second, "inventory_BENCH_20261123T030000Z.csv", port, management, work);
            if (jfr != null) {
                jcmd(hub.pid(), "JFR.stop", "name=w2second", "filename=" + Path.of(jfr).toAbsolutePath());
            }
            // --repeat=N (diagnosis only, not in the table): N more daily snapshots on the same hub, alternating the
            // first file's counts and the second's (the same 2% of counts change each time; i trailing empty lines make
            // each file's content, and so its checksum, new); shows the 2% snapshot once the JIT has settled
            int repeat = Integer.parseInt(o.getOrDefault("repeat", "0"));
            for (int i = 1; i <= repeat; i++) {
                Path again = work.resolve("repeat-" + i + ".csv");
                Files.copy(i % 2 == 1 ? first : second, again, StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(again, "\n".repeat(i), java.nio.file.StandardOpenOption.APPEND);
                Result r = snapshot(sampler, hub.pid(), data, again, String.format(Locale.ROOT,
                        "inventory_BENCH_20261123T%06dZ.csv", 30000 + i), port, management, work);
                System.out.printf(Locale.ROOT, "repeat %d: %.1f s (%.3f of the first)%n", i, r.total, r.total / r1.total);
            }
        } finally {
            sampler.stop();
            hub.destroy();
            hub.waitFor();
        }
        double[] plainAfter = withPlain ? plainJdbc(plainUrl, plainUser, plainPassword, first) : new double[] {Double.NaN, 0, 0};
        double plain = (plainBefore[0] + plainAfter[0]) / 2;
        if (pgAdmin != null) {
            String name = dbUrl.replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
            try (Connection c = DriverManager.getConnection(pgAdmin, user, password); Statement s = c.createStatement()) {
                s.execute("drop database if exists " + name + " with (force)");
            }
        }

        String store = dbUrl == null ? "H2 file store" : "PostgreSQL 15";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nW2 on %s, hub under -Xmx%s, %s%s%n", store, xmx,
                OffsetDateTime.now(ZoneOffset.UTC).withNano(0), warmupSkus > 0
                        ? String.format(Locale.ROOT, ", after a warm-up of %,d other SKUs", warmupSkus) : ", cold hub"));
        out.append(String.format(Locale.ROOT, "| phase | rows | applied (s) | + ATS pushed (s) | rows/s | ATS values pushed | peak heap used (MiB) | hub CPU (s) | database server CPU (s) | vs plain JDBC |%n"));
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        out.append(r1.line("first snapshot", rows, plain));
        out.append(r2.line("2% changed snapshot", rows, plain));
        out.append(String.format(Locale.ROOT, "| plain JDBC batch load (same rows, same DB), mean of before %.1f s and after %.1f s | %,d | %.1f | | %,.0f | | | %.1f | %s | 1.00 |%n",
                plainBefore[0], plainAfter[0], rows, plain, rows / plain, (plainBefore[1] + plainAfter[1]) / 2,
                pgDatabase == null ? "" : String.format(Locale.ROOT, "%.1f", (plainBefore[2] + plainAfter[2]) / 2)));
        out.append(String.format(Locale.ROOT, "second / first (with ATS): %.3f  (target < 0.2)%n", r2.total / r1.total));
        out.append(String.format(Locale.ROOT, "first (with ATS) / plain JDBC: %.2f  (target <= 1.5)%n", r1.total / plain));
        System.out.print(out);
        Files.writeString(work.resolve("result.md"), out.toString());
    }

    record Result(double applied, double total, long pushed, double peakMiB, double liveMiB, String receipt, double cpu,
                  double dbCpu) {
        String line(String phase, long rows, double plain) {
            return String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %,.0f | %,d | %.0f | %.1f | %s | %.2f |%n", phase,
                    rows, applied, total, rows / total, pushed, peakMiB, cpu, pgDatabase == null ? "" : String.format(
                            Locale.ROOT, "%.1f", dbCpu), total / plain);
        }
    }

    static Result snapshot(Sampler sampler, long pid, Path data, Path source, String name, int port, int management, Path work)
            throws Exception {
        long pushedBefore = metric(management, "handoff_ats_pushes_total");
        Path inbox = data.resolve("inbox/inventory");
        Path temp = data.resolve("incoming-" + name);
        Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
        double upStart = sampler.mark();
        double cpu0 = cpuSeconds(pid);
        Map<Long, Double> threads0 = threadCpu(pid);
        double db0 = dbCpuSeconds();
        long t0 = System.nanoTime();
        Files.move(temp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        // done when the hub has moved the file out of the inbox (it does so last, after the receipt is final):
        // watched on the file system every 10 ms rather than by asking the hub's API every 50 ms, which cost the
        // hub CPU inside the measured seconds and up to 50 ms of latency; the API confirms the receipt after
        String receipt;
        Path done = inbox.resolve(".done").resolve(name);
        Path failed = inbox.resolve(".failed").resolve(name);
        for (int polls = 1; ; polls++) {
            if (Files.exists(done) || Files.exists(failed) || (polls % 100 == 0 && finished(port, name))) {
                break;
            }
            Thread.sleep(10);
        }
        long t1 = System.nanoTime();
        receipt = get("http://localhost:" + port + "/api/files?kind=inventory&limit=1", true);
        double cpuApplied = cpuSeconds(pid) - cpu0;
        while (metric(management, "handoff_ats_pending") > 0) {
            Thread.sleep(50);
        }
        long t2 = System.nanoTime();
        double cpu = cpuSeconds(pid) - cpu0;
        System.out.printf(Locale.ROOT, "  %s: applied %.1f s, ATS pushed %.1f s; hub CPU %.1f s (%.1f s until applied): %s%n",
                name, (t1 - t0) / 1e9, (t2 - t0) / 1e9, cpu, cpuApplied, byThread(pid, threads0, cpu));
        double db = dbCpuSeconds() - db0;
        double upEnd = sampler.mark();
        long pushed = metric(management, "handoff_ats_pushes_total") - pushedBefore;
        double peak = Math.max(sampler.peakMiB(), GcLog.peakBefore(work.resolve("gc.log"), upStart, upEnd));
        double live = GcLog.liveAfter(work.resolve("gc.log"), upStart, upEnd);
        sampler.reset();
        if (!receipt.contains("\"status\":\"applied\"")) {
            throw new IllegalStateException("snapshot " + name + " was not applied: " + receipt);
        }
        return new Result((t1 - t0) / 1e9, (t2 - t0) / 1e9, pushed, peak, live, receipt, cpu, db);
    }

    /** The receipt of this file is final (the hub's API; a fallback to watching the inbox). */
    static boolean finished(int port, String name) throws Exception {
        String receipt = get("http://localhost:" + port + "/api/files?kind=inventory&limit=1", true);
        return receipt.contains("\"name\":\"" + name + "\"") && !receipt.contains("\"status\":\"processing\"");
    }

    /**
     * Plain JDBC: the same rows into a table of the same shape, 5,000 per batch and commit. Returns the seconds
     * and the CPU seconds this process used meanwhile (on PostgreSQL the server's own CPU is not included).
     */
    static double[] plainJdbc(String url, String user, String password, Path rows) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement s = c.createStatement()) {
                s.execute("create schema if not exists w2_plain");
                s.execute("drop table if exists w2_plain.w2_plain_load");
                s.execute("create table w2_plain.w2_plain_load (warehouse varchar(50) not null, sku varchar(100) not null, "
                        + "location varchar(100) not null, on_hand bigint not null, counted_at timestamp with time zone "
                        + "not null, primary key (warehouse, sku, location))");
            }
            c.setAutoCommit(false);
            OffsetDateTime at = OffsetDateTime.of(2026, 11, 22, 3, 0, 0, 0, ZoneOffset.UTC);
            double cpu0 = cpuSeconds(ProcessHandle.current().pid());
            double db0 = dbCpuSeconds();
            long t0 = System.nanoTime();
            try (BufferedReader in = Files.newBufferedReader(rows);
                 PreparedStatement ps = c.prepareStatement("insert into w2_plain.w2_plain_load (warehouse, sku, location, on_hand, "
                         + "counted_at) values (?, ?, ?, ?, ?)")) {
                in.readLine();
                int n = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] f = line.split(",");
                    ps.setString(1, "BENCH");
                    ps.setString(2, f[0]);
                    ps.setString(3, f[1]);
                    ps.setLong(4, Long.parseLong(f[2]));
                    ps.setObject(5, at);
                    ps.addBatch();
                    if (++n % 5_000 == 0) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = cpuSeconds(ProcessHandle.current().pid()) - cpu0;
            double db = dbCpuSeconds() - db0;
            try (Statement s = c.createStatement()) {
                s.execute("drop table w2_plain.w2_plain_load");
                s.execute("drop schema w2_plain");
            }
            c.commit();
            return new double[] {seconds, cpu, db};
        }
    }

    /** The bench database's name, for {@link #dbCpuSeconds} (null on H2: the store runs inside the hub). */
    static volatile String pgDatabase;

    /**
     * CPU seconds so far of the local PostgreSQL server processes serving the bench database (their process
     * title names it): the server's share of the work, which neither the hub's nor this JVM's CPU includes.
     * 0 on H2, or when the server is not on this machine.
     */
    static double dbCpuSeconds() throws IOException {
        if (pgDatabase == null) {
            return 0;
        }
        double sum = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = Files.readString(p.resolve("cmdline"));
                    if (cmd.startsWith("postgres") && cmd.contains(pgDatabase)) {
                        sum += cpuSeconds(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        }
        return sum;
    }

    /** CPU seconds of each live thread of a process ({@code /proc/<pid>/task/<tid>/stat}). */
    static Map<Long, Double> threadCpu(long pid) throws IOException {
        Map<Long, Double> out = new LinkedHashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    out.put(Long.parseLong(t.getFileName().toString()), cpuSeconds(pid + "/task/" + t.getFileName()));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    /**
     * The hub's CPU of one phase by thread group (names from {@code jcmd Thread.print}): the file thread (applies
     * the batches), the ATS round, JIT compilers, GC, and threads that ended within the phase (mostly the file's
     * CSV parsing thread, which lives as long as the file).
     */
    static String byThread(long pid, Map<Long, Double> before, double total) {
        try {
            Map<Long, Double> after = threadCpu(pid);
            Map<Long, String> names = new LinkedHashMap<>();
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            Pattern line = Pattern.compile("^\"(.*?)\".*nid=(0x[0-9a-f]+)");
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jcmd.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    Matcher m = line.matcher(l);
                    if (m.find()) {
                        names.put(Long.decode(m.group(2)), m.group(1));
                    }
                }
            }
            jcmd.waitFor();
            Map<String, Double> groups = new LinkedHashMap<>();
            for (String g : List.of("file thread", "ATS round", "JIT", "GC", "other")) {
                groups.put(g, 0.0);
            }
            double live = 0;
            for (Map.Entry<Long, Double> e : after.entrySet()) {
                double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
                live += d;
                String n = names.getOrDefault(e.getKey(), "?");
                String g = n.contains("inbox/inventory") ? "file thread" : n.contains("ats-recompute") ? "ATS round"
                        : n.contains("CompilerThread") ? "JIT" : n.startsWith("GC ") || n.startsWith("G1 ") ? "GC" : "other";
                groups.merge(g, d, Double::sum);
            }
            groups.put("ended (CSV parser)", Math.max(0, total - live));
            StringBuilder out = new StringBuilder();
            groups.forEach((g, d) -> out.append(String.format(Locale.ROOT, "%s%s %.1f", out.length() == 0 ? "" : ", ", g, d)));
            return out.toString();
        } catch (Exception e) {
            return "by thread: not available (" + e + ")";
        }
    }

    static void jcmd(long pid, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", args) + ": " + out);
        }
    }

    static double cpuSeconds(String task) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + task + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /** User + system CPU seconds of a process so far ({@code /proc/<pid>/stat}, clock ticks of 1/100 s). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /** Sorted by SKU then location, as WMS exports come; the second file changes {@code changed} of the counts. */
    static long generate(Path first, Path second, int skus, int locations, double changed, String prefix) throws IOException {
        Random random = new Random(42);
        long changedRows = 0;
        try (BufferedWriter a = Files.newBufferedWriter(first); BufferedWriter b = Files.newBufferedWriter(second)) {
            a.write("sku,location,on_hand\n");
            b.write("sku,location,on_hand\n");
            for (int s = 0; s < skus; s++) {
                String sku = String.format(Locale.ROOT, prefix + "%07d", s);
                for (int l = 0; l < locations; l++) {
                    String location = String.format(Locale.ROOT, "A-%02d-%02d", l / 4 + 1, l % 4 + 1);
                    int count = random.nextInt(50);
                    a.write(sku + "," + location + "," + count + "\n");
                    int next = count;
                    if (random.nextDouble() < changed) {
                        next = count + 1 + random.nextInt(5);
                        changedRows++;
                    }
                    b.write(sku + "," + location + "," + next + "\n");
                }
            }
        }
        return changedRows;
    }

    /** Heap in use (survivors + eden + old) sampled with jstat every 100 ms. */
    static final class Sampler {
        private final long pid;
        private Process jstat;
        private volatile double peakKiB;
        private volatile double uptime;

        Sampler(long pid) {
            this.pid = pid;
        }

        void start() throws IOException {
            jstat = new ProcessBuilder("jstat", "-gc", "-t", Long.toString(pid), "100").redirectErrorStream(true).start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
                    List<String> header = null;
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        List<String> cols = List.of(line.trim().split("\\s+"));
                        if (cols.contains("EU")) {
                            header = cols;
                            continue;
                        }
                        if (header == null || cols.size() != header.size()) {
                            continue;
                        }
                        try {
                            double used = 0;
                            for (String c : List.of("S0U", "S1U", "EU", "OU")) {
                                used += Double.parseDouble(cols.get(header.indexOf(c)));
                            }
                            uptime = Double.parseDouble(cols.get(0));
                            peakKiB = Math.max(peakKiB, used);
                        } catch (NumberFormatException ignored) {
                            // a partial line
                        }
                    }
                } catch (IOException ignored) {
                    // jstat ended with the hub
                }
            });
            t.setDaemon(true);
            t.start();
        }

        double mark() throws InterruptedException {
            Thread.sleep(150);
            return uptime;
        }

        double peakMiB() {
            return peakKiB / 1024;
        }

        void reset() {
            peakKiB = 0;
        }

        void stop() {
            if (jstat != null) {
                jstat.destroy();
            }
        }
    }

    /** {@code [12.345s] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 150M->30M(256M) 5.1ms} */
    static final class GcLog {
        static final Pattern LINE = Pattern.compile("^\\[(\\d+\\.\\d+)s\\].*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");

        /** The largest heap in use before a collection (group 2) or, with after=true, left live after one (group 3). */
        static double peakBefore(Path log, double from, double to) throws IOException {
            return peak(log, from, to, 2);
        }

        static double liveAfter(Path log, double from, double to) throws IOException {
            return peak(log, from, to, 3);
        }

        static double peak(Path log, double from, double to, int group) throws IOException {
            double peak = 0;
            if (!Files.exists(log)) {
                return 0;
            }
            for (String line : Files.readAllLines(log)) {
                Matcher m = LINE.matcher(line);
                if (m.find()) {
                    double at = Double.parseDouble(m.group(1));
                    if (at >= from && at <= to) {
                        peak = Math.max(peak, Double.parseDouble(m.group(group)));
                    }
                }
            }
            return peak;
        }
    }

    static long metric(int management, String name) throws Exception {
        String text = get("http://localhost:" + management + "/observe/metrics", false);
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    static void awaitHealth(int management, Process hub) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!hub.isAlive()) {
                throw new IllegalStateException("the hub exited; see hub.log");
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + management
                        + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the hub did not become healthy");
    }

    static String get(String url, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (auth) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("options are --name=value, got " + a);
            }
            o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        return o;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
