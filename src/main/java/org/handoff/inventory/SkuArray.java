package org.handoff.inventory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

/**
 * A set of SKU codes as one array parameter, for {@code where sku = any(?)}: one statement whatever the
 * number of codes, an index look-up per code on H2 2.4 and PostgreSQL 15 alike. Measured on H2 here (1,000
 * codes against 100,000 rows): ~1-2 ms, against 5-50 ms for ten IN lists of 100 markers and 20-100 ms for
 * one look-up per code.
 */
final class SkuArray {

    private SkuArray() {}

    static Array of(Connection c, Collection<String> skus) throws SQLException {
        return c.createArrayOf("varchar", skus.toArray(String[]::new));
    }
}
