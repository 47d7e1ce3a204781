package org.handoff.api;

import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.handoff.Wiring;

/**
 * Answers the HTTP server's own refusals (no such path or method, body over the server limit) in
 * the same JSON error shape as the routes do, instead of Vert.x's plain-text pages.
 */
public final class JsonHttpErrors implements Wiring.ContextAware {

    private final int port;

    public JsonHttpErrors(int port) {
        this.port = port;
    }

    /**
     * The Vert.x router of the business port, once the context has started (null before): where handlers that must
     * run outside any route are added (this class's, and the webhooks' raw form bodies).
     */
    public static VertxPlatformHttpRouter router(CamelContext context, int port) {
        return VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
    }

    @Override
    public void started(CamelContext context) {
        VertxPlatformHttpRouter router = router(context, port);
        if (router == null) {
            return;
        }
        // last in line: only requests no route took (unknown path, or a method the path does not take)
        router.route().order(Integer.MAX_VALUE).handler(ctx -> answer(ctx, 404, "NOT_FOUND",
                "no endpoint for " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(413, ctx -> answer(ctx, 413, "PAYLOAD_TOO_LARGE", "request body too large"));
        // the body handler refuses a body over camel.server.maxBodySize in front of the routes: its failure reaches
        // failure handlers of this router's routes, not the router's error handler (Vert.x's plain-text page was sent)
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                answer(ctx, 413, "PAYLOAD_TOO_LARGE", "request body too large");
            } else {
                ctx.next();
            }
        });
    }

    private static void answer(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().headWritten()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Json.write(HttpReplies.error(code, message)));
    }
}
