package org.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HandoffMainTest {

    @Test
    void h2ValueCacheIsOffUnlessTheOperatorSetIt() {
        String before = System.getProperty("h2.objectCache");
        try {
            System.clearProperty("h2.objectCache");
            HandoffMain.withoutH2ValueCache();
            assertThat(System.getProperty("h2.objectCache")).isEqualTo("false");

            System.setProperty("h2.objectCache", "true");
            HandoffMain.withoutH2ValueCache();
            assertThat(System.getProperty("h2.objectCache")).isEqualTo("true");
        } finally {
            if (before == null) {
                System.clearProperty("h2.objectCache");
            } else {
                System.setProperty("h2.objectCache", before);
            }
        }
    }

    @Test
    void aStartThatFailsOnASettingIsToldApartFromABug() {
        HandoffConfig.Invalid invalid = new HandoffConfig.Invalid("handoff.x (environment variable HANDOFF_X) must be ...");
        assertThat(HandoffMain.invalidSetting(new RuntimeException("wrapped by Camel",
                new IllegalStateException("bean failed", invalid)))).isSameAs(invalid);
        assertThat(HandoffMain.invalidSetting(new IllegalStateException("a bug"))).isNull();
    }
}
