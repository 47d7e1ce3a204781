package org.handoff.api;

/**
 * A client-facing failure: becomes {@code {"error": code, "message": message}} with the given HTTP status, and the
 * fields of {@link #with} after them (e.g. a 409's {@code state}, as the orders' 409 names it).
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** One more field of the answer, after error and message. */
    public ApiException with(String field, Object value) {
        details.put(field, value);
        return this;
    }

    /** The answer's fields besides error and message. */
    public java.util.Map<String, Object> details() {
        return java.util.Collections.unmodifiableMap(details);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "NOT_FOUND", what + " not found");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BAD_REQUEST", message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }
}
