package io.callpark.event;

import com.sun.net.httpserver.HttpServer;
import io.callpark.config.CallparkConfig;
import io.callpark.config.IpNet;
import io.callpark.config.WebhookPolicy;
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
    /** The receiver's loopback address is allow-listed, with plain http, as a node's operator would. */
    private static final WebhookDestinations LOOPBACK_ALLOWED = allowing(host -> List.of(InetAddress.ofLiteral(host)));

    private static WebhookDestinations allowing(WebhookDestinations.Resolver dns) {
        List<IpNet> loopback = List.of(IpNet.parse("127.0.0.0/8").orElseThrow());
        return new WebhookDestinations(new WebhookPolicy(loopback, Set.of(), loopback, Set.of(), false, Set.of(9990),
                new CallparkConfig.HostPort("127.0.0.1", 5060)), Set.of(), dns);
    }

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
        sender = new WebhookSender(Executors.newVirtualThreadPerTaskExecutor(), timers, LOOPBACK_ALLOWED);
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

    @Test
    void aNameThatResolvesToAForbiddenAddressAtDeliveryIsNotDeliveredTo() throws Exception {
        // registered while hooks.example.com was public; by the delivery it points at the receiver on loopback
        java.util.concurrent.atomic.AtomicReference<String> dns = new java.util.concurrent.atomic.AtomicReference<>(
                "93.184.216.34");
        WebhookDestinations strict = new WebhookDestinations(WebhookPolicy.strict(Set.of(9990),
                new CallparkConfig.HostPort("127.0.0.1", 5060)), Set.of(),
                host -> List.of(InetAddress.ofLiteral(host.equals("hooks.example.com") ? dns.get() : host)));
        String url = "https://hooks.example.com:" + receiver.getAddress().getPort() + "/hook";
        assertTrue(strict.check(java.net.URI.create(url)).allowed(), "when it was registered");
        dns.set("127.0.0.1");
        sender.close();
        sender = new WebhookSender(Executors.newVirtualThreadPerTaskExecutor(), timers, strict);

        sender.deliver(new Webhook("h9", "acme.test", url, SECRET, List.of(), Instant.now()),
                new EventJournal.Entry("ev-9", "acme.test", "{}"), "parked");

        assertTrue(io.callpark.testing.Wait.until(() -> sender.inFlight() == 0, java.time.Duration.ofSeconds(10)),
                "the delivery was given up");
        assertNull(posts.poll(100, TimeUnit.MILLISECONDS), "nothing reached the loopback receiver");
    }

    @Test
    void plainHttpGoesToTheCheckedAddressAndKeepsTheUrlsHost() throws InterruptedException {
        // hooks.internal.test exists in no DNS: only the checked address can have been connected to
        sender.close();
        sender = new WebhookSender(Executors.newVirtualThreadPerTaskExecutor(), timers, allowing(host ->
                List.of(InetAddress.ofLiteral(host.equals("hooks.internal.test") ? "127.0.0.1" : host))));
        int port = receiver.getAddress().getPort();

        sender.deliver(new Webhook("h8", "acme.test", "http://hooks.internal.test:" + port + "/hook?t=1", SECRET,
                List.of(), Instant.now()), new EventJournal.Entry("ev-8", "acme.test", "{}"), "parked");

        Received post = posts.poll(10, TimeUnit.SECONDS);
        assertNotNull(post, "the receiver got no POST");
        assertEquals("hooks.internal.test:" + port, post.header("Host"));
    }

    @Test
    void httpsConnectsToTheCheckedAddressAndNamesTheUrlsHostInTls() throws Exception {
        try (java.net.ServerSocket tls = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tls.setSoTimeout(10_000);
            sender.close();
            sender = new WebhookSender(Executors.newVirtualThreadPerTaskExecutor(), timers, allowing(host ->
                    List.of(InetAddress.ofLiteral(host.equals("hooks.internal.test") ? "127.0.0.1" : host))));

            sender.deliver(new Webhook("h7", "acme.test", "https://hooks.internal.test:" + tls.getLocalPort()
                    + "/hook", SECRET, List.of(), Instant.now()), new EventJournal.Entry("ev-7", "acme.test", "{}"),
                    "parked");

            try (java.net.Socket client = tls.accept()) {
                client.setSoTimeout(10_000);
                byte[] hello = new byte[2048];
                int read = client.getInputStream().read(hello);
                assertTrue(read > 5 && hello[0] == 0x16, "a TLS handshake record");
                String text = new String(hello, 0, read, StandardCharsets.ISO_8859_1);
                assertTrue(text.contains("hooks.internal.test"), "the ClientHello names the URL's host (SNI)");
            }
        }
    }
}
