package org.handoff.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingsTest {

    @TempDir
    Path dir;

    @Test
    void repositoryMappingsLoadCleanly() {
        assertThat(Mappings.problems(Path.of("mappings"))).isEmpty();
    }

    @Test
    void aChangedFileIsReReadAndABrokenOneKeepsThePreviousVersion() throws IOException {
        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  shopify:\n    safetyStock: 2\n");
        Files.writeString(dir.resolve("channel-skus.csv"), "channel,channel_sku,sku\nshopify,V-1,SKU-1\n");
        Mappings mappings = new Mappings(dir);
        AtomicInteger changes = new AtomicInteger();
        mappings.onChange(changes::incrementAndGet);
        assertThat(mappings.safetyStock("shopify", "X")).isEqualTo(2);
        assertThat(mappings.channelSku("shopify", "V-1")).contains("SKU-1");
        assertThat(mappings.channelSku("SHOPIFY", "V-1")).contains("SKU-1");
        assertThat(mappings.channelSku("woocommerce", "V-1")).isEmpty();

        Files.writeString(dir.resolve("channels.yaml"),
                "channels:\n  shopify:\n    safetyStock: 3\n    safetyStockBySku: {SKU-9: 7}\n");
        assertThat(mappings.reloadIfChanged()).isTrue();
        assertThat(changes.get()).isEqualTo(1);
        assertThat(mappings.safetyStock("shopify", "X")).isEqualTo(3);
        assertThat(mappings.safetyStock("shopify", "SKU-9")).isEqualTo(7);

        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  shopify:\n    safetyStock: [oops\n");
        assertThat(mappings.reloadIfChanged()).isFalse();
        assertThat(mappings.safetyStock("shopify", "X")).isEqualTo(3);
        assertThat(mappings.rejected()).containsKey("channels.yaml");
        assertThat(mappings.rejected().get("channels.yaml")).contains("channels.yaml:");

        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  shopify:\n    safetyStock: 4\n");
        assertThat(mappings.reloadIfChanged()).isTrue();
        assertThat(mappings.rejected()).isEmpty();
        assertThat(mappings.safetyStock("shopify", "X")).isEqualTo(4);
    }

    @Test
    void aBrokenEditRevertedToTheVersionInForceIsNoLongerReported() throws IOException {
        String good = "channels:\n  shopify:\n    safetyStock: 2\n";
        Files.writeString(dir.resolve("channels.yaml"), good);
        Mappings mappings = new Mappings(dir);
        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  shopify:\n    safetyStock: [oops\n");
        assertThat(mappings.reloadIfChanged()).isFalse();
        assertThat(mappings.rejected()).containsKey("channels.yaml");

        Files.writeString(dir.resolve("channels.yaml"), good);
        assertThat(mappings.reloadIfChanged()).isFalse(); // nothing new came into force
        assertThat(mappings.rejected()).isEmpty();
        assertThat(mappings.safetyStock("shopify", "X")).isEqualTo(2);
    }

    @Test
    void aFileDeletedWhileInForceKeepsItUntilItIsBackAndAnEmptyFileClearsIt() throws IOException {
        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  shopify:\n    safetyStock: 2\n");
        Mappings mappings = new Mappings(dir);
        AtomicInteger changes = new AtomicInteger();
        mappings.onChange(changes::incrementAndGet);

        Files.delete(dir.resolve("channels.yaml"));
        assertThat(mappings.reloadIfChanged()).isFalse();
        assertThat(mappings.channels()).containsExactly("shopify");
        assertThat(mappings.safetyStock("shopify", "X")).isEqualTo(2);
        assertThat(mappings.rejected().get("channels.yaml")).contains("deleted");

        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  shopify:\n    safetyStock: 2\n");
        assertThat(mappings.reloadIfChanged()).isFalse();
        assertThat(mappings.rejected()).isEmpty();

        Files.writeString(dir.resolve("channels.yaml"), "");
        assertThat(mappings.reloadIfChanged()).isTrue();
        assertThat(changes.get()).isEqualTo(1);
        assertThat(mappings.channels()).isEmpty();
        assertThat(mappings.rejected()).isEmpty();
    }

    @Test
    void aChannelNameIsAFolderAndAVariableNameSoItIsCheckedAsOne() throws IOException {
        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  ../elsewhere:\n    safetyStock: 1\n");
        assertThat(Mappings.problems(dir)).singleElement().asString().contains("channels.../elsewhere")
                .contains("channel name");
        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  shop-eu:\n    safetyStock: 1\n"
                + "  shop_eu:\n    safetyStock: 2\n");
        assertThat(Mappings.problems(dir)).singleElement().asString().contains("HANDOFF_ATS_AUTH_SHOP_EU");
        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  shop.example.com:\n    safetyStock: 1\n");
        assertThat(Mappings.problems(dir)).isEmpty();
    }

    @Test
    void aFileBrokenAtTheStartAndFixedLaterIsAChange() throws IOException {
        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  shopify:\n    safetyStok: 1\n");
        Mappings mappings = new Mappings(dir);
        AtomicInteger changes = new AtomicInteger();
        mappings.onChange(changes::incrementAndGet);
        assertThat(mappings.rejected()).containsKey("channels.yaml");
        assertThat(mappings.channels()).isEmpty();

        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  shopify:\n    safetyStock: 1\n");
        // what was in force was no channel at all: the listeners (the ATS of every SKU) must hear of it
        assertThat(mappings.reloadIfChanged()).isTrue();
        assertThat(changes.get()).isEqualTo(1);
        assertThat(mappings.channels()).contains("shopify");
        assertThat(mappings.rejected()).isEmpty();
    }

    @Test
    void carriersAreFoundByNameOrShippingMethod() throws IOException {
        Files.writeString(dir.resolve("carriers.yaml"), "carriers:\n  dhl-express:\n    phoneRequired: true\n"
                + "    silenceCutoff: PT24H\n    shippingMethods: [express]\n  usps:\n    silenceCutoff: P2D\n");
        Mappings mappings = new Mappings(dir);
        assertThat(mappings.phoneMandatory("express")).isTrue();
        assertThat(mappings.phoneMandatory("DHL-Express")).isTrue();
        assertThat(mappings.phoneMandatory("usps")).isFalse();
        assertThat(mappings.phoneMandatory("unknown-method")).isFalse();
        assertThat(mappings.silenceCutoff("usps")).contains(Duration.ofDays(2));
    }

    @Test
    void anAliasTargetIsACodeSomeAliasLeadsTo() throws IOException {
        Files.writeString(dir.resolve("sku-aliases.csv"), "old_code,new_code,valid_from,valid_until\n"
                + "MUG-OLD,MUG-WHITE,2026-10-01,2027-01-01\n");
        Mappings mappings = new Mappings(dir);
        assertThat(mappings.isAliasTarget("MUG-WHITE")).isTrue();
        assertThat(mappings.isAliasTarget("MUG-OLD")).isFalse();
        assertThat(mappings.isAliasTarget("TSHIRT-RED-M")).isFalse();
    }

    @Test
    void missingFilesMeanNoMappings() {
        Mappings mappings = new Mappings(dir);
        assertThat(mappings.resolveSku("X", Instant.now()).sku()).isEqualTo("X");
        assertThat(mappings.channels()).isEmpty();
        assertThat(mappings.rejected()).isEmpty();
    }

    @Test
    void problemsNameTheFileAndLine() throws IOException {
        Files.writeString(dir.resolve("sku-aliases.csv"), "old_code,new_code,valid_from,valid_until\nA,,2026-01-01,\n");
        Files.writeString(dir.resolve("carriers.yaml"), "carriers:\n  ups:\n    silenceCutoff: soon\n");
        assertThat(Mappings.problems(dir)).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("sku-aliases.csv").contains(":2").contains("new_code"))
                .anySatisfy(p -> assertThat(p).contains("carriers.yaml").contains("ISO 8601"));
    }

    @Test
    void aChannelNamesTheHeaderOfItsCredentialButNeverCarriesTheCredential() throws IOException {
        Files.writeString(dir.resolve("channels.yaml"), "channels:\n  shopify:\n    atsPushUrl: https://shop.test/ats\n"
                + "    atsPushAuthHeader: X-Shopify-Access-Token\n  woocommerce:\n    atsPushUrl: https://woo.test/ats\n");
        Mappings mappings = new Mappings(dir);
        assertThat(mappings.atsPushAuthHeader("shopify")).isEqualTo("X-Shopify-Access-Token");
        assertThat(mappings.atsPushAuthHeader("woocommerce")).isEqualTo("Authorization");
        assertThat(mappings.atsPushAuthHeader("unknown")).isEqualTo("Authorization");

        Files.writeString(dir.resolve("channels.yaml"),
                "channels:\n  shopify:\n    atsPushUrl: https://app:s3cret@shop.test/ats\n");
        assertThat(Mappings.problems(dir)).singleElement().satisfies(p -> assertThat(p)
                .contains("credentials").contains("HANDOFF_ATS_AUTH_SHOPIFY").doesNotContain("s3cret"));
        Files.writeString(dir.resolve("channels.yaml"),
                "channels:\n  shopify:\n    atsPushAuthHeader: \"X-Token: abc\"\n");
        assertThat(Mappings.problems(dir)).singleElement().satisfies(p -> assertThat(p)
                .contains("atsPushAuthHeader must be an HTTP header name"));
    }
}
