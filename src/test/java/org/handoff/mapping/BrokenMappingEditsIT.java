package org.handoff.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §6: a mapping file that does not parse is rejected whole, logged, the previous version stays in
 * force, and (README) it is listed in /observe/health; the other mapping files keep reloading.
 */
class BrokenMappingEditsIT {

    /** channels.yaml with an empty per-SKU safety stock override (a value left blank while editing). */
    @Test
    void channelsYamlWithAnEmptySkuOverrideIsRejectedVisiblyAndOtherFilesStillReload() throws Exception {
        try (TestHub hub = TestHub.start(TestDb.H2)) {
            Mappings mappings = hub.app().wiring().get(Mappings.class);
            assertThat(mappings.safetyStock("shopify", "HOODIE-GREY-L")).isEqualTo(5);
            Files.writeString(hub.mappingsDir().resolve("channels.yaml"),
                    "channels:\n  shopify:\n    safetyStock: 3\n    safetyStockBySku:\n      HOODIE-GREY-L:\n");
            // an unrelated, valid edit of the next file in line
            Files.writeString(hub.mappingsDir().resolve("carriers.yaml"),
                    "carriers:\n  dhl-express:\n    phoneRequired: false\n    shippingMethods: [express]\n");
            Thread.sleep(3000);
            SoftAssertions soft = new SoftAssertions();
            // the previous channels.yaml stays in force
            soft.assertThat(mappings.safetyStock("shopify", "HOODIE-GREY-L")).isEqualTo(5);
            // the valid carriers.yaml edit comes into force
            soft.assertThat(mappings.phoneMandatory("express")).as("valid carriers.yaml edit in force").isFalse();
            // and the refused file is shown in health
            soft.assertThat(mappings.rejected()).as("Mappings.rejected()").containsKey("channels.yaml");
            soft.assertThat(mappingsHealth(hub)).as("mappings check in /observe/health").contains("channels.yaml");
            soft.assertThat(hub.jdbc().queryOne("select count(*) from holds where source = 'mappings-reload'",
                    rs -> rs.getLong(1)).orElseThrow()).as("holds raised by the mappings-reload timer").isZero();
            soft.assertAll();
        }
    }

    /** sku-aliases.csv exported with a trailing comma on its header line (an empty column name). */
    @Test
    void skuAliasesWithAnEmptyHeaderColumnIsRejectedVisiblyAndOtherFilesStillReload() throws Exception {
        try (TestHub hub = TestHub.start(TestDb.H2)) {
            Mappings mappings = hub.app().wiring().get(Mappings.class);
            Files.writeString(hub.mappingsDir().resolve("sku-aliases.csv"),
                    "old_code,new_code,valid_from,valid_until,\nA-OLD,A-NEW,2026-01-01,,\n");
            Files.writeString(hub.mappingsDir().resolve("channels.yaml"), "channels:\n  shopify:\n    safetyStock: 7\n");
            Thread.sleep(3000);
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(mappings.safetyStock("shopify", "ANY")).as("valid channels.yaml edit in force").isEqualTo(7);
            soft.assertThat(mappings.rejected()).as("Mappings.rejected()").containsKey("sku-aliases.csv");
            soft.assertThat(mappingsHealth(hub)).as("mappings check in /observe/health").contains("sku-aliases.csv");
            soft.assertThat(hub.jdbc().queryOne("select count(*) from holds where source = 'mappings-reload'",
                    rs -> rs.getLong(1)).orElseThrow()).as("holds raised by the mappings-reload timer").isZero();
            soft.assertAll();
        }
    }

    /** carriers.yaml with an empty list item under shippingMethods. */
    @Test
    void carriersYamlWithAnEmptyShippingMethodIsRejectedVisibly() throws Exception {
        try (TestHub hub = TestHub.start(TestDb.H2)) {
            Mappings mappings = hub.app().wiring().get(Mappings.class);
            Files.writeString(hub.mappingsDir().resolve("carriers.yaml"),
                    "carriers:\n  dhl-express:\n    phoneRequired: false\n    shippingMethods:\n      - express\n      -\n");
            Thread.sleep(3000);
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(mappings.phoneMandatory("express")).isTrue(); // previous version in force
            soft.assertThat(mappings.rejected()).as("Mappings.rejected()").containsKey("carriers.yaml");
            soft.assertThat(hub.jdbc().queryOne("select count(*) from holds where source = 'mappings-reload'",
                    rs -> rs.getLong(1)).orElseThrow()).as("holds raised by the mappings-reload timer").isZero();
            soft.assertAll();
        }
    }

    static String mappingsHealth(TestHub hub) {
        for (var check : hub.management("/observe/health").json().get("checks")) {
            if ("mappings".equals(check.get("name").asText())) {
                return check.toString();
            }
        }
        return "(no mappings check)";
    }
}
