package org.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A port that another process holds (a hub from an earlier walk-through still running, another service on 8080)
 * stops the start with one line naming the setting, as any setting the hub cannot use does (exit code 2). Vert.x
 * only logged the failed bind, and the hub ran on with its drop folders but no webhooks, API or health, its
 * start-up summary naming the port another process answered on.
 */
class PortInUseIT {

    @ParameterizedTest
    @ValueSource(strings = {"camel.server.port", "camel.management.port"})
    void aPortInUseStopsTheStartNamingTheSetting(String key) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            Throwable failed = catchThrowable(() -> {
                try (TestHub hub = TestHub.builder().property(key, String.valueOf(port)).start()) {
                    // started although the port is taken: the assertion below says so
                }
            });
            HandoffConfig.Invalid invalid = HandoffMain.invalidSetting(failed);
            assertThat(invalid).as("the start fails on the setting").isNotNull();
            assertThat(invalid.getMessage()).contains(key + " (environment variable " + HandoffConfig.envName(key) + ")")
                    .contains(port + " is in use");
        }
    }

    /** The same for the embedded store: a second hub on a data folder whose hub still runs. */
    @org.junit.jupiter.api.Test
    void anEmbeddedStoreAnotherProcessHoldsStopsTheStartNamingIt() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("handoff-store-in-use");
        String file = dir.resolve("db/handoff").toString();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + file, "handoff", "")) {
            c.createStatement().execute("create table t (x int)");
        }
        // what another process's H2 holds while it has the file open
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                java.nio.file.Path.of(file + ".mv.db"), java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = channel.tryLock()) {
            assertThat(lock).isNotNull();
            Throwable failed = catchThrowable(() -> {
                try (TestHub hub = TestHub.builder().property("handoff.db.url", "jdbc:h2:file:" + file
                        + ";AUTO_SERVER=FALSE").start()) {
                    // started on a store in use: the assertion below says so
                }
            });
            HandoffConfig.Invalid invalid = HandoffMain.invalidSetting(failed);
            assertThat(invalid).as("the start fails naming the store").isNotNull();
            assertThat(invalid.getMessage()).contains("handoff.db.url (environment variable HANDOFF_DB_URL)")
                    .contains(file).contains("in use by another process");
        } finally {
            org.handoff.testing.TestHub.deleteTree(dir);
        }
    }
}
