package org.handoff.store;

import java.nio.charset.StandardCharsets;

/**
 * A received body as text the database can keep. PostgreSQL's text types refuse the NUL character, so a signed body
 * carrying one (never valid JSON, but it must still be kept and held, not answered 500 on every retry) stores it
 * written out as {@code \u0000}; bytes that are not UTF-8 become U+FFFD, as decoding makes them anyway.
 */
public final class StoredText {

    private StoredText() {}

    public static String of(byte[] raw) {
        return of(new String(raw, StandardCharsets.UTF_8));
    }

    /** Text as the database can keep it: a NUL written out as {@code \u0000}; null stays null. */
    public static String of(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace("\0", "\\u0000");
    }
}
