package org.handoff.files;

/** The whole file is refused (e.g. STALE_SNAPSHOT): it moves to .failed/ with a hold; nothing of it applies. */
public class FileRejected extends RuntimeException {

    private final String reasonCode;

    public FileRejected(String reasonCode, String detail) {
        super(detail, null, false, false);
        this.reasonCode = reasonCode;
    }

    public String reasonCode() {
        return reasonCode;
    }
}
