package org.handoff.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FileKindTest {

    private final FileKind inventory = new FileKind("inventory",
            Pattern.compile("inventory_(?<warehouse>[A-Za-z0-9-]+)_" + FileKind.TS + "\\.csv"),
            "inventory_<WAREHOUSE>_<ts>.csv", List.of("sku", "location", "on_hand"), null);

    @Test
    void aGoodNameGivesItsPartsAndTime() {
        Map<String, String> parts = inventory.parseName("inventory_WH1_20261122T030000Z.csv").orElseThrow();
        assertThat(parts).containsEntry("warehouse", "WH1").containsEntry("ts", "20261122T030000Z");
        assertThat(FileKind.parseTs(parts.get("ts"))).contains(Instant.parse("2026-11-22T03:00:00Z"));
    }

    @Test
    void badNamesAndImpossibleTimesAreRefused() {
        assertThat(inventory.parseName("inventory_WH1_20261122T030000.csv")).isEmpty();
        assertThat(inventory.parseName("inventory_WH1_20261322T030000Z.csv")).isEmpty();
        assertThat(inventory.parseName("inventory__20261122T030000Z.csv")).isEmpty();
        assertThat(inventory.parseName("inventory_WH1_20261122T030000Z.csv.tmp")).isEmpty();
        assertThat(inventory.parseName("catalog_20261122T030000Z.csv")).isEmpty();
    }

    @Test
    void aStateFileIsTheStateOfItsNamesPartsOtherThanTheTime() {
        Map<String, String> parts = inventory.parseName("inventory_WH1_20261122T030000Z.csv").orElseThrow();
        assertThat(inventory.scope(parts)).isNull(); // as declared here: a file of events
        assertThat(inventory.asStateFile().scope(parts)).isEqualTo("WH1");
        FileKind catalog = new FileKind("catalog", Pattern.compile("catalog_" + FileKind.TS + "\\.csv"),
                "catalog_<ts>.csv", List.of("sku"), null).asStateFile();
        assertThat(catalog.scope(catalog.parseName("catalog_20261122T030000Z.csv").orElseThrow())).isEmpty();
    }

    @Test
    void twoWarehousesCountsWithTheSameBytesHaveTwoClaimKeys() {
        String sha = "ab".repeat(32);
        assertThat(FileReceipts.claimKey("returns", null, sha)).isEqualTo("returns:" + sha);
        assertThat(FileReceipts.claimKey("catalog", "", sha)).isEqualTo("catalog:" + sha);
        String wh1 = FileReceipts.claimKey("inventory", "WH1", sha);
        assertThat(wh1).isNotEqualTo(FileReceipts.claimKey("inventory", "WH2", sha)).startsWith("inventory:")
                .hasSize("inventory:".length() + 64).isEqualTo(FileReceipts.claimKey("inventory", "WH1", sha));
    }
}
