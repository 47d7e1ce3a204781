package org.handoff.mapping;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Shows rejected mapping files in the health detail. The hub stays UP (the previous version is in
 * force), but the operator sees which file was refused and why.
 */
public final class MappingsHealthCheck extends AbstractHealthCheck {

    private final Mappings mappings;

    public MappingsHealthCheck(Mappings mappings) {
        super("handoff", "mappings");
        this.mappings = mappings;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, String> rejected = mappings.rejected();
        rejected.forEach(builder::detail);
        builder.message(rejected.isEmpty() ? "all mapping files in force"
                : "rejected (previous version in force): " + String.join(", ", rejected.keySet()));
        builder.up();
    }
}
