package org.handoff.order;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.handoff.api.Json;

/**
 * The steps of one history row that records several transitions of one decision ({@code order_history.steps},
 * V61): a JSON array of {@code {from, to, reasonCode, evidence, actor, decidedAt, observedAt}}. Times are
 * rounded to the microsecond as a {@code timestamp with time zone} column rounds them, so an entry reads back
 * as it would from the columns.
 */
final class HistorySteps {

    private static final TypeReference<List<LinkedHashMap<String, Object>>> STEPS = new TypeReference<>() {};

    private HistorySteps() {}

    static String write(List<HistoryEntry> entries) {
        List<Map<String, Object>> steps = new ArrayList<>(entries.size());
        for (HistoryEntry e : entries) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("from", e.from() == null ? null : e.from().name());
            step.put("to", e.to().name());
            step.put("reasonCode", e.reasonCode());
            if (!e.evidence().isEmpty()) {
                step.put("evidence", e.evidence());
            }
            step.put("actor", e.actor());
            step.put("decidedAt", micros(e.decidedAt()));
            step.put("observedAt", micros(e.observedAt()));
            steps.add(step);
        }
        return Json.write(steps);
    }

    @SuppressWarnings("unchecked")
    static List<HistoryEntry> read(String json) {
        List<LinkedHashMap<String, Object>> steps;
        try {
            steps = Json.MAPPER.readValue(json, STEPS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<HistoryEntry> out = new ArrayList<>(steps.size());
        for (Map<String, Object> step : steps) {
            Object evidence = step.get("evidence");
            out.add(new HistoryEntry(state(step.get("from")), state(step.get("to")), (String) step.get("reasonCode"),
                    evidence instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(), (String) step.get("actor"),
                    instant(step.get("decidedAt")), instant(step.get("observedAt"))));
        }
        return out;
    }

    private static String micros(Instant instant) {
        // rounded to the microsecond, as H2 and PostgreSQL store a timestamp's fraction
        return instant == null ? null : instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS).toString();
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse(value.toString());
    }

    private static OrderState state(Object value) {
        return value == null ? null : OrderState.valueOf(value.toString());
    }
}
