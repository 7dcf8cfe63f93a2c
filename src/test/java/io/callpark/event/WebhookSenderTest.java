package io.callpark.event;

import com.sun.net.httpserver.HttpServer;
import io.callpark.store.EventJournal;
import io.callpark.store.WebhookStore.Webhook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sender against a real HTTP receiver on loopback; the pauses between attempts are cut to nothing. */
class WebhookSenderTest {

    private static final String SECRET = "whsec-test-0123456789";

    /** One POST as the receiver saw it. */
    private record Received(Map<String, List<String>> headers, String body, int fromPort) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private HttpServer receiver;
    private final BlockingQueue<Received> posts = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private WebhookSender sender;
    private ScheduledThreadPoolExecutor timers;

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            posts.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body,
                    exchange.getRemoteAddress().getPort()));
            int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        timers = new ScheduledThreadPoolExecutor(1) {
            @Override
            public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                return super.schedule(command, 0, unit);
            }
        };
        sender = new WebhookSender(Executors.newVirtualThreadPerTaskExecutor(), timers);
    }

    @AfterEach
    void stop() {
        sender.close();
        timers.shutdownNow();
        receiver.stop(0);
    }

    private Webhook hook() {
        return new Webhook("h1", "acme.test", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", SECRET,
                List.of(), Instant.now());
    }

    @Test
    void postsTheEventSignedWithTheHooksSecret() throws InterruptedException {
        EventJournal.Entry event = new EventJournal.Entry("ev-1", "acme.test", "{\"type\":\"parked\"}");

        sender.deliver(hook(), event, "parked");

        Received post = posts.poll(10, TimeUnit.SECONDS);
        assertNotNull(post, "the receiver got no POST");
        assertEquals(event.json(), post.body());
        assertEquals("parked", post.header("Callpark-Event"));
        assertEquals("ev-1", post.header("Callpark-Event-Id"));
        assertEquals("1", post.header("Callpark-Delivery-Attempt"));
        String signature = post.header(WebhookSender.SIGNATURE);
        long seconds = Long.parseLong(signature.substring(2, signature.indexOf(',')));
        assertEquals("t=" + seconds + ",v1=" + WebhookSender.sign(SECRET, seconds, event.json()), signature);
    }

    @Test
    void aReceiverThatFailsIsTriedAgainUntilItAnswers2xx() throws InterruptedException {
        failuresLeft.set(2);

        sender.deliver(hook(), new EventJournal.Entry("ev-2", "acme.test", "{}"), "hung-up");

        for (String attempt : List.of("1", "2", "3")) {
            Received post = posts.poll(10, TimeUnit.SECONDS);
            assertNotNull(post, "attempt " + attempt + " never came");
            assertEquals(attempt, post.header("Callpark-Delivery-Attempt"));
            assertEquals("ev-2", post.header("Callpark-Event-Id"));
        }
        assertNull(posts.poll(300, TimeUnit.MILLISECONDS), "the third attempt was answered 204: no fourth");
    }

    @Test
    void aReceiverThatNeverAnswers2xxGetsSixAttemptsAndNoMore() throws InterruptedException {
        failuresLeft.set(Integer.MAX_VALUE);

        sender.deliver(hook(), new EventJournal.Entry("ev-3", "acme.test", "{}"), "parked");

        for (int attempt = 1; attempt <= WebhookSender.MAX_ATTEMPTS; attempt++) {
            Received post = posts.poll(10, TimeUnit.SECONDS);
            assertNotNull(post, "attempt " + attempt + " never came");
            assertEquals(String.valueOf(attempt), post.header("Callpark-Delivery-Attempt"));
        }
        assertNull(posts.poll(300, TimeUnit.MILLISECONDS), "an attempt past the last");
    }

    @Test
    void oneEventAfterAnotherGoesOutOverTheSameConnection() throws InterruptedException {
        Set<Integer> connections = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            sender.deliver(hook(), new EventJournal.Entry("ev-" + i, "acme.test", "{}"), "parked");
            Received post = posts.poll(10, TimeUnit.SECONDS);
            assertNotNull(post, "event " + i + " of 20 never arrived");
            connections.add(post.fromPort());
            // "after another": the answer read to its end, the connection back in the client's pool
            assertTrue(io.callpark.testing.Wait.until(() -> sender.inFlight() == 0, java.time.Duration.ofSeconds(10)),
                    "event " + i + " was never seen answered");
        }
        assertEquals(1, connections.size(), "20 events in a row came over " + connections.size() + " connections");
    }
}
