package org.handoff.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP receiver standing in for a channel or a WMS: records every request and answers with
 * the status set by the test (e.g. 503 to simulate an outage).
 */
public final class HttpReceiver implements AutoCloseable {

    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
        /** The first value of a header, its name in any case; null when absent. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger nextStatus = new AtomicInteger(200);
    private final AtomicInteger nextAnswers = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long hangMs;
    private volatile String retryAfter;
    private volatile String refusedText;
    private volatile int refusedStatus;
    private final AtomicInteger refusedBodies = new AtomicInteger();
    private final AtomicInteger handling = new AtomicInteger();

    public HttpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            handling.incrementAndGet();
            try {
                handle(exchange);
            } finally {
                handling.decrementAndGet();
            }
        });
        server.start();
    }

    private void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.incrementAndGet();
        if (hangMs > 0) {
            // accepted and read, then no answer for a while (or until hang(0)): the sender gives up first
            synchronized (this) {
                try {
                    long until = System.currentTimeMillis() + hangMs;
                    for (long left = hangMs; hangMs > 0 && left > 0; left = until - System.currentTimeMillis()) {
                        wait(left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.close();
            return;
        }
        int answer = nextAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? nextStatus.get() : status.get();
        String refused = refusedText;
        if (refused != null && body.contains(refused)) {
            answer = refusedStatus;
            refusedBodies.incrementAndGet();
        }
        if (answer < 400) {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
        }
        byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (retryAfter != null && answer >= 400) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(answer, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    /** Base URL, e.g. http://127.0.0.1:12345 */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answer every following request with this status (requests refused with 4xx or 5xx are not recorded as received). */
    public void answer(int httpStatus) {
        status.set(httpStatus);
    }

    /** Answer the next {@code times} requests with this status, then as {@link #answer} says. */
    public void answerNext(int httpStatus, int times) {
        nextStatus.set(httpStatus);
        nextAnswers.set(times);
    }

    /** Requests answered with {@link #answerNext}'s status so far still to come (0 once they all came). */
    public int nextAnswersLeft() {
        return nextAnswers.get();
    }

    /**
     * Every following request is read and then left without an answer for {@code millis} (a receiver that
     * accepts and hangs; requests wait their turn behind it); 0 answers again, ending the hang under way.
     * Hung requests are not recorded.
     */
    public synchronized void hang(long millis) {
        hangMs = millis;
        notifyAll();
    }

    /** Refusals (4xx, 5xx) from now on carry {@code Retry-After: <value>} (seconds or an HTTP date); null: none. */
    public void retryAfter(String value) {
        retryAfter = value;
    }

    /**
     * Every following request whose body contains {@code text} is answered {@code httpStatus} (a channel that refuses
     * a whole request for one value it does not take, e.g. a SKU it does not list); null text: none.
     */
    public void refuseBodiesContaining(String text, int httpStatus) {
        refusedStatus = httpStatus;
        refusedText = text;
    }

    /** Requests answered by {@link #refuseBodiesContaining} so far. */
    public int refusedBodies() {
        return refusedBodies.get();
    }

    /** Whether a request is being handled right now (a hung one included). */
    public boolean busy() {
        return handling.get() > 0;
    }

    /** Every request so far, refused ones included. */
    public int requests() {
        return requests.get();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void clear() {
        received.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
