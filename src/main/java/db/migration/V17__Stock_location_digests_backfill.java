package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Filled {@code stock_location_digest} (V16) for counts stored before it existed. Superseded: V19 replaces
 * {@code stock_location} and its digests by {@code warehouse_stock} and drops both, so nothing reads what this
 * step would write. Kept, doing nothing, so that databases that ran it and those that did not stay in step.
 */
public class V17__Stock_location_digests_backfill extends BaseJavaMigration {

    @Override
    public void migrate(Context context) {
        // nothing: see the class comment
    }
}
