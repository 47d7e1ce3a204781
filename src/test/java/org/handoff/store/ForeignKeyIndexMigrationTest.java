package org.handoff.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.handoff.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** V63: history rows and hold actions are indexed once by their parent key, and the foreign keys still hold. */
class ForeignKeyIndexMigrationTest {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void oneIndexPerParentKeyAndTheForeignKeysStillHold(TestDb db) throws Exception {
        try (TestDb.Scratch scratch = db.scratch()) {
            scratch.migrateTo("56");
            try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
                s.execute("insert into orders (order_id, channel, external_id, state, created_at, updated_at) values "
                        + "('O-1', 'shopify', '1001', 'ACCEPTED', current_timestamp, current_timestamp)");
                s.execute("insert into order_history (order_id, to_state, actor, decided_at) values "
                        + "('O-1', 'ACCEPTED', 'system:shopify', current_timestamp)");
            }
            scratch.migrate();
            try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
                assertThat(indexes(s, "order_history")).containsExactlyInAnyOrder("order_history_order", "pk");
                assertThat(indexes(s, "hold_actions")).containsExactlyInAnyOrder("hold_actions_hold", "pk");
                s.execute("insert into order_history (order_id, to_state, actor, decided_at) values "
                        + "('O-1', 'READY_TO_PICK', 'system:shopify', current_timestamp)");
                try (ResultSet rs = s.executeQuery("select count(*) from order_history where order_id = 'O-1'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                }
                assertThatThrownBy(() -> s.execute("insert into order_history (order_id, to_state, actor, decided_at) "
                        + "values ('NO-SUCH-ORDER', 'ACCEPTED', 'system:shopify', current_timestamp)"))
                        .isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.execute("insert into hold_actions (hold_id, action, actor, acted_at) "
                        + "values (424242, 'RELEASE', 'operator', current_timestamp)"))
                        .isInstanceOf(SQLException.class);
            }
        }
    }

    /** The table's indexes by name, the primary key's as "pk" (its generated name differs between databases). */
    private static List<String> indexes(Statement s, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = s.getConnection().getMetaData().getIndexInfo(null, null,
                s.getConnection().getMetaData().storesUpperCaseIdentifiers() ? table.toUpperCase() : table, false, false)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name != null) {
                    String lower = name.toLowerCase();
                    names.add(lower.startsWith("primary_key") || lower.endsWith("_pkey") ? "pk" : lower);
                }
            }
        }
        return names.stream().distinct().toList();
    }
}
