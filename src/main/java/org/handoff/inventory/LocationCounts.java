package org.handoff.inventory;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One SKU's counts in one warehouse, packed into one text ({@code warehouse_stock.locations}):
 * {@code location=count;location=count}, locations in Java's {@code String} order, only counts that are not
 * 0. A WMS snapshot replaces a SKU's whole set of locations, so comparing the packed text of what a
 * snapshot lists with the stored one tells exactly whether anything changed, with no location rows to read.
 *
 * <p>The packing is canonical: the same counts always give the same text, different counts a different
 * text. A location at 0 is the same as a location not listed (the count rule drops unlisted locations to
 * 0). Location names may hold any character: {@code \}, {@code =} and {@code ;} inside a name are escaped
 * with a {@code \}, so a name can never be read as a separator.
 */
public final class LocationCounts {

    /** The packed text and the sum of its counts (the SKU's on-hand in that warehouse). */
    public record Packed(String text, long total) {}

    public static final Packed EMPTY = new Packed("", 0);

    private LocationCounts() {}

    /** Packs counts keyed by location (a sorted map: the canonical order); counts of 0 are left out. */
    public static Packed pack(SortedMap<String, Long> counts) {
        if (counts.comparator() != null) {
            throw new IllegalArgumentException("counts must be in the locations' natural order");
        }
        StringBuilder text = new StringBuilder(counts.size() * 12);
        long total = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            long count = e.getValue();
            if (count == 0) {
                continue;
            }
            if (!text.isEmpty()) {
                text.append(';');
            }
            escape(e.getKey(), text);
            text.append('=').append(count);
            total += count;
        }
        return text.isEmpty() ? EMPTY : new Packed(text.toString(), total);
    }

    /**
     * Collects one SKU's counts as a snapshot lists them and packs them: a location listed twice keeps its
     * first count. Counts listed in location order (as WMS exports come) are packed as they arrive, without
     * a map per SKU; any other order is sorted first.
     */
    public static final class Listed {
        private String[] locations = new String[16];
        private long[] counts = new long[16];
        private int size;
        private boolean ordered = true;

        public Listed add(String location, long count) {
            if (size == locations.length) {
                locations = java.util.Arrays.copyOf(locations, size * 2);
                counts = java.util.Arrays.copyOf(counts, size * 2);
            }
            if (size > 0 && location.compareTo(locations[size - 1]) <= 0) {
                ordered = false;
            }
            locations[size] = location;
            counts[size++] = count;
            return this;
        }

        /** The listed counts by location (the first count of a location wins). */
        public TreeMap<String, Long> toMap() {
            TreeMap<String, Long> m = new TreeMap<>();
            for (int i = 0; i < size; i++) {
                m.putIfAbsent(locations[i], counts[i]);
            }
            return m;
        }

        /**
         * True when {@link #pack()} would make exactly {@code text}, checked character by character without
         * building it: the daily snapshot compares every listed SKU with its stored text and most are equal.
         */
        public boolean packsTo(String text) {
            if (!ordered) {
                return pack().text().equals(text);
            }
            int p = 0;
            int n = text.length();
            boolean first = true;
            for (int i = 0; i < size; i++) {
                long count = counts[i];
                if (count == 0) {
                    continue;
                }
                if (count < 0) {
                    return pack().text().equals(text);
                }
                if (!first) {
                    if (p == n || text.charAt(p) != ';') {
                        return false;
                    }
                    p++;
                }
                first = false;
                String location = locations[i];
                for (int k = 0; k < location.length(); k++) {
                    char ch = location.charAt(k);
                    if (ch == '\\' || ch == '=' || ch == ';') {
                        if (p == n || text.charAt(p) != '\\') {
                            return false;
                        }
                        p++;
                    }
                    if (p == n || text.charAt(p) != ch) {
                        return false;
                    }
                    p++;
                }
                if (p == n || text.charAt(p) != '=') {
                    return false;
                }
                p++;
                int end = p;
                while (end < n && text.charAt(end) != ';') {
                    end++;
                }
                // the count's decimal digits, from the last one back
                int q = end - 1;
                do {
                    if (q < p || text.charAt(q) != (char) ('0' + count % 10)) {
                        return false;
                    }
                    count /= 10;
                    q--;
                } while (count != 0);
                if (q != p - 1) {
                    return false;
                }
                p = end;
            }
            return p == n;
        }

        public Packed pack() {
            if (!ordered) {
                return LocationCounts.pack(toMap());
            }
            StringBuilder text = null;
            long total = 0;
            for (int i = 0; i < size; i++) {
                if (counts[i] == 0) {
                    continue;
                }
                if (text == null) {
                    text = new StringBuilder(size * 12);
                } else {
                    text.append(';');
                }
                escape(locations[i], text);
                text.append('=').append(counts[i]);
                total += counts[i];
            }
            return text == null ? EMPTY : new Packed(text.toString(), total);
        }
    }

    /** The counts in a packed text, by location. Throws IllegalArgumentException for a text pack never makes. */
    public static TreeMap<String, Long> unpack(String text) {
        TreeMap<String, Long> counts = new TreeMap<>();
        int i = 0;
        int n = text.length();
        StringBuilder location = new StringBuilder();
        while (i < n) {
            location.setLength(0);
            while (i < n && text.charAt(i) != '=') {
                char ch = text.charAt(i++);
                if (ch == ';') {
                    throw malformed(text);
                }
                if (ch == '\\') {
                    if (i == n) {
                        throw malformed(text);
                    }
                    ch = text.charAt(i++);
                }
                location.append(ch);
            }
            if (i == n) {
                throw malformed(text); // a location without '='
            }
            int start = ++i;
            while (i < n && text.charAt(i) != ';') {
                i++;
            }
            long count;
            try {
                count = Long.parseLong(text, start, i, 10);
            } catch (NumberFormatException e) {
                throw malformed(text);
            }
            if (counts.put(location.toString(), count) != null) {
                throw malformed(text);
            }
            if (i < n && ++i == n) {
                throw malformed(text); // a trailing ';'
            }
        }
        return counts;
    }

    /** Appends a name with {@code \}, {@code =} and {@code ;} escaped; the ATS blocks ({@link AtsBlocks}) use the same format. */
    static void escape(String location, StringBuilder out) {
        if (location.indexOf('\\') < 0 && location.indexOf('=') < 0 && location.indexOf(';') < 0) {
            out.append(location);
            return;
        }
        for (int i = 0; i < location.length(); i++) {
            char ch = location.charAt(i);
            if (ch == '\\' || ch == '=' || ch == ';') {
                out.append('\\');
            }
            out.append(ch);
        }
    }

    private static IllegalArgumentException malformed(String text) {
        return new IllegalArgumentException("not a packed set of location counts: '" + text + "'");
    }
}
