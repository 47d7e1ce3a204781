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
 */
public record FileKind(String kind, Pattern namePattern, String expectedName, List<String> header,
                       RowHandler<?> handler) {

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
