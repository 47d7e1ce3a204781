package org.handoff.webhook;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * platform-http turns a form-encoded body into form fields and gives the route no body at all, but a
 * webhook signature is over the exact bytes received, whatever the content type. This Vert.x handler
 * runs after the body handler and before Camel's consumer (platform-http engine handlers) and keeps
 * the raw bytes of form-encoded requests to {@code /webhooks/} until the answer is written.
 */
public final class RawFormBodies implements Handler<RoutingContext> {

    private static final Map<HttpServerRequest, byte[]> BODIES = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String type = request.getHeader("Content-Type");
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                && request.path() != null && request.path().startsWith("/webhooks/")) {
            Buffer body = ctx.body() == null ? null : ctx.body().buffer();
            BODIES.put(request, body == null ? new byte[0] : body.getBytes());
            ctx.addEndHandler(done -> BODIES.remove(request));
        }
        ctx.next();
    }

    /** The raw bytes of this exchange's form-encoded request, if it was one. */
    public static Optional<byte[]> of(Exchange exchange) {
        if (exchange.getMessage() instanceof HttpMessage http && http.getRequest() != null) {
            return Optional.ofNullable(BODIES.get(http.getRequest()));
        }
        if (exchange.getIn() instanceof HttpMessage http && http.getRequest() != null) {
            return Optional.ofNullable(BODIES.get(http.getRequest()));
        }
        return Optional.empty();
    }
}
