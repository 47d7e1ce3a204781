package org.handoff.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a BAD_FILE_HEADER detail adds when a spreadsheet changed an otherwise right header. */
class HeaderHintTest {

    private static final List<String> EXPECTED = List.of("sku", "location", "on_hand");

    @Test
    void anotherSeparatorIsNamed() {
        assertThat(FileIntake.headerHint(List.of("sku;location;on_hand"), EXPECTED))
                .contains("separated by ';', not commas");
        assertThat(FileIntake.headerHint(List.of("sku;location;on_hand;;"), EXPECTED))
                .contains("separated by ';', not commas");
        assertThat(FileIntake.headerHint(List.of("sku\tlocation\ton_hand"), EXPECTED)).contains("separated by tabs");
    }

    @Test
    void emptyColumnsAfterTheLastAreCounted() {
        List<String> padded = new ArrayList<>(EXPECTED);
        padded.addAll(List.of("", ""));
        assertThat(FileIntake.headerHint(padded, EXPECTED)).contains("2 empty columns after 'on_hand'");
    }

    @Test
    void caseOrSpacesAroundTheNamesAreSaid() {
        assertThat(FileIntake.headerHint(List.of("SKU", " location", "On_Hand "), EXPECTED))
                .contains("differ only in case or in spaces");
    }

    @Test
    void anotherHeaderGetsNoHint() {
        assertThat(FileIntake.headerHint(List.of("sku", "bin", "on_hand"), EXPECTED)).isEmpty();
        assertThat(FileIntake.headerHint(List.of("sku;bin;on_hand"), EXPECTED)).isEmpty();
        assertThat(FileIntake.headerHint(List.of("sku", "location", "on_hand", "note"), EXPECTED)).isEmpty();
    }
}
