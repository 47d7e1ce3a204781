package org.handoff;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.handoff.api.HttpReplies;
import org.handoff.api.JsonHttpErrors;
import org.handoff.csvinbox.CsvInboxModule;
import org.handoff.files.DoneMarkers;
import org.handoff.files.FilesModule;
import org.handoff.holds.HoldsModule;
import org.handoff.inventory.InventoryModule;
import org.handoff.lifecycle.LifecycleModule;
import org.handoff.mapping.MappingModule;
import org.handoff.order.OrderPipeline;
import org.handoff.order.OrdersModule;
import org.handoff.order.SyncLatencyMeter;
import org.handoff.returns.ReturnsModule;
import org.handoff.settlement.SettlementModule;
import org.handoff.security.ApiAuth;
import org.handoff.security.ApiToken;
import org.handoff.security.OutboundAuth;
import org.handoff.store.Database;
import org.handoff.store.DatabaseHealthCheck;
import org.handoff.store.Jdbc;
import org.handoff.webhook.RawFormBodies;
import org.handoff.webhook.WebhooksModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub: a Camel Main reading YAML routes from {@code routes/} on disk, with the store migrated
 * and every bean wired before the first route starts.
 */
public final class HandoffApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HandoffApplication.class);

    private final HandoffConfig config;
    private final Main main;
    private final Database database;
    private final Wiring wiring;

    public HandoffApplication(HandoffConfig config, Map<String, String> env, Clock clock) {
        this.config = config;
        requireFreePort(config, "camel.server.enabled", "camel.server.port");
        requireFreePort(config, "camel.management.enabled", "camel.management.port");
        this.database = openDatabase(config, env);
        HandoffMetrics metrics = new HandoffMetrics();
        this.wiring = new Wiring(config, env, new Jdbc(database.dataSource()), clock, metrics);
        wire(wiring);

        this.main = new Main();
        java.util.Properties camelProps = camelProperties(config);
        main.setInitialProperties(camelProps);
        main.setOverrideProperties(camelProps);
        main.bind("metricsRegistry", metrics.registry());
        main.bind("dataSource", database.dataSource());
        PinnedPortHttpEngine httpEngine = new PinnedPortHttpEngine(config.getInt("camel.server.port"));
        // webhook signatures are over the raw bytes, which platform-http drops for form-encoded bodies
        httpEngine.setHandlers(List.of(wiring.get(RawFormBodies.class)));
        main.bind("platform-http-engine", httpEngine);
        wiring.named().forEach(main::bind);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport support) {
                started(support.getCamelContext());
            }

            @Override
            public void afterConfigure(BaseMainSupport support) {
                HealthCheckRegistry registry = HealthCheckHelper.getHealthCheckRegistry(support.getCamelContext());
                if (registry != null) {
                    registry.register(new DatabaseHealthCheck(wiring.jdbc()));
                    wiring.healthChecks().forEach(registry::register);
                }
            }
        });
    }

    /**
     * A port another process holds stops the start, as any setting the hub cannot use does: Vert.x only logs a
     * failed bind, and the hub ran on with its drop folders but without webhooks, API or health.
     */
    static void requireFreePort(HandoffConfig config, String enabledKey, String key) {
        int port = config.getInt(key);
        if (port <= 0 || !Boolean.parseBoolean(config.get(enabledKey, "true"))) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(port));
        } catch (java.io.IOException e) {
            throw new HandoffConfig.Invalid(key + " (environment variable " + HandoffConfig.envName(key) + "): port "
                    + port + " is in use by another process (a hub still running?)");
        }
    }

    /**
     * The store, migrated. An embedded file another process has open (a hub still running on this data folder)
     * stops the start in one line, as a port in use does: Flyway reported it as a stack trace about a connection
     * that was not available, the cause four exceptions down.
     */
    static Database openDatabase(HandoffConfig config, Map<String, String> env) {
        String url = config.dbUrl();
        try {
            return Database.open(url, config.get("handoff.db.user"),
                    env.getOrDefault("HANDOFF_DB_PASSWORD", config.get("handoff.db.password", "")),
                    config.getInt("handoff.db.pool-size"));
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                    throw new HandoffConfig.Invalid("handoff.db.url (environment variable "
                            + HandoffConfig.envName("handoff.db.url") + "): the embedded database "
                            + url.split(";")[0].substring("jdbc:h2:file:".length()) + " is in use by another process (a hub "
                            + "still running on this data folder, handoff.data-dir?)");
                }
            }
            throw e;
        }
    }

    /** H2's error code for a database file another process holds (org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1). */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private final java.util.concurrent.atomic.AtomicBoolean startedOnce = new java.util.concurrent.atomic.AtomicBoolean();

    /** Runs once the context is up: beans get their producer templates, then the start-up summary. */
    private void started(CamelContext context) {
        if (startedOnce.compareAndSet(false, true)) {
            wiring.contextAware().forEach(bean -> bean.started(context));
            LOG.info(summary(context));
        }
    }

    /** Every concern's beans, in dependency order. */
    static void wire(Wiring w) {
        w.bind("httpReplies", new HttpReplies());
        w.add(new JsonHttpErrors(w.config().getInt("camel.server.port")));
        w.bind("apiAuth", new ApiAuth(ApiToken.resolve(w.env(), w.config().dataDir())));
        w.add(new OutboundAuth(w.env()));
        MappingModule.wire(w);
        HoldsModule.wire(w);
        FilesModule.wire(w);
        InventoryModule.wire(w);
        ReturnsModule.wire(w);
        OrdersModule.wire(w);
        WebhooksModule.wire(w);
        LifecycleModule.wire(w);
        CsvInboxModule.wire(w);
        SettlementModule.wire(w);
        SyncLatencyMeter.watch(w.get(OrderPipeline.class).store(), w.metrics());
    }

    static java.util.Properties camelProperties(HandoffConfig config) {
        java.util.Properties p = config.camelProperties();
        Path routes = config.routesDir().toAbsolutePath().normalize();
        p.setProperty("camel.main.routesIncludePattern", "file:" + routes + "/*.yaml");
        return p;
    }

    /** Starts the hub without blocking (tests, demo). */
    public void start() throws Exception {
        main.start();
        started(main.getCamelContext());
    }

    /** Runs until SIGTERM (or Ctrl-C); Camel's shutdown lets in-flight exchanges finish. */
    public void run() throws Exception {
        main.run();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Wiring wiring() {
        return wiring;
    }

    public Database database() {
        return database;
    }

    public HandoffConfig config() {
        return config;
    }

    @Override
    public void close() {
        try {
            main.stop();
            main.shutdown();
        } catch (Exception e) {
            LOG.warn("stopping Camel: {}", e.getMessage());
        }
        database.close();
    }

    private String summary(CamelContext context) {
        List<Route> routes = context.getRoutes();
        TreeSet<String> folders = new TreeSet<>();
        for (Route route : routes) {
            Endpoint endpoint = route.getEndpoint();
            String uri = endpoint.getEndpointUri();
            if (uri.startsWith("file:")) {
                String path = uri.substring(5).replaceFirst("^//", "").split("\\?")[0];
                folders.add(path);
            }
        }
        String routeFiles = routes.stream().map(Route::getSourceLocationShort)
                .filter(s -> s != null).map(s -> s.replaceFirst(":\\d+$", "")).distinct().sorted()
                .collect(Collectors.joining(", "));
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        java.util.List<String> credentials = wiring.get(OutboundAuth.class).configured();
        return String.format("%nHandoff started%n"
                        + "  routes:       %d from %s (%s)%n"
                        + "  drop folders: %s%n"
                        + "  database:     %s%n"
                        + "  ports:        business %s, management %s (health /observe/health, metrics /observe/metrics)%n"
                        + "  data:         %s%s",
                routes.size(), config.routesDir().toAbsolutePath().normalize(), routeFiles,
                (folders.isEmpty() ? "none" : String.join(", ", folders))
                        + (wiring.get(DoneMarkers.class).required() ? " (a file only with its <name>.done marker)" : ""),
                database.describe(),
                config.get("camel.server.port"), config.get("camel.management.port"),
                dataDir, Files.exists(dataDir.resolve("api-token")) && !wiring.env().containsKey("HANDOFF_API_TOKEN")
                        ? String.format("%n  api token:    %s", dataDir.resolve("api-token")) : "")
                + (credentials.isEmpty() ? "" : String.format("%n  sends auth:   from %s (values never shown)",
                        String.join(", ", credentials)));
    }
}
