package org.handoff.files;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of drop-folder file (DESIGN §5): its folder name, file-name pattern, exact header and the
 * handler that applies its rows. The name pattern's named groups become {@link FileContext#part};
 * a group named {@code ts} must be a UTC {@code yyyyMMdd'T'HHmmss'Z'} time and becomes the file's time.
 *
 * @param expectedName how the name should look, for the BAD_FILE_NAME detail
 * @param template     a line before the header naming the file's template version (null: the header comes first)
 * @param stateFile    the file states how things stand at its {@code <ts>} (a count, the catalog, the open POs),
 *                     rather than reporting events: see {@link #scope}
 */
public record FileKind(String kind, Pattern namePattern, String expectedName, List<String> header,
                       RowHandler<?> handler, TemplateLine template, boolean stateFile) {

    /**
     * A first line that names the layout's version (the CSV inbox's {@code # template: orders-v1}). A file whose
     * first line fails {@code problem} (which returns what is wrong, expected vs found, or null) is rejected
     * alone with {@code reasonCode} before its header is looked at.
     */
    public record TemplateLine(String reasonCode, java.util.function.Function<String, String> problem) {}

    public FileKind(String kind, Pattern namePattern, String expectedName, List<String> header, RowHandler<?> handler) {
        this(kind, namePattern, expectedName, header, handler, null, false);
    }

    public FileKind(String kind, Pattern namePattern, String expectedName, List<String> header, RowHandler<?> handler,
                    TemplateLine template) {
        this(kind, namePattern, expectedName, header, handler, template, false);
    }

    /** This kind as a {@link #stateFile state file}. */
    public FileKind asStateFile() {
        return new FileKind(kind, namePattern, expectedName, header, handler, template, true);
    }

    /**
     * What a state file is the state of: its name's parts other than {@code ts} (an inventory count's warehouse;
     * "" for the catalog and the purchase orders); null for a file of events. The same content is a duplicate
     * only while it is still the last thing applied for its scope: a count that goes 10, 8, then 10 again sends
     * the first file's bytes a second time, and that third file is news (DESIGN §5 says "the same content twice is
     * a duplicate"; for state files that would keep the 8).
     */
    public String scope(Map<String, String> parts) {
        if (!stateFile) {
            return null;
        }
        StringBuilder scope = new StringBuilder();
        parts.forEach((group, value) -> {
            if (!group.equals("ts")) {
                scope.append(scope.isEmpty() ? "" : "/").append(value);
            }
        });
        return scope.toString();
    }

    /** The line number of the header: 1, or 2 after a template line. Row numbers follow it. */
    public int headerLine() {
        return template == null ? 1 : 2;
    }

    /** The {@code <ts>} of every drop-folder file name. */
    public static final String TS = "(?<ts>\\d{8}T\\d{6}Z)";
    private static final DateTimeFormatter TS_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    public FileKind {
        header = List.copyOf(header);
    }

    /** The name's parts (named groups) when it matches and its {@code ts} is a real time; empty otherwise. */
    public Optional<Map<String, String>> parseName(String name) {
        Matcher m = namePattern.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String group : groupNames(namePattern.pattern())) {
            parts.put(group, m.group(group));
        }
        if (parts.containsKey("ts") && parseTs(parts.get("ts")).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts);
    }

    public static Optional<Instant> parseTs(String ts) {
        try {
            return Optional.of(LocalDateTime.parse(ts, TS_FORMAT).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static List<String> groupNames(String regex) {
        Matcher m = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(regex);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
