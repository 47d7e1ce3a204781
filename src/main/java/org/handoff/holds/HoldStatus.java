package org.handoff.holds;

/** open: waiting; released: replayed and applied; resolved: a later fact settled it; discarded: closed by a person. */
public enum HoldStatus {
    open, released, resolved, discarded
}
