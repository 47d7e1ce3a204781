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
}
