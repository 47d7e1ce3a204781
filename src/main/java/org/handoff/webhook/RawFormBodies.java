package org.handoff.webhook;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.handoff.Wiring;

/**
 * platform-http turns a form-encoded body into form fields and gives the route no body at all, but a
 * webhook signature is over the exact bytes received, whatever the content type. For a form-encoded request
 * to {@code /webhooks/} this keeps the raw bytes, and keeps Vert.x from decoding the form at all:
 * <ul>
 *   <li>before the body handler (a router route ahead of every other, installed when the context has started),
 *       the request's Content-Type is set aside, so that the body handler reads the body as plain bytes.
 *       Decoding it would refuse a field over 8 KiB or more than 256 fields with Vert.x's plain-text 400 before
 *       any route ran, so before the signature check: an unsigned request got 400 instead of 401, and a signed
 *       one never reached the route;</li>
 *   <li>after the body handler and before Camel's consumer (platform-http engine handlers), the Content-Type is
 *       put back and the raw bytes kept until the answer is written ({@link #of}).</li>
 * </ul>
 */
public final class RawFormBodies implements Handler<RoutingContext>, Wiring.ContextAware {

    private static final Map<HttpServerRequest, byte[]> BODIES = Collections.synchronizedMap(new WeakHashMap<>());
    /** The Content-Type set aside before the body handler, in the routing context. */
    private static final String SET_ASIDE = "handoff.formContentType";
    private static final String CONTENT_TYPE = "Content-Type";

    private final int port;

    /** @param port the business HTTP port ({@code camel.server.port}), whose router the webhooks are on */
    public RawFormBodies(int port) {
        this.port = port;
    }

    private static boolean formToWebhooks(HttpServerRequest request) {
        String type = request.getHeader(CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                && request.path() != null && request.path().startsWith("/webhooks/");
    }

    @Override
    public void started(CamelContext context) {
        VertxPlatformHttpRouter router = org.handoff.api.JsonHttpErrors.router(context, port);
        if (router == null) {
            return;
        }
        // ahead of every route's body handler: with no form content type, it reads the body as bytes, undecoded
        router.route("/webhooks/*").order(Integer.MIN_VALUE).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            if (formToWebhooks(request)) {
                ctx.put(SET_ASIDE, request.getHeader(CONTENT_TYPE));
                request.headers().set(CONTENT_TYPE, "application/octet-stream");
            }
            ctx.next();
        });
    }

    /** After the body handler: the Content-Type back as sent, and the raw bytes kept for the route. */
    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String setAside = ctx.get(SET_ASIDE);
        if (setAside != null) {
            request.headers().set(CONTENT_TYPE, setAside);
        }
        if (formToWebhooks(request)) {
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
