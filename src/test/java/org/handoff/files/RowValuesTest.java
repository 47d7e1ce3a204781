package org.handoff.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowValuesTest {

    private static FileRow row(String value) {
        return new FileRow(7, List.of("q"), List.of(value));
    }

    @Test
    void wholeNumbersOnly() {
        assertThat(RowValues.wholeNumber(row(" 12 "), "q", 0)).isEqualTo(12);
        for (String bad : new String[] {"12.0", "1e3", "", "twelve", "12 x", "99999999999999999999"}) {
            assertThatThrownBy(() -> RowValues.wholeNumber(row(bad), "q", 0)).isInstanceOf(RowRejected.class)
                    .hasMessageContaining("row 7");
        }
        assertThatThrownBy(() -> RowValues.wholeNumber(row("-1"), "q", 0)).hasMessageContaining("below 0");
    }

    @Test
    void wholeNumberIsDigitsWithAnOptionalSign() {
        for (String good : new String[] {"0", "7", "+12", "-3", "007", "999999999999999999"}) {
            assertThat(RowValues.isWholeNumber(good)).as(good).isTrue();
        }
        for (String bad : new String[] {"", "+", "-", "1 ", " 1", "1.5", "1e3", "0x1F", "1_000", "\u0663", "+-1",
                "1234567890123456789"}) {
            assertThat(RowValues.isWholeNumber(bad)).as(bad).isFalse();
        }
    }

    @Test
    void timesAreIso8601OrPlainDates() {
        assertThat(RowValues.instant(row("2026-12-01"), "q")).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(RowValues.instant(row("2026-12-01T08:00:00+01:00"), "q")).isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
        assertThatThrownBy(() -> RowValues.instant(row("01/12/2026"), "q")).isInstanceOf(RowRejected.class);
    }

    @Test
    void storableNamesEveryColumnItsTableCannotKeepInHeaderOrder() {
        FileRow fits = new FileRow(4, List.of("a", "b", "c"), List.of("xx", "yyy", "z".repeat(50)));
        RowValues.storable(fits, java.util.Map.of("a", 2, "b", 3)); // at the width is fine; c is not checked
        FileRow wide = new FileRow(4, List.of("a", "b", "c"), List.of("xxx", "y\u0000y", "z"));
        assertThatThrownBy(() -> RowValues.storable(wide, java.util.Map.of("b", 3, "a", 2)))
                .isInstanceOf(RowRejected.class)
                .hasMessage("row 4: a is 3 characters long; at most 2 are stored; "
                        + "b contains a NUL character (U+0000), which cannot be stored");
    }

    @Test
    void aControlCharacterHoldsItsRowWhereverItStandsOnlySpacesAndTabsAroundAValueAreTrimmed() {
        for (String bad : new String[] {"C-01\u0000", "\u0000C-01", " C-\u00000 ", "C-01\u0007", "\u001bC-01",
                "C-01 \u0000 ", "C\u0085", "C-01\n", "\r\nC-01", "\u007f"}) {
            assertThatThrownBy(() -> RowValues.printable(row(bad))).as(bad.replace("\u0000", "NUL"))
                    .isInstanceOf(RowRejected.class).hasMessageStartingWith("row 7: q contains a");
        }
        assertThatThrownBy(() -> RowValues.printable(row("C-01\u0000"))).hasMessage(
                "row 7: q contains a NUL character (U+0000), which cannot be stored");
        assertThatThrownBy(() -> RowValues.printable(row("C-01\u0007"))).hasMessage(
                "row 7: q contains a control character (U+0007)");
        for (String good : new String[] {"C-01", " \tC-01\t ", "", "two\nlines", "two\r\nlines", "a\tb", "Zoë"}) {
            RowValues.printable(row(good));
        }
        FileRow two = new FileRow(3, List.of("a", "b"), List.of("x\u0001", "\u0002y"));
        assertThatThrownBy(() -> RowValues.printable(two)).hasMessage(
                "row 3: a contains a control character (U+0001); b contains a control character (U+0002)");
    }

    @Test
    void aValueIsReadWithoutTheSpacesAndTabsAroundItAndNothingElseTrimmed() {
        assertThat(row(" \tC-01 \t").get("q")).isEqualTo("C-01");
        assertThat(row("C-01\u0000").get("q")).isEqualTo("C-01\u0000");
        assertThat(row("\u0007C-01 ").get("q")).isEqualTo("\u0007C-01");
        assertThat(row("   ").get("q")).isEmpty();
    }
}
