package org.handoff.inventory;

/**
 * SKU → a long, in two arrays (open addressing). The ATS cache keeps a value per channel for every SKU (W2:
 * 300,000): as a {@code HashMap<String, Long>} that is a node and a boxed value each, half a million objects
 * the collector marks again and again under {@code -Xmx256m}; here it is two arrays per channel, and the SKU
 * strings themselves.
 */
final class SkuValues {

    /** What {@link #get} answers for a SKU it does not have. */
    static final long ABSENT = Long.MAX_VALUE;

    private String[] keys = new String[1 << 10];
    private long[] values = new long[1 << 10];
    private int size;

    long get(String sku) {
        int mask = keys.length - 1;
        for (int i = sku.hashCode() * 0x9E3779B9 & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return ABSENT;
            }
            if (k.equals(sku)) {
                return values[i];
            }
        }
    }

    /** Sets the SKU's value; true when the SKU was not there. */
    boolean put(String sku, long value) {
        if (value == ABSENT) {
            // ATS values, NONE and UNKNOWN never are; stored, it would read as "not there"
            throw new IllegalArgumentException("not a value SkuValues can hold: " + value);
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = sku.hashCode() * 0x9E3779B9 & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                keys[i] = sku;
                values[i] = value;
                size++;
                return true;
            }
            if (k.equals(sku)) {
                values[i] = value;
                return false;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        String[] oldKeys = keys;
        long[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        values = new long[oldValues.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
