package org.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.handoff.testing.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code handoff.jar check} on the repository's own files, and on broken copies of them. */
class HandoffCheckTest {

    @TempDir
    Path tmp;

    private int check(Path routes, Path mappings, ByteArrayOutputStream out) {
        HandoffConfig config = HandoffConfig.load(Map.of(), new Properties(), Map.of(
                "handoff.routes-dir", routes.toString(), "handoff.mappings-dir", mappings.toString(),
                "handoff.data-dir", tmp.resolve("data").toString()));
        return new HandoffCheck(config, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
    }

    @Test
    void theRepositoryRoutesAndMappingsPass() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(check(Path.of("routes"), Path.of("mappings"), out)).as(out.toString()).isZero();
        assertThat(out.toString()).contains("check: OK");
    }

    @Test
    void aBrokenRouteAndABrokenMappingAreReportedWithTheirFiles() throws Exception {
        Path routes = tmp.resolve("routes");
        Path mappings = tmp.resolve("mappings");
        TestHub.copyTree(Path.of("routes"), routes);
        TestHub.copyTree(Path.of("mappings"), mappings);
        Files.writeString(routes.resolve("typo.camel.yaml"),
                "- route:\n    id: typo\n    routeConfigurationId: processing-errors\n    from:\n      uri: direct:typo\n"
                        + "      steps:\n        - bean:\n            ref: noSuchBean\n");
        Files.writeString(mappings.resolve("channel-skus.csv"), "channel,sku\nshopify,X\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(check(routes, mappings, out)).isEqualTo(1);
        assertThat(out.toString())
                .contains("typo.camel.yaml:2").contains("noSuchBean")
                .contains("channel-skus.csv").contains("header")
                .contains("FAILED — 2 problem(s)");
    }

    @Test
    void aYamlSyntaxErrorNamesTheLine() throws Exception {
        Path routes = tmp.resolve("routes");
        TestHub.copyTree(Path.of("routes"), routes);
        Files.writeString(routes.resolve("bad.camel.yaml"), "- route:\n    id: x\n    from:\n      uri: direct:x\n     steps: []\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(check(routes, Path.of("mappings"), out)).isEqualTo(1);
        assertThat(out.toString()).contains("bad.camel.yaml:5");
    }
}
