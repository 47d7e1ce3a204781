package org.handoff;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The camel-http endpoint a push out of the hub (an ATS batch, a WMS message) goes to. Always with timeouts:
 * camel-http's own defaults let a receiver that accepts the connection and never answers hold the sending
 * thread for minutes — the ATS round of every channel, or the WMS drain — instead of failing the attempt as
 * transient (retried with back-off, then held DOWNSTREAM_UNAVAILABLE).
 */
public final class OutboundHttp {

    private OutboundHttp() {}

    /**
     * Where to send: the endpoint URI (the configured URL without its query, plus the hub's endpoint options) and
     * the URL's own query, which goes out as the request's ({@link #applyQuery}): camel-http drops parameters it
     * does not know from an endpoint URI, and a route's {@code toD} parameters would follow a query with a second '?'.
     */
    public record Endpoint(String uri, String query) {
        /** The configured URL's query on the request (nothing when it had none). */
        public void applyQuery(Message message) {
            if (query != null) {
                message.setHeader(Exchange.HTTP_QUERY, query);
            }
        }
    }

    /** {@code url} with connect, response and pool-wait timeouts of {@code timeoutMs} each, and more endpoint options ({@code name=value}). */
    public static Endpoint endpoint(String url, int timeoutMs, String... options) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String query = q < 0 || q == url.length() - 1 ? null : url.substring(q + 1);
        StringBuilder uri = new StringBuilder(base).append("?connectTimeout=").append(timeoutMs)
                .append("&responseTimeout=").append(timeoutMs).append("&connectionRequestTimeout=").append(timeoutMs);
        for (String option : options) {
            uri.append('&').append(option);
        }
        return new Endpoint(uri.toString(), query);
    }
}
