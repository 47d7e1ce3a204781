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
}
