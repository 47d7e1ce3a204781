package org.handoff;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.handoff.store.Jdbc;

/**
 * Constructor injection by hand: each concern's module creates its beans from what is already
 * here and names the ones routes refer to. No framework beyond Camel.
 */
public final class Wiring {

    private final HandoffConfig config;
    private final Map<String, String> env;
    private final Jdbc jdbc;
    private final Clock clock;
    private final HandoffMetrics metrics;
    private final Map<String, Object> named = new LinkedHashMap<>();
    private final Map<Class<?>, Object> byType = new LinkedHashMap<>();
    private final List<ContextAware> contextAware = new ArrayList<>();
    private final List<org.apache.camel.health.HealthCheck> healthChecks = new ArrayList<>();

    /** Beans that need the running CamelContext (producer templates) get it once it has started. */
    public interface ContextAware {
        void started(CamelContext context);
    }

    public Wiring(HandoffConfig config, Map<String, String> env, Jdbc jdbc, Clock clock, HandoffMetrics metrics) {
        this.config = config;
        this.env = env;
        this.jdbc = jdbc;
        this.clock = clock;
        this.metrics = metrics;
    }

    public HandoffConfig config() {
        return config;
    }

    /** Secrets are read from here (the process environment in production), never from properties. */
    public Map<String, String> env() {
        return env;
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    public Clock clock() {
        return clock;
    }

    public HandoffMetrics metrics() {
        return metrics;
    }

    /** Registers a bean under the name routes use ({@code bean: {ref: name}}) and by its type. */
    public <T> T bind(String name, T bean) {
        named.put(name, bean);
        return add(bean);
    }

    /** Registers a bean only for other Java beans (found by type). */
    public <T> T add(T bean) {
        byType.put(bean.getClass(), bean);
        if (bean instanceof ContextAware aware) {
            contextAware.add(aware);
        }
        return bean;
    }

    /** The bean of this class, or the one bean implementing this interface. */
    public <T> T get(Class<T> type) {
        Object bean = byType.get(type);
        if (bean == null) {
            List<Object> candidates = byType.values().stream().filter(type::isInstance).toList();
            if (candidates.size() == 1) {
                bean = candidates.get(0);
            }
        }
        if (bean == null) {
            throw new IllegalStateException("no (single) bean of type " + type.getName() + " wired yet");
        }
        return type.cast(bean);
    }

    /** Shown at /observe/health. */
    public void addHealthCheck(org.apache.camel.health.HealthCheck check) {
        healthChecks.add(check);
    }

    List<org.apache.camel.health.HealthCheck> healthChecks() {
        return healthChecks;
    }

    Map<String, Object> named() {
        return named;
    }

    List<ContextAware> contextAware() {
        return contextAware;
    }
}
