package org.handoff.mapping;

import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code sku-aliases.csv}: {@code old_code,new_code,valid_from,valid_until}. Inside the window
 * [valid_from, valid_until) the old code resolves to the new one; before it the old code is still
 * itself; after it the old code is unknown. An empty valid_until never closes. Chains (A→B→C) follow.
 */
public final class SkuAliases {

    static final List<String> HEADER = List.of("old_code", "new_code", "valid_from", "valid_until");

    record Window(String newCode, Instant from, Instant until) {
        boolean covers(Instant at) {
            return !at.isBefore(from) && (until == null || at.isBefore(until));
        }
    }

    private final Map<String, List<Window>> byOldCode;
    private final java.util.Set<String> newCodes;

    private SkuAliases(Map<String, List<Window>> byOldCode) {
        this.byOldCode = byOldCode;
        this.newCodes = byOldCode.values().stream().flatMap(List::stream).map(Window::newCode)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Whether some alias leads to this code (a line stored under another code may be this SKU's). */
    public boolean isNewCode(String code) {
        return newCodes.contains(code);
    }

    public static SkuAliases empty() {
        return new SkuAliases(Map.of());
    }

    public static SkuAliases parse(Reader reader, String file) throws MappingException {
        Map<String, List<Window>> map = new HashMap<>();
        for (CSVRecord row : MappingCsv.read(reader, file, HEADER)) {
            String where = file + ":" + (row.getRecordNumber() + 1);
            String oldCode = MappingCsv.sku(row, "old_code", where);
            String newCode = MappingCsv.sku(row, "new_code", where);
            Instant from = time(MappingCsv.required(row, "valid_from", where), where);
            String untilText = row.get("valid_until").trim();
            Instant until = untilText.isEmpty() ? null : time(untilText, where);
            if (until != null && !until.isAfter(from)) {
                throw new MappingException(where + ": valid_until must be after valid_from");
            }
            if (oldCode.equals(newCode)) {
                throw new MappingException(where + ": old_code and new_code are the same");
            }
            map.computeIfAbsent(oldCode, k -> new ArrayList<>()).add(new Window(newCode, from, until));
        }
        return new SkuAliases(map);
    }

    /** A date means the start of that day in UTC; a full ISO 8601 instant is taken as is. */
    static Instant time(String text, String where) throws MappingException {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new MappingException(where + ": '" + text + "' is not a date (yyyy-MM-dd) or an ISO 8601 time");
        }
    }

    public SkuResolution resolve(String code, Instant at) {
        String current = code;
        for (int depth = 0; depth < 8; depth++) {
            List<Window> windows = byOldCode.get(current);
            if (windows == null) {
                return new SkuResolution(current, true, current.equals(code) ? "no alias" : code + " -> " + current);
            }
            Window active = windows.stream().filter(w -> w.covers(at)).findFirst().orElse(null);
            if (active != null) {
                current = active.newCode();
                continue;
            }
            boolean retired = windows.stream().anyMatch(w -> w.until() != null && !at.isBefore(w.until()));
            if (retired) {
                Window last = windows.get(windows.size() - 1);
                return new SkuResolution(current, false, "code " + current + " was replaced by " + last.newCode()
                        + " and is no longer valid since " + last.until());
            }
            // the alias window has not opened yet: the old code is still the current code
            return new SkuResolution(current, true, current.equals(code) ? "alias not yet in force" : code + " -> " + current);
        }
        return new SkuResolution(code, false, "alias chain for " + code + " does not end");
    }

    public int size() {
        return byOldCode.size();
    }
}
