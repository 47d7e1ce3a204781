package org.handoff.webhook;

/** A signed payload that cannot become a canonical order (held MALFORMED_PAYLOAD with the raw body). */
public class MalformedPayloadException extends Exception {
    public MalformedPayloadException(String detail) {
        super(detail);
    }
}
