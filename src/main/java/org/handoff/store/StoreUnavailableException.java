package org.handoff.store;

/** The database cannot be reached: a transient fault (retry later; webhooks answer 503). */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
