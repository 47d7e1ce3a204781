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
        String text = new String(raw, StandardCharsets.UTF_8);
        return text.indexOf('\0') < 0 ? text : text.replace("\0", "\\u0000");
    }
}
