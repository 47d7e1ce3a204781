package org.handoff.store;

import java.sql.Connection;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Health is DOWN while the database does not answer a trivial query within a second. */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private final Jdbc jdbc;

    public DatabaseHealthCheck(Jdbc jdbc) {
        super("handoff", "database");
        this.jdbc = jdbc;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = jdbc.dataSource().getConnection()) {
            if (c.isValid(1)) {
                builder.up();
            } else {
                builder.message("database did not answer").down();
            }
        } catch (Exception e) {
            builder.message("database unavailable").down();
        }
    }
}
