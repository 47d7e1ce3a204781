package org.handoff.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.handoff.testing.TestHub;
import org.junit.jupiter.api.Test;

/** {@code handoff.jar demo} plays the real samples through the real hub and tells what happened. */
class DemoIT {

    @Test
    void playsEverySampleAndTellsTheStoryOfEachOrderAndHold() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Path data;
        try (Demo demo = new Demo(out, Path.of("samples"), Map.of("camel.server.port", String.valueOf(freePort()),
                "camel.management.port", String.valueOf(freePort())))) {
            demo.start();
            data = demo.dataDir();
            demo.playAndTell();
        }
        String story = buffer.toString(StandardCharsets.UTF_8);
        assertThat(story).contains("woocommerce order.created woocommerce-order-created.json")
                .contains("200 duplicate -> shopify 5810038866001")
                .containsPattern("orders_shopify_20261122T050000Z.csv +applied: 8 rows, 5 applied, 3 held "
                        + "\\(2 orders\\) \\{MISSING_CARRIER_PHONE x1,UNKNOWN_SKU x1\\}")
                .contains("401 INVALID_SIGNATURE")
                .contains("PICK_TICKET")
                .contains("CANCEL ")
                .containsPattern("woocommerce 4821 +DELIVERED")
                .containsPattern("shopify 5810038866001 +CANCELLED")
                .contains("HANDED_OVER -> SHIPPED")
                .containsPattern("CARRIER_SILENT +resolved")
                .containsPattern("MISSING_CARRIER_PHONE +open")
                .doesNotContain("stopped half-way");
        TestHub.deleteTree(data.getParent());
        assertThat(Files.exists(data)).isFalse();
    }

    @Test
    void aDemoThatCannotStartLeavesNoScratchFolder() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            Demo demo = new Demo(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    Path.of("samples"), Map.of("camel.server.port", String.valueOf(taken.getLocalPort()),
                            "camel.management.port", String.valueOf(freePort())));
            Throwable failed = org.assertj.core.api.Assertions.catchThrowable(demo::start);
            demo.close();
            assertThat(failed).hasMessageContaining("camel.server.port").hasMessageContaining("is in use");
            assertThat(demo.dataDir().getParent()).as("the demo's scratch folder").doesNotExist();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
