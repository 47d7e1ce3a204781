package org.handoff.inventory;

/**
 * A set of 64-bit hashes in one primitive array: remembers which sku/location keys (and which SKUs) a
 * snapshot listed in about 16 bytes per key (a million-row snapshot in ~32 MB at most), instead of the rows.
 */
final class LongHashSet {

    /** The largest table a size hint asks for up front (32 MB); beyond it the set grows as it fills. */
    private static final int MAX_HINTED_SLOTS = 1 << 22;

    private long[] slots;
    private int size;
    private boolean hasZero;

    LongHashSet() {
        this(0);
    }

    /**
     * @param expected how many values are likely to come: the table is allocated once at its final size instead
     *                 of doubling up to it (a million-row snapshot: 16 MB once, not 32 MB of copies and rehashing)
     */
    LongHashSet(long expected) {
        int slots = 1 << 12;
        while (slots < MAX_HINTED_SLOTS && slots < expected * 2) {
            slots <<= 1;
        }
        this.slots = new long[slots];
    }

    /** True when added, false when it was already there. */
    boolean add(long value) {
        if (value == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if (size * 2 >= slots.length) {
            grow();
        }
        return insert(slots, value);
    }

    /** How many distinct values were added. */
    int size() {
        return size + (hasZero ? 1 : 0);
    }

    boolean contains(long value) {
        if (value == 0) {
            return hasZero;
        }
        int mask = slots.length - 1;
        for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == 0) {
                return false;
            }
            if (slots[i] == value) {
                return true;
            }
        }
    }

    private boolean insert(long[] table, long value) {
        int mask = table.length - 1;
        for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
            if (table[i] == 0) {
                table[i] = value;
                if (table == slots) {
                    size++;
                }
                return true;
            }
            if (table[i] == value) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0; // insert counts each value again into the new table
        for (long v : old) {
            if (v != 0) {
                insert(slots, v);
            }
        }
    }

    private static int mix(long v) {
        return (int) (v ^ (v >>> 32));
    }

    /** FNV-1a over the characters, finished with MurmurHash3's fmix64: well spread 64 bits. */
    static long hash(String a, String b) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < a.length(); i++) {
            h = (h ^ a.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0xFFFF) * 0x100000001b3L;
        for (int i = 0; i < b.length(); i++) {
            h = (h ^ b.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
