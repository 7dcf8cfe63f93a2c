package io.callpark.event;

import io.callpark.store.EventJournal;
import io.callpark.store.WebhookStore.Webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * POSTs each event to the tenant's webhooks, signed, and tries again with growing pauses when the receiver does
 * not answer 2xx. Never blocks the caller: requests are asynchronous and pauses are timers. Deliveries in flight
 * are bounded; past the bound new ones are dropped with a warning rather than let memory grow.
 * Delivery is at least once while this node lives: the node whose call changed sends the webhook.
 */
public final class WebhookSender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class.getName());
    public static final String SIGNATURE = "Callpark-Signature";
    public static final int MAX_ATTEMPTS = 6;
    static final long FIRST_PAUSE_MS = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_IN_FLIGHT = 10_000;

    private final HttpClient http;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService timers;
    private final AtomicInteger inFlight = new AtomicInteger();

    public WebhookSender(ExecutorService httpThreads, ScheduledExecutorService timers) {
        this.httpThreads = httpThreads;
        this.timers = timers;
        this.http = HttpClient.newBuilder().executor(httpThreads).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public void deliver(Webhook hook, EventJournal.Entry event, String type) {
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            LOG.warning("tenant " + hook.tenant() + ": webhook " + hook.id() + " event " + event.id()
                    + " dropped, " + MAX_IN_FLIGHT + " deliveries already in flight");
            return;
        }
        attempt(hook, event, type, 1);
    }

    private void attempt(Webhook hook, EventJournal.Entry event, String type, int attempt) {
        long now = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(URI.create(hook.url()))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Callpark-Event", type)
                .header("Callpark-Event-Id", event.id())
                .header("Callpark-Delivery-Attempt", String.valueOf(attempt))
                .header(SIGNATURE, "t=" + now + ",v1=" + sign(hook.secret(), now, event.json()))
                .POST(HttpRequest.BodyPublishers.ofString(event.json()))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                inFlight.decrementAndGet();
                return;
            }
            String why = error != null ? error.getClass().getSimpleName() + " " + error.getMessage()
                    : "answered " + response.statusCode();
            if (attempt >= MAX_ATTEMPTS) {
                inFlight.decrementAndGet();
                LOG.warning("tenant " + hook.tenant() + ": webhook " + hook.id() + " gave up on event " + event.id()
                        + " after " + attempt + " attempts, last " + why);
                return;
            }
            long pause = FIRST_PAUSE_MS << (attempt - 1);
            LOG.info("tenant " + hook.tenant() + ": webhook " + hook.id() + " event " + event.id() + " attempt "
                    + attempt + " " + why + ", again in " + pause + " ms");
            timers.schedule(() -> attempt(hook, event, type, attempt + 1), pause, TimeUnit.MILLISECONDS);
        });
    }

    /** Hex HMAC-SHA256 of {@code "<seconds>.<body>"} under the webhook's secret. */
    public static String sign(String secret, long seconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((seconds + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JVM", e);
        }
    }

    @Override
    public void close() {
        httpThreads.shutdownNow();
    }
}
