package org.handoff.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcInChunksTest {

    @Test
    void nothingGivesNoChunk() {
        assertThat(Jdbc.inChunks(List.of())).isEmpty();
    }

    @Test
    void aChunkIsPaddedToAPowerOfTwoWithItsLastValueAndRepeatsAreDroppedFirst() {
        assertThat(Jdbc.inChunks(List.of("a"))).containsExactly(List.of("a"));
        assertThat(Jdbc.inChunks(List.of("a", "b"))).containsExactly(List.of("a", "b"));
        assertThat(Jdbc.inChunks(List.of("a", "b", "a", "c"))).containsExactly(List.of("a", "b", "c", "c"));
        assertThat(Jdbc.inChunks(List.of("a", "b", "c", "d", "e"))).containsExactly(List.of("a", "b", "c", "d", "e", "e", "e", "e"));
    }

    @Test
    void longListsAreCutAtTheLargestListInOrder() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < Jdbc.IN_LIST_MAX + 3; i++) {
            values.add(String.format("k%05d", i));
        }
        List<List<String>> chunks = Jdbc.inChunks(values);
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0)).hasSize(Jdbc.IN_LIST_MAX).startsWith("k00000").endsWith("k00127");
        assertThat(chunks.get(1)).containsExactly("k00128", "k00129", "k00130", "k00130");
    }

    @Test
    void queryInReadsEveryChunkBindsTheRestAfterTheListAndKeepsALiteralPercent() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:mem:in-chunks")) {
            c.createStatement().execute("create table t (code varchar(20) primary key, kind varchar(20))");
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < Jdbc.IN_LIST_MAX + 40; i++) {
                String code = String.format("c%04d", i);
                codes.add(code);
                Jdbc.update(c, "insert into t (code, kind) values (?, ?)", code, i % 2 == 0 ? "even%" : "odd");
            }
            List<String> even = Jdbc.queryIn(c, "select code from t where code in (%s) and kind like 'even\\%' escape '\\'"
                    + " and code <> ?", codes, rs -> rs.getString(1), "c0000");
            assertThat(even).hasSize((Jdbc.IN_LIST_MAX + 40) / 2 - 1).doesNotContain("c0000").contains("c0166");
        }
    }
}
