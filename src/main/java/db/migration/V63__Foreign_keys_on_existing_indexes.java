package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, a column declared {@code references t (c)} got an index of its own for the foreign key
 * ({@code CONSTRAINT_INDEX_…}) before the migration's named index on the same column was created, so
 * {@code order_history(order_id)} and {@code hold_actions(hold_id)} were each indexed twice and every
 * history row paid two identical index inserts. Re-adding the foreign key makes H2 use the named index
 * and drop its own. PostgreSQL never creates an index for a foreign key: nothing to do there.
 */
public class V63__Foreign_keys_on_existing_indexes extends BaseJavaMigration {

    /** table, column, referenced table and column, the named index the key should use. */
    private static final String[][] KEYS = {
        {"ORDER_HISTORY", "ORDER_ID", "ORDERS", "ORDER_ID", "ORDER_HISTORY_ORDER"},
        {"HOLD_ACTIONS", "HOLD_ID", "HOLDS", "HOLD_ID", "HOLD_ACTIONS_HOLD"},
    };

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().startsWith("H2")) {
            return;
        }
        for (String[] key : KEYS) {
            List<String> ownIndexKeys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select constraint_name from information_schema.table_constraints "
                    + "where table_schema = current_schema and table_name = ? and constraint_type = 'FOREIGN KEY' "
                    + "and index_name like 'CONSTRAINT_INDEX%' and constraint_name in (select constraint_name from "
                    + "information_schema.key_column_usage where table_schema = current_schema and table_name = ? "
                    + "and column_name = ?)")) {
                ps.setString(1, key[0]);
                ps.setString(2, key[0]);
                ps.setString(3, key[1]);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ownIndexKeys.add(rs.getString(1));
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                for (String constraint : ownIndexKeys) {
                    s.execute("alter table " + key[0] + " drop constraint \"" + constraint + "\"");
                }
                if (!ownIndexKeys.isEmpty()) {
                    s.execute("alter table " + key[0] + " add constraint " + key[0] + "_FK foreign key (" + key[1]
                            + ") references " + key[2] + " (" + key[3] + ")");
                }
            }
        }
    }
}
