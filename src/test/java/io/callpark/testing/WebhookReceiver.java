package io.callpark.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** An application's webhook endpoint on loopback: records every POST and fails the first ones when asked. */
public final class WebhookReceiver implements AutoCloseable {

    /** One POST as received. */
    public record Delivery(Map<String, List<String>> headers, String path, String body, int answered) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse("");
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresLeft;

    /** @param failFirst how many POSTs to answer 500 before answering 204 */
    public WebhookReceiver(int failFirst) throws IOException {
        this(failFirst, 0, "/hook");
    }

    /** Listens on a given port (0: any free one) and path prefix. */
    public WebhookReceiver(int failFirst, int port, String path) throws IOException {
        failuresLeft = new AtomicInteger(failFirst);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext(path, exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
            deliveries.add(new Delivery(Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestURI().getPath(),
                    body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public Optional<Delivery> await(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(deliveries.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
