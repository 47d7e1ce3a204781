package org.handoff.inventory;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How {@code ats_confirmed} packs what a channel last confirmed: a channel's SKUs are spread over {@link #BLOCKS}
 * rows by the SKU's {@code String.hashCode} (fixed by the Java language, so every hub and every version places
 * a SKU in the same block; {@link #block}), each row holding its SKUs' values as {@code sku=value;sku=value} in SKU order,
 * names escaped as in {@link LocationCounts} (whose parser reads it).
 *
 * <p>Why packed: a daily snapshot's changes touch a few SKUs in nearly every part of the SKU range. One row per
 * SKU meant ~37,000 row updates for W2's 2% snapshot, each a B-tree search, an undo-log entry and a commit
 * step, rewriting nearly every page of the table and its index anyway; packed, the same change rewrites at
 * most 1,024 rows per channel.
 */
public final class AtsBlocks {

    /** Blocks per channel, a power of two. Never changed: stored rows are placed by it (a new count needs a migration). */
    public static final int BLOCKS = 1024;

    private AtsBlocks() {}

    /**
     * The SKU's block: the top 10 bits of its hash times the golden-ratio constant (Fibonacci hashing). The hash
     * alone, modulo 1,024, fills blocks unevenly for the numbered codes catalogs use (SKU-0000000 to
     * SKU-0099999: 1 to 230 SKUs a block, 6 blocks empty); mixed, every block gets close to its share.
     */
    public static int block(String sku) {
        return (sku.hashCode() * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(BLOCKS));
    }

    /** A block's text: every value, 0 included (a channel told 0 has a value; a SKU not listed has none). */
    static String pack(SortedMap<String, Long> values) {
        if (values.comparator() != null) {
            throw new IllegalArgumentException("values must be in the SKUs' natural order");
        }
        StringBuilder text = new StringBuilder(values.size() * 16);
        values.forEach((sku, value) -> append(text, sku, value));
        return text.toString();
    }

    /** Appends one value to a block's text (any SKU order: {@link #unpack} reads it into a sorted map). */
    public static void append(StringBuilder text, String sku, long value) {
        if (!text.isEmpty()) {
            text.append(';');
        }
        LocationCounts.escape(sku, text);
        text.append('=').append(value);
    }

    static TreeMap<String, Long> unpack(String text) {
        return LocationCounts.unpack(text);
    }
}
