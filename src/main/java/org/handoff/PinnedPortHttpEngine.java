package org.handoff;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * Camel 4.17 works out the business port by looking for a single Vert.x server; with the management
 * server on its own port there are two, and it falls back to 8080, so every platform-http route looks
 * for a router on 8080. Pinning the port the engine reports keeps routes on {@code camel.server.port}.
 */
public final class PinnedPortHttpEngine extends VertxPlatformHttpEngine {

    private final int port;

    public PinnedPortHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
