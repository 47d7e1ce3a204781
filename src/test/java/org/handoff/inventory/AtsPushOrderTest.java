package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AtsPushOrderTest {

    @Test
    void channelsThatDidNotAnswerLastRoundArePushedToLast() {
        List<String> channels = List.of("amazon", "shopify", "woocommerce");
        assertThat(AtsPushes.pushOrder(channels, Set.of())).containsExactly("amazon", "shopify", "woocommerce");
        assertThat(AtsPushes.pushOrder(channels, Set.of("amazon"))).containsExactly("shopify", "woocommerce", "amazon");
        assertThat(AtsPushes.pushOrder(channels, Set.of("woocommerce", "amazon")))
                .containsExactly("shopify", "amazon", "woocommerce");
        assertThat(AtsPushes.pushOrder(channels, Set.of("ebay"))).containsExactly("amazon", "shopify", "woocommerce");
    }

    @Test
    void twoHubsWritingTheSameChannelsBatchInTheSameMillisecondNameTheirFilesApart() {
        java.time.Clock now = java.time.Clock.fixed(java.time.Instant.parse("2026-11-25T03:00:00.123Z"), java.time.ZoneOffset.UTC);
        AtsPushes one = new AtsPushes(null, null, null, now, 500, 20000, 10, null, 1000, java.time.Duration.ofSeconds(30), null);
        AtsPushes other = new AtsPushes(null, null, null, now, 500, 20000, 10, null, 1000, java.time.Duration.ofSeconds(30), null);
        String first = one.outboxFile("shopify");
        // before: both were shopify/ats_shopify_20261125T030000123Z_1.json, and the second replaced the first
        assertThat(first).startsWith("shopify/ats_shopify_20261125T030000123Z_").endsWith("-1.json");
        assertThat(other.outboxFile("shopify")).isNotEqualTo(first);
        assertThat(one.outboxFile("shopify")).endsWith("-2.json");
    }
}
