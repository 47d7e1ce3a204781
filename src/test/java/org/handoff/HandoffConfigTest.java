package org.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aSettingOfTheWrongKindNamesThePropertyAndItsVariableNeverTheValue() {
        HandoffConfig config = HandoffConfig.load(Map.of("HANDOFF_ATS_TIMEOUT_MS", "ten-s3cret",
                "HANDOFF_WMS_UNREACHABLE_PAUSE", "30 seconds", "HANDOFF_INBOX_BATCH_ROWS", "99999999999"),
                new Properties(), Map.of());
        assertThatThrownBy(() -> config.getInt("handoff.ats.timeout-ms")).isInstanceOf(HandoffConfig.Invalid.class)
                .hasMessage("handoff.ats.timeout-ms (environment variable HANDOFF_ATS_TIMEOUT_MS) must be a whole "
                        + "number below 2^31");
        assertThatThrownBy(() -> config.getInt("handoff.inbox.batch-rows", 5000)).isInstanceOf(HandoffConfig.Invalid.class)
                .hasMessageContaining("HANDOFF_INBOX_BATCH_ROWS").hasMessageNotContaining("99999999999");
        assertThatThrownBy(() -> config.getDuration("handoff.wms.unreachable-pause"))
                .isInstanceOf(HandoffConfig.Invalid.class)
                .hasMessage("handoff.wms.unreachable-pause (environment variable HANDOFF_WMS_UNREACHABLE_PAUSE) must be "
                        + "an ISO-8601 duration such as PT30S or PT5M");
        assertThatThrownBy(() -> config.get("handoff.no-such")).isInstanceOf(HandoffConfig.Invalid.class)
                .hasMessage("missing configuration property handoff.no-such (environment variable HANDOFF_NO_SUCH)");
        assertThat(config.getInt("handoff.csv-inbox.batch-orders", 500)).isEqualTo(500);
        HandoffConfig zero = HandoffConfig.load(Map.of("HANDOFF_ATS_BATCH_SIZE", "0"), new Properties(), Map.of());
        assertThatThrownBy(() -> zero.getInt("handoff.ats.batch-size", 500, 1)).isInstanceOf(HandoffConfig.Invalid.class)
                .hasMessage("handoff.ats.batch-size (environment variable HANDOFF_ATS_BATCH_SIZE) must be a whole number "
                        + "of at least 1, below 2^31");
        assertThat(config.getInt("handoff.ats.batch-size", 500, 1)).isEqualTo(500);
        HandoffConfig yes = HandoffConfig.load(Map.of("HANDOFF_INBOX_REQUIRE_DONE_MARKER", "yes"), new Properties(), Map.of());
        assertThatThrownBy(() -> yes.getBoolean("handoff.inbox.require-done-marker", false))
                .isInstanceOf(HandoffConfig.Invalid.class)
                .hasMessage("handoff.inbox.require-done-marker (environment variable HANDOFF_INBOX_REQUIRE_DONE_MARKER) "
                        + "must be true or false");
        assertThat(config.getBoolean("handoff.inbox.require-done-marker", false)).isFalse();
        assertThat(HandoffConfig.load(Map.of("HANDOFF_INBOX_REQUIRE_DONE_MARKER", "TRUE"), new Properties(), Map.of())
                .getBoolean("handoff.inbox.require-done-marker", false)).isTrue();
        assertThat(config.getDuration("handoff.ats.unreachable-pause")).hasSeconds(30);
        assertThat(config.getLong("handoff.webhook.max-body-bytes")).isPositive();
    }
}
