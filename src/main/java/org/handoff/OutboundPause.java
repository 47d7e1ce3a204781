package org.handoff;

import java.time.Duration;
import java.time.Instant;

/**
 * One receiver of the hub's pushes (a channel's ATS endpoint, the WMS) that may be down. When it does not take a
 * push past its retries, nothing more is sent to it for a pause: the base, doubled each time in a row, at most 8
 * times it. A push it takes ends the outage. While it is down that makes one hold per pause, not one per message,
 * and one push's back-off per pause on the sending thread, not every message's.
 */
public final class OutboundPause {

    /**
     * How many holds in a row a message held because its receiver did not take it is sent again by itself once the
     * receiver takes pushes again: enough to ride out an outage, few enough that a receiver failing on that content
     * (not on the moment) costs a few pauses, then leaves the hold to the operator.
     */
    public static final int HELD_AUTO_TRIES = 3;

    private final Duration base;
    private int timesInARow;
    /** Until when nothing is sent; null while the receiver takes pushes. */
    private volatile Instant until;

    public OutboundPause(Duration base) {
        this.base = base;
    }

    /** Whether nothing is to be sent to it now. */
    public boolean isPaused(Instant now) {
        Instant u = until;
        return u != null && now.isBefore(u);
    }

    /** It did not take a push past its retries: the pause that starts now. */
    public Duration failed(Instant now) {
        return failed(now, null);
    }

    /**
     * As {@link #failed(Instant)}, when its last answer asked for a wait ({@code Retry-After}; null: none): the pause
     * is at least that, up to the longest pause (8 times the base), so a wrong header cannot silence it for days.
     */
    public synchronized Duration failed(Instant now, Duration askedFor) {
        timesInARow++;
        Duration pause = base.multipliedBy(1L << Math.min(3, timesInARow - 1));
        if (askedFor != null && askedFor.compareTo(pause) > 0) {
            Duration longest = base.multipliedBy(8);
            pause = askedFor.compareTo(longest) > 0 ? longest : askedFor;
        }
        until = now.plus(pause);
        return pause;
    }

    /** It took a push: true when that ended an outage (cheap otherwise: every push that goes out says so). */
    public boolean succeeded() {
        if (until == null) {
            return false;
        }
        synchronized (this) {
            boolean wasDown = until != null;
            timesInARow = 0;
            until = null;
            return wasDown;
        }
    }
}
