package org.handoff.files;

/** This row cannot be applied: it is held alone with the reason code; the rest of the file goes on. */
public class RowRejected extends RuntimeException {

    private final String reasonCode;

    public RowRejected(String reasonCode, String detail) {
        super(detail, null, false, false);
        this.reasonCode = reasonCode;
    }

    public static RowRejected badRow(String detail) {
        return new RowRejected("BAD_ROW", detail);
    }

    public String reasonCode() {
        return reasonCode;
    }
}
