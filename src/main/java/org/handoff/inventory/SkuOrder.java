package org.handoff.inventory;

import java.sql.Connection;
import java.sql.SQLException;
import org.handoff.store.Jdbc;

/**
 * Whether the database orders SKU codes as Java's {@code String.compareTo} does (H2; PostgreSQL with the C
 * collation), asked once per hub. Range reads by SKU use it: when the orders may differ, a SKU the range
 * did not return is looked up by name, so no decision depends on the database's collation.
 */
final class SkuOrder {

    private volatile Boolean binary;

    boolean binary(Connection c) throws SQLException {
        if (binary == null) {
            binary = Jdbc.queryOne(c, "select case when 'B' < 'a' and 'Z' < '_' and '-' < '0' and 'a' < '~' "
                    + "then 1 else 0 end", rs -> rs.getInt(1) == 1).orElse(false);
        }
        return binary;
    }
}
