package org.handoff.security;

import org.apache.camel.Exchange;
import org.handoff.api.ApiException;

/** The first step of every operator API route: {@code Authorization: Bearer <token>}, else 401. */
public final class ApiAuth {

    private final ApiToken token;

    public ApiAuth(ApiToken token) {
        this.token = token;
    }

    public void check(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        // the credential is not needed past this point: keep it out of any hold or log
        exchange.getMessage().removeHeader("Authorization");
        if (!token.matches(presented)) {
            throw new ApiException(401, "UNAUTHORIZED", "a valid bearer token is required");
        }
    }
}
