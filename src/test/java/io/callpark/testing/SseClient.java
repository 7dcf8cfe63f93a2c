package io.callpark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A Server-Sent Events client as an application would write one: reads the stream line by line into events. */
public final class SseClient implements AutoCloseable {

    /** One event: its id, name (event:) and data. */
    public record Event(String id, String name, String data) {
        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(data);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException("not JSON: " + data, e);
            }
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    private final List<Event> all = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile Stream<String> lines;

    private SseClient(HttpRequest request) {
        response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    }

    /** Opens {@code GET url} with the key (and Last-Event-ID when given); returns once the response headers came. */
    public static SseClient open(String url, String key, Optional<String> lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + key);
        lastEventId.ifPresent(id -> request.header("Last-Event-ID", id));
        SseClient client = new SseClient(request.build());
        HttpResponse<Stream<String>> r = client.response.get(10, TimeUnit.SECONDS);
        client.lines = r.body();
        if (r.statusCode() == 200) {
            Thread reader = new Thread(client::read, "sse-client");
            reader.setDaemon(true);
            reader.start();
        }
        return client;
    }

    public int status() throws Exception {
        return response.get().statusCode();
    }

    public String contentType() throws Exception {
        return response.get().headers().firstValue("Content-Type").orElse("");
    }

    private void read() {
        String id = null;
        String name = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        Event event = new Event(id, name, data.toString());
                        all.add(event);
                        events.add(event);
                    }
                    id = null;
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).trim());
                }
            }
        } catch (RuntimeException e) {
            // stream closed
        } finally {
            ended.countDown();
        }
    }

    /** Whether the server ended the stream within {@code timeout}. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event that matches, within the timeout; events before it that do not match are dropped. */
    public Optional<Event> await(Predicate<Event> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event next = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return Optional.empty();
            }
            if (matches.test(next)) {
                return Optional.of(next);
            }
        }
    }

    /** Every event received so far. */
    public List<Event> all() {
        return List.copyOf(all);
    }

    @Override
    public void close() {
        if (lines != null) {
            lines.close();
        }
        response.cancel(true);
    }
}
