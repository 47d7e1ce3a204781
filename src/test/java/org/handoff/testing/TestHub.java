package org.handoff.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.handoff.HandoffApplication;
import org.handoff.HandoffConfig;
import org.handoff.api.Json;
import org.handoff.store.Jdbc;

/**
 * Boots the real application — the real {@code routes/} folder, a copy of {@code mappings/}, a fresh
 * data folder, free ports and a fresh database (H2 file or a new PostgreSQL database) — and talks to
 * it over HTTP like a channel or an operator would.
 */
public final class TestHub implements AutoCloseable {

    public static final String API_TOKEN = "test-operator-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HandoffApplication app;
    private final Path dataDir;
    private final Path mappingsDir;
    private final int port;
    private final int managementPort;
    private final String pgUrl;
    private final Path root;

    private TestHub(HandoffApplication app, Path root, Path dataDir, Path mappingsDir, int port, int managementPort,
            String pgUrl) {
        this.app = app;
        this.root = root;
        this.dataDir = dataDir;
        this.mappingsDir = mappingsDir;
        this.port = port;
        this.managementPort = managementPort;
        this.pgUrl = pgUrl;
    }

    public static TestHub start(TestDb db) {
        return builder().db(db).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private TestDb db = TestDb.H2;
        private final Map<String, String> env = new HashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private Path mappingsSource = Path.of("mappings");
        private Clock clock = Clock.systemUTC();
        private Path dataDir;
        private String dbUrl;

        private Builder() {
            env.put("HANDOFF_API_TOKEN", API_TOKEN);
        }

        public Builder db(TestDb db) {
            this.db = db;
            return this;
        }

        /** An environment variable as the hub sees it (secrets live here, never in properties). */
        public Builder env(String name, String value) {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** Copy these mapping files instead of the repository's {@code mappings/}. */
        public Builder mappingsFrom(Path source) {
            this.mappingsSource = source;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Reuse a data folder and database (a restart of the same hub). */
        public Builder reuse(TestHub previous) {
            this.dataDir = previous.dataDir;
            this.db = previous.pgUrl == null ? TestDb.H2 : TestDb.POSTGRES;
            this.dbUrl = previous.pgUrl;
            this.mappingsSource = null;
            this.properties.put("handoff.mappings-dir", previous.mappingsDir.toString());
            return this;
        }

        public TestHub start() {
            db.assumeAvailable();
            try {
                Path root = dataDir == null ? Files.createTempDirectory("handoff-test") : dataDir.getParent();
                Path data = dataDir == null ? root.resolve("data") : dataDir;
                Files.createDirectories(data);
                Path mappings = root.resolve("mappings");
                if (mappingsSource != null) {
                    copyTree(mappingsSource, mappings);
                }
                String pgUrl = dbUrl;
                if (db == TestDb.POSTGRES && pgUrl == null) {
                    pgUrl = TestDb.createPostgresDatabase();
                }
                int port = freePort();
                int managementPort = freePort();
                Map<String, String> props = new LinkedHashMap<>();
                props.put("handoff.data-dir", data.toString());
                props.put("handoff.mappings-dir", mappings.toString());
                props.put("handoff.routes-dir", Path.of("routes").toAbsolutePath().toString());
                props.put("camel.server.port", String.valueOf(port));
                props.put("camel.management.port", String.valueOf(managementPort));
                props.put("handoff.inbox.poll-delay-ms", "200");
                props.put("handoff.inbox.stable-ms", "300");
                props.put("handoff.mappings.poll-delay-ms", "300");
                props.put("handoff.redelivery.initial-delay-ms", "50");
                props.put("handoff.redelivery.max-attempts", "2");
                // the pauses after a WMS or channel that did not answer: short, as the back-off above
                props.put("handoff.wms.unreachable-pause", "PT0.2S");
                props.put("handoff.ats.unreachable-pause", "PT0.2S");
                props.put("camel.main.shutdownTimeout", "5");
                if (pgUrl != null) {
                    props.put("handoff.db.url", pgUrl);
                    props.put("handoff.db.user", TestDb.PG_USER);
                    env.put("HANDOFF_DB_PASSWORD", TestDb.PG_PASSWORD);
                }
                props.putAll(properties);
                HandoffConfig config = HandoffConfig.load(Map.of(), new Properties(), props);
                HandoffApplication app;
                try {
                    app = new HandoffApplication(config, Map.copyOf(env), clock);
                } catch (RuntimeException e) {
                    // refused before anything started (a setting it cannot use): nothing of this hub is left behind
                    if (pgUrl != null && dbUrl == null) {
                        TestDb.dropPostgresDatabase(pgUrl);
                    }
                    if (dataDir == null) {
                        deleteTree(root);
                    }
                    throw e;
                }
                TestHub hub = new TestHub(app, root, data, mappings, port, managementPort, pgUrl);
                try {
                    app.start();
                } catch (Exception e) {
                    hub.close();
                    throw new IllegalStateException("hub did not start: " + e.getMessage(), e);
                }
                return hub;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public HandoffApplication app() {
        return app;
    }

    public Jdbc jdbc() {
        return app.wiring().jdbc();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path mappingsDir() {
        return mappingsDir;
    }

    /** {@code data/inbox/<kind>/}, created if missing. */
    public Path inbox(String kind) {
        Path dir = dataDir.resolve("inbox").resolve(kind);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public boolean isPostgres() {
        return pgUrl != null;
    }

    /** Locks the row {@code sql} ({@code ... for update}) selects for {@code key}, in the caller's open transaction. */
    public static void lockRow(java.sql.Connection c, String sql, String key) throws java.sql.SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row to lock: " + sql + " [" + key + "]");
                }
            }
        }
    }

    /**
     * Waits until {@code sessions} of this hub's database wait for a lock (a race test holds a row and lets the hub's
     * transactions queue behind it). Fails after 10 seconds.
     */
    public void awaitLockWaiters(int sessions) {
        String sql = isPostgres()
                ? "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"
                : "select count(*) from information_schema.sessions where blocker_id is not null";
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> jdbc().queryOne(sql, rs -> rs.getLong(1)).orElse(0L) >= sessions);
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Stops the hub but keeps its data folder and database, for a restart with {@code builder().reuse(hub)}. */
    public void stop() {
        app.close();
    }

    @Override
    public void close() {
        try {
            app.close();
        } catch (RuntimeException ignored) {
            // already stopped
        }
        if (pgUrl != null) {
            TestDb.dropPostgresDatabase(pgUrl);
        }
        deleteTree(root);
    }

    // ---- HTTP ------------------------------------------------------------------------------

    public record Response(int status, String body, Map<String, java.util.List<String>> headers) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A raw POST to the business port, as a channel would send it. */
    public Response post(String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    /** GET on the management port (health, metrics). */
    public Response management(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path))
                .timeout(Duration.ofSeconds(30)).GET().build());
    }

    /** The operator API, with the bearer token. */
    public Api api() {
        return new Api(API_TOKEN);
    }

    public final class Api {
        private final String token;

        private Api(String token) {
            this.token = token;
        }

        public Response get(String path) {
            return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).GET().build());
        }

        public Response post(String path, Object json) {
            String body = json instanceof String s ? s : Json.write(json);
            return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
        }
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- files -----------------------------------------------------------------------------

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public static void copyTree(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        if (!Files.isDirectory(source)) {
            return;
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(file, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp folder; best effort
        }
    }
}
