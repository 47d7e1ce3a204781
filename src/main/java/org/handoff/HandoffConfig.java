package org.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The effective configuration: application.properties, overridden by the matching environment
 * variable (upper case, dots and dashes to underscores), overridden by a JVM -Dkey=value.
 * Camel's own env-override support does not cover every key (CAMEL_SERVER_PORT is ignored), so
 * we resolve every key here once and hand Camel the result.
 */
public final class HandoffConfig {

    /**
     * A setting the hub cannot start with: missing, or not of its kind. Its message names the property and its
     * environment variable and never shows the value (a secret set in the wrong variable stays out of logs).
     */
    public static final class Invalid extends IllegalStateException {
        public Invalid(String message) {
            super(message);
        }
    }

    private final Map<String, String> values;

    private HandoffConfig(Map<String, String> values) {
        this.values = values;
    }

    public static HandoffConfig load(Map<String, String> env, Properties system, Map<String, String> extra) {
        Properties defaults = new Properties();
        try (InputStream in = HandoffConfig.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                defaults.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> merged = new TreeMap<>();
        for (String key : defaults.stringPropertyNames()) {
            String value = defaults.getProperty(key);
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                value = fromEnv;
            }
            merged.put(key, value);
        }
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith("handoff.") || key.startsWith("camel.")) {
                merged.put(key, system.getProperty(key));
            }
        }
        merged.putAll(extra);
        return new HandoffConfig(merged);
    }

    public static HandoffConfig fromEnvironment() {
        return load(System.getenv(), System.getProperties(), Map.of());
    }

    /** {@code handoff.db.url} becomes {@code HANDOFF_DB_URL}. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public HandoffConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new HandoffConfig(copy);
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new Invalid("missing configuration property " + key + " (environment variable " + envName(key) + ")");
        }
        return value;
    }

    public String get(String key, String fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    public int getInt(String key) {
        return (int) whole(key, get(key), Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** The property as a whole number, {@code fallback} when it is not set or blank. */
    public int getInt(String key, int fallback) {
        String value = get(key, "");
        return value.isBlank() ? fallback : (int) whole(key, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** As {@link #getInt(String, int)}, at least {@code min} (a batch or round size of 0 cannot work). */
    public int getInt(String key, int fallback, int min) {
        String value = get(key, "");
        return value.isBlank() ? fallback : (int) whole(key, value, min, Integer.MAX_VALUE);
    }

    public long getLong(String key) {
        return whole(key, get(key), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** An ISO-8601 duration ({@code PT30S}, {@code PT5M}, {@code P30D}). */
    public java.time.Duration getDuration(String key) {
        try {
            return java.time.Duration.parse(get(key).trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new Invalid(key + " (environment variable " + envName(key) + ") must be an ISO-8601 duration such as "
                    + "PT30S or PT5M");
        }
    }

    private static long whole(String key, String value, long min, long max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wrong, without the value
        }
        throw new Invalid(key + " (environment variable " + envName(key) + ") must be a whole number"
                + (min > Integer.MIN_VALUE ? " of at least " + min + "," : "")
                + (max == Integer.MAX_VALUE ? " below 2^31" : ""));
    }

    /** {@code true} or {@code false} (any case); anything else is {@link Invalid}, not read as false. */
    public boolean getBoolean(String key) {
        String value = get(key).trim();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new Invalid(key + " (environment variable " + envName(key) + ") must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    public boolean getBoolean(String key, boolean fallback) {
        return get(key, "").isBlank() ? fallback : getBoolean(key);
    }

    public Path dataDir() {
        return Path.of(get("handoff.data-dir"));
    }

    public Path routesDir() {
        return Path.of(get("handoff.routes-dir"));
    }

    public Path mappingsDir() {
        return Path.of(get("handoff.mappings-dir"));
    }

    /** Database URL: explicit, else the embedded H2 file under the data folder. */
    public String dbUrl() {
        String url = get("handoff.db.url", "");
        if (!url.isBlank()) {
            return url;
        }
        Path file = dataDir().resolve("db").resolve("handoff").toAbsolutePath();
        // WRITE_DELAY=0: H2 otherwise keeps commits in memory for up to half a second, and a process that
        // dies loses them — a webhook answered 2xx must survive that (DESIGN §3). QUERY_CACHE_SIZE: the order
        // pipeline runs a dozen distinct statements per order, IN lists in a few lengths each (Jdbc.inChunks); H2's default cache of 8 re-parses them all
        return "jdbc:h2:file:" + file + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=128";
    }

    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    /** Everything Camel should see (camel.* keys and our own, for {{placeholders}} in routes). */
    public Properties camelProperties() {
        Properties p = new Properties();
        values.forEach(p::setProperty);
        return p;
    }
}
