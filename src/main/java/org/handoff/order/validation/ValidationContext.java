package org.handoff.order.validation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.handoff.order.OrderMappings;

/**
 * What rules may consult: the time now and the allowed clock skew, the mappings, and the SKU
 * resolution of each line (done once, before the rules run, because it reads the catalog).
 */
public record ValidationContext(Instant now, Duration maxClockSkew, OrderMappings mappings,
        List<SkuResolver.LineResolution> lines) {}
