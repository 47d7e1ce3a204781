package org.handoff.order.validation;

/** One failed rule: its reason code (DESIGN §7) and what exactly was wrong. */
public record Violation(String reasonCode, String detail) {

    @Override
    public String toString() {
        return reasonCode + ": " + detail;
    }
}
