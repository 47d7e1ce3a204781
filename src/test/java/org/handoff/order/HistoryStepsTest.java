package org.handoff.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.handoff.api.Json;
import org.junit.jupiter.api.Test;

class HistoryStepsTest {

    private static final Instant T = Instant.parse("2026-11-23T19:30:00.123456789Z");

    @Test
    void writtenTextIsWhatTheMapperGaveForTheStepsAsMaps() {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("source", "csv");
        evidence.put("rows", List.of(3, 17, 42));
        evidence.put("total", new BigDecimal("19.90"));
        evidence.put("nested", Map.of("name", "Zoë \"quoted\" \\ \u0001"));
        evidence.put("none", null);
        List<HistoryEntry> entries = List.of(
                new HistoryEntry(null, OrderState.RECEIVED, "RECEIVED", Map.of(), "system:csv", T, T.minusSeconds(5)),
                new HistoryEntry(OrderState.RECEIVED, OrderState.ACCEPTED, "VALIDATED", evidence, "system:csv", T, null),
                new HistoryEntry(OrderState.ACCEPTED, OrderState.READY_TO_PICK, null, Map.of(), null,
                        Instant.parse("2026-11-23T19:30:00Z"), Instant.parse("2026-11-23T19:30:00.000000499Z")));

        String written = HistorySteps.write(entries);

        assertThat(written).isEqualTo(asMaps(entries));
        assertThat(HistorySteps.read(written)).extracting(HistoryEntry::to)
                .containsExactly(OrderState.RECEIVED, OrderState.ACCEPTED, OrderState.READY_TO_PICK);
        assertThat(HistorySteps.read(written).get(1).evidence()).containsEntry("source", "csv").containsKey("none");
    }

    /** How the steps were written before (a map per step through the mapper): the text must not change. */
    private static String asMaps(List<HistoryEntry> entries) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (HistoryEntry e : entries) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("from", e.from() == null ? null : e.from().name());
            step.put("to", e.to().name());
            step.put("reasonCode", e.reasonCode());
            if (!e.evidence().isEmpty()) {
                step.put("evidence", e.evidence());
            }
            step.put("actor", e.actor());
            step.put("decidedAt", HistorySteps.micros(e.decidedAt()));
            step.put("observedAt", HistorySteps.micros(e.observedAt()));
            steps.add(step);
        }
        return Json.write(steps);
    }
}
