package org.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class HandoffConfigTest {

    @Test
    void environmentVariableOverridesApplicationPropertiesAndJvmPropertyOverridesBoth() {
        Properties jvm = new Properties();
        jvm.setProperty("handoff.webhook.max-body-bytes", "2048");
        HandoffConfig config = HandoffConfig.load(
                Map.of("CAMEL_SERVER_PORT", "9090", "HANDOFF_WEBHOOK_MAX_BODY_BYTES", "4096",
                        "HANDOFF_DATA_DIR", "/var/lib/handoff"),
                jvm, Map.of());
        assertThat(config.get("camel.server.port")).isEqualTo("9090");
        assertThat(config.get("handoff.data-dir")).isEqualTo("/var/lib/handoff");
        assertThat(config.getInt("handoff.webhook.max-body-bytes")).isEqualTo(2048);
        assertThat(config.get("camel.management.port")).isEqualTo("9876");
    }

    @Test
    void envNameIsUpperCaseWithDotsAndDashesAsUnderscores() {
        assertThat(HandoffConfig.envName("handoff.db.url")).isEqualTo("HANDOFF_DB_URL");
        assertThat(HandoffConfig.envName("handoff.webhook.max-body-bytes")).isEqualTo("HANDOFF_WEBHOOK_MAX_BODY_BYTES");
    }

    @Test
    void embeddedDatabaseLivesUnderTheDataFolderUnlessAUrlIsGiven() {
        HandoffConfig embedded = HandoffConfig.load(Map.of(), new Properties(), Map.of("handoff.data-dir", "/tmp/x"));
        assertThat(embedded.dbUrl()).startsWith("jdbc:h2:file:/tmp/x/db/handoff");
        HandoffConfig pg = HandoffConfig.load(Map.of("HANDOFF_DB_URL", "jdbc:postgresql://db/handoff"),
                new Properties(), Map.of());
        assertThat(pg.dbUrl()).isEqualTo("jdbc:postgresql://db/handoff");
    }
}
