package org.handoff.mapping;

import java.io.Reader;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/** Small typed reads over a parsed YAML mapping file, with the file named in every error. */
final class MappingYaml {

    private MappingYaml() {}

    static Map<String, Object> read(Reader reader, String file, String rootKey) throws MappingException {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().build()).loadFromReader(reader);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new MappingException(file + ":" + line + ": " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new MappingException(file + ": " + e.getMessage());
        }
        if (doc == null) {
            return Map.of();
        }
        Map<String, Object> root = map(doc, file + ": top level");
        Object section = root.get(rootKey);
        if (section == null) {
            throw new MappingException(file + ": expected a top-level '" + rootKey + ":' section");
        }
        return map(section, file + ": " + rootKey);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) throws MappingException {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new MappingException(where + " must be a mapping of keys to values");
        }
        for (Object key : m.keySet()) {
            if (!(key instanceof String)) {
                throw new MappingException(where + ": key " + key + " must be text");
            }
        }
        return (Map<String, Object>) m;
    }

    static Integer nonNegativeInt(Object value, String where) throws MappingException {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n && n.longValue() == n.doubleValue() && n.longValue() >= 0
                && n.longValue() <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw new MappingException(where + " must be a whole number >= 0, not '" + value + "'");
    }

    static String text(Object value, String where) throws MappingException {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s.trim();
        }
        throw new MappingException(where + " must be text, not '" + value + "'");
    }

    static boolean bool(Object value, String where, boolean fallback) throws MappingException {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new MappingException(where + " must be true or false, not '" + value + "'");
    }
}
