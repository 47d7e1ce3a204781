package org.handoff.mapping;

/** A mapping file that does not parse: rejected whole, the previous version stays in force. */
public class MappingException extends Exception {
    public MappingException(String message) {
        super(message);
    }
}
