package org.handoff;

import java.time.Clock;

/**
 * {@code java -jar handoff.jar}          runs the hub
 * {@code java -jar handoff.jar check}    validates routes/ and mappings/ without starting a consumer
 * {@code java -jar handoff.jar demo}     plays samples/ through every handoff on a scratch data folder, tells
 *                                        the story, and keeps the hub running for exploring
 */
public final class HandoffMain {

    private HandoffMain() {}

    public static void main(String[] args) throws Exception {
        withoutH2ValueCache();
        String command = args.length == 0 ? "run" : args[0];
        switch (command) {
            case "run" -> {
                try (HandoffApplication app = new HandoffApplication(HandoffConfig.fromEnvironment(), System.getenv(),
                        Clock.systemUTC())) {
                    app.run();
                } catch (Exception e) {
                    exitOnInvalidSetting(e);
                }
            }
            case "check" -> {
                // the check reports problems itself; Camel's start-up chatter would bury them
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
                System.exit(new HandoffCheck(HandoffConfig.fromEnvironment(), System.out).run());
            }
            case "demo" -> {
                // the demo tells its own story; Camel's start-up chatter would bury it
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
                try {
                    new org.handoff.demo.Demo(System.out, java.nio.file.Path.of("samples"), java.util.Map.of()).run();
                } catch (Exception e) {
                    exitOnInvalidSetting(e);
                }
            }
            default -> {
                System.err.println("usage: java -jar handoff.jar [run|check|demo]");
                System.exit(2);
            }
        }
    }

    /** A setting to fix, not a bug to report: one line naming it, no stack trace, exit code 2; else rethrows. */
    private static void exitOnInvalidSetting(Exception e) throws Exception {
        HandoffConfig.Invalid invalid = invalidSetting(e);
        if (invalid == null) {
            throw e;
        }
        System.err.println("handoff did not start: " + invalid.getMessage());
        System.exit(2);
    }

    /** The configuration error behind a failed start (Camel wraps what a bean throws while starting), or null. */
    static HandoffConfig.Invalid invalidSetting(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HandoffConfig.Invalid invalid) {
                return invalid;
            }
        }
        return null;
    }

    /**
     * The embedded H2 store shares equal values through a process-wide cache: every string bound to a
     * statement or read from a page is hashed whole (payloads and JSON columns included) and looked up there.
     * The hub's values are mostly one-off (ids, payloads, timestamps), so the cache saves little and its hashing
     * was ~4% of the hub's CPU under the W3 file (see BENCHMARKS.md). H2 reads this setting once, when its
     * classes load, hence here, before the store opens; an operator's own {@code -Dh2.objectCache} wins.
     */
    static void withoutH2ValueCache() {
        if (System.getProperty("h2.objectCache") == null) {
            System.setProperty("h2.objectCache", "false");
        }
    }
}
