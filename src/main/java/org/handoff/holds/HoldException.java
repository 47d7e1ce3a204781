package org.handoff.holds;

/** A business rule refused the record: the dead-letter channel holds it with this reason code. */
public class HoldException extends RuntimeException {

    private final String reasonCode;

    public HoldException(String reasonCode, String detail) {
        super(detail);
        this.reasonCode = reasonCode;
    }

    public String reasonCode() {
        return reasonCode;
    }
}
