package org.handoff.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboundAuthTest {

    @Test
    void aChannelsVariableIsItsNameUpperCasedWithOtherCharactersAsUnderscores() {
        assertThat(OutboundAuth.atsVariable("shopify")).isEqualTo("HANDOFF_ATS_AUTH_SHOPIFY");
        assertThat(OutboundAuth.atsVariable("amazon-eu.de")).isEqualTo("HANDOFF_ATS_AUTH_AMAZON_EU_DE");
    }

    @Test
    void credentialsComeFromTheirVariablesOnlyAndTheirValuesAreNeverPrinted() {
        OutboundAuth auth = new OutboundAuth(Map.of("HANDOFF_ATS_AUTH_SHOPIFY", " shpat_1 ",
                "HANDOFF_WMS_AUTH", "Bearer w-2", "HANDOFF_ATS_AUTH_WOOCOMMERCE", " ", "SHOPIFY_WEBHOOK_SECRET", "hook"));
        OutboundAuth.Credential shop = auth.ats("shopify", "X-Shopify-Access-Token").orElseThrow();
        assertThat(shop.header()).isEqualTo("X-Shopify-Access-Token");
        assertThat(shop.value()).isEqualTo("shpat_1");
        assertThat(shop.toString()).doesNotContain("shpat_1");
        assertThat(auth.wms("Authorization").orElseThrow().value()).isEqualTo("Bearer w-2");
        // blank is unset; other secrets are not outbound credentials
        assertThat(auth.ats("woocommerce", "Authorization")).isEmpty();
        assertThat(auth.configured()).containsExactly("HANDOFF_ATS_AUTH_SHOPIFY", "HANDOFF_WMS_AUTH");
        assertThat(new OutboundAuth(Map.of()).wms("Authorization")).isEmpty();
    }

    @Test
    void aValueWithALineBreakIsRefusedByNameNotShown() {
        assertThatThrownBy(() -> new OutboundAuth(Map.of("HANDOFF_WMS_AUTH", "Bearer x\r\nX-Injected: 1")))
                .isInstanceOf(org.handoff.HandoffConfig.Invalid.class)
                .hasMessageContaining("HANDOFF_WMS_AUTH").hasMessageNotContaining("Injected");
    }

    @Test
    void headerNamesAreHttpTokens() {
        assertThat(OutboundAuth.isHeaderName("Authorization")).isTrue();
        assertThat(OutboundAuth.isHeaderName("X-Shopify-Access-Token")).isTrue();
        assertThat(OutboundAuth.isHeaderName("X Token")).isFalse();
        assertThat(OutboundAuth.isHeaderName("X-Token:")).isFalse();
        assertThat(OutboundAuth.isHeaderName("")).isFalse();
        assertThat(OutboundAuth.isHeaderName(null)).isFalse();
    }
}
