package org.handoff.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SkuAliasesTest {

    private static SkuAliases parse(String csv) throws MappingException {
        return SkuAliases.parse(new StringReader(csv), "sku-aliases.csv");
    }

    private final SkuAliases aliases;

    SkuAliasesTest() throws MappingException {
        aliases = parse("old_code,new_code,valid_from,valid_until\n"
                + "OLD-1,NEW-1,2026-11-01,2026-12-01\n"
                + "A,B,2026-01-01T00:00:00Z,\n"
                + "B,C,2026-01-01,\n");
    }

    @Test
    void windowIncludesItsFirstInstant() {
        SkuResolution r = aliases.resolve("OLD-1", Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(r.sku()).isEqualTo("NEW-1");
        assertThat(r.known()).isTrue();
    }

    @Test
    void windowExcludesItsUntilInstant() {
        SkuResolution r = aliases.resolve("OLD-1", Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(r.known()).isFalse();
        assertThat(r.detail()).contains("NEW-1");
        assertThat(aliases.resolve("OLD-1", Instant.parse("2026-11-30T23:59:59Z")).sku()).isEqualTo("NEW-1");
    }

    @Test
    void beforeTheWindowTheOldCodeIsStillItself() {
        SkuResolution r = aliases.resolve("OLD-1", Instant.parse("2026-10-31T23:59:59Z"));
        assertThat(r.sku()).isEqualTo("OLD-1");
        assertThat(r.known()).isTrue();
    }

    @Test
    void newCodeAndUnrelatedCodesResolveToThemselves() {
        assertThat(aliases.resolve("NEW-1", Instant.parse("2026-11-15T00:00:00Z")).sku()).isEqualTo("NEW-1");
        assertThat(aliases.resolve("OTHER", Instant.parse("2026-11-15T00:00:00Z")).sku()).isEqualTo("OTHER");
    }

    @Test
    void chainsFollowToTheCurrentCodeAndOpenEndedWindowsNeverClose() {
        assertThat(aliases.resolve("A", Instant.parse("2030-01-01T00:00:00Z")).sku()).isEqualTo("C");
    }

    @Test
    void badRowsRejectTheWholeFileWithTheLine() throws MappingException {
        assertThatThrownBy(() -> parse("old_code,new_code,valid_from,valid_until\nX,Y,2026-13-01,\n"))
                .isInstanceOf(MappingException.class).hasMessageContaining("sku-aliases.csv:2");
        assertThatThrownBy(() -> parse("old,new\nX,Y\n")).hasMessageContaining("header");
        assertThatThrownBy(() -> parse("old_code,new_code,valid_from,valid_until\nX,Y,2026-02-01,2026-01-01\n"))
                .hasMessageContaining("after valid_from");
        // a code no table can store (every SKU column holds 100 characters) would fail each batch resolving to it
        assertThatThrownBy(() -> parse("old_code,new_code,valid_from,valid_until\nX," + "Y".repeat(101) + ",2026-01-01,\n"))
                .hasMessageContaining("sku-aliases.csv:2: new_code is 101 characters long; at most 100 are stored");
        assertThat(parse("old_code,new_code,valid_from,valid_until\nX," + "Y".repeat(100) + ",2026-01-01,\n").size())
                .isEqualTo(1);
    }
}
