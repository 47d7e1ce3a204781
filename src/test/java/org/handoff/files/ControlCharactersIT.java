package org.handoff.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.handoff.files.DropFolders.awaitReport;
import static org.handoff.files.DropFolders.drop;
import static org.handoff.files.DropFolders.onHand;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A control character in a drop-folder value holds its row BAD_ROW with its row number wherever it stands. Before,
 * values were trimmed of everything up to a space at both ends, so a NUL or a BEL at the end of a location was
 * dropped and the row applied, while the same NUL in the middle held the row.
 */
class ControlCharactersIT {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void aControlCharacterAtEitherEndOfAValueHoldsItsRowAsOneInTheMiddleDoes(TestDb db) throws Exception {
        try (TestHub hub = TestHub.start(db)) {
            awaitReport(drop(hub, "inventory", "inventory_WH1_20261124T080000Z.csv",
                    "sku,location,on_hand\nMUG-WHITE,C-01,5\nMUG-WHITE,C-02,4\n"), ".done");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(9);

            // the next count: C-02 with a NUL at its end is held (its count stays at 4, not 9 and not 0)
            JsonNode count = awaitReport(drop(hub, "inventory", "inventory_WH1_20261124T090000Z.csv",
                    "sku,location,on_hand\nMUG-WHITE,C-01,5\nMUG-WHITE,C-02\u0000 ,9\n"), ".done");
            assertThat(count.get("rowsApplied").asLong()).as(count.toString()).isEqualTo(1);
            assertThat(count.get("heldRows").get(0).get("detail").asText())
                    .isEqualTo("row 3: location contains a NUL character (U+0000), which cannot be stored");
            assertThat(onHand(hub, "MUG-WHITE")).isEqualTo(9);

            // catalog: a BEL before a SKU and an ESC after a description hold their rows; a tab around a value is
            // trimmed, and a description over two lines is kept as it is
            JsonNode catalog = awaitReport(drop(hub, "catalog", "catalog_20261124T080000Z.csv",
                    "sku,barcode,description,active\n"
                    + "\u0007CTRL-1,111,bell,true\n"
                    + "CTRL-2,222,escape\u001b,true\n"
                    + "\tCTRL-3\t,333,\"two\nlines\",true\n"), ".done");
            assertThat(catalog.get("rowsApplied").asLong()).as(catalog.toString()).isEqualTo(1);
            assertThat(hub.jdbc().query("select sku from catalog where sku like '%CTRL-%' order by sku",
                    rs -> rs.getString(1))).containsExactly("CTRL-3");
            List<String> details = new ArrayList<>();
            hub.api().get("/api/holds?status=open&reason=BAD_ROW").json().get("holds")
                    .forEach(h -> details.add(h.get("detail").asText()));
            assertThat(details).contains("row 2: sku contains a control character (U+0007)",
                    "row 3: description contains a control character (U+001B)");
        }
    }
}
