package io.callpark.event;

import io.callpark.store.EventJournal;
import io.callpark.store.WebhookStore.Webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.HttpsURLConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * POSTs each event to the tenant's webhooks, signed, and tries again with growing pauses when the receiver does
 * not answer 2xx. Never blocks the caller: each attempt runs on a virtual thread of its own and pauses are timers.
 * Deliveries in flight are bounded; past the bound new ones are dropped with a warning rather than let memory grow.
 * Delivery is at least once while this node lives: the node whose call changed sends the webhook.
 *
 * <p>Before each attempt the webhook's host is resolved and every address checked ({@link WebhookDestinations}):
 * a name that resolved to a public address when it was registered and to a private one now is not delivered to.
 * The attempt connects to the address checked, never to a second lookup's answer: plain http through that address
 * as if it were a proxy (the request names the URL whole, so the receiver still sees its host), https through a
 * socket pinned to it ({@link PinnedTlsSockets}: the TLS server name and certificate check stay the URL's host).
 * Redirects are never followed.
 *
 * <p>An attempt is a blocking HTTP/1.1 exchange ({@link HttpURLConnection}, whose keep-alive cache reuses the
 * connection): the write and the read are the virtual thread's own system calls. {@code java.net.http.HttpClient}
 * handed each exchange between its executor and its selector thread several times, and cost a node about a tenth
 * of its CPU at 150 park cycles/s (two events each; async-profiler, docs/benchmarks.md stop 19).
 */
public final class WebhookSender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class.getName());
    public static final String SIGNATURE = "Callpark-Signature";
    public static final int MAX_ATTEMPTS = 6;
    static final long FIRST_PAUSE_MS = 1000;
    private static final int TIMEOUT_MS = 5000;
    private static final int MAX_IN_FLIGHT = 10_000;
    /** Exchanges at once, so a slow receiver holds this many connections, not one per event in flight. */
    private static final int MAX_EXCHANGES = 32;

    private final ExecutorService attempts;
    private final ScheduledExecutorService timers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Semaphore exchanges = new Semaphore(MAX_EXCHANGES);

    private final WebhookDestinations destinations;

    public WebhookSender(ExecutorService attempts, ScheduledExecutorService timers,
                         WebhookDestinations destinations) {
        this.attempts = attempts;
        this.timers = timers;
        this.destinations = destinations;
    }

    /** Deliveries not yet ended (answered 2xx, or given up). */
    public int inFlight() {
        return inFlight.get();
    }

    public void deliver(Webhook hook, EventJournal.Entry event, String type) {
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            LOG.warning("tenant " + hook.tenant() + ": webhook " + hook.id() + " event " + event.id()
                    + " dropped, " + MAX_IN_FLIGHT + " deliveries already in flight");
            return;
        }
        submit(hook, event, type, 1);
    }

    private void submit(Webhook hook, EventJournal.Entry event, String type, int attempt) {
        try {
            attempts.execute(() -> attempt(hook, event, type, attempt));
        } catch (RejectedExecutionException stopping) {
            inFlight.decrementAndGet();
        }
    }

    private void attempt(Webhook hook, EventJournal.Entry event, String type, int attempt) {
        String why;
        try {
            int status = post(hook, event, type, attempt);
            if (status / 100 == 2) {
                inFlight.decrementAndGet();
                return;
            }
            why = "answered " + status;
        } catch (IllegalArgumentException e) {
            inFlight.decrementAndGet();
            LOG.warning("tenant " + hook.tenant() + ": webhook " + hook.id() + " gave up on event " + event.id()
                    + ": " + e.getMessage());
            return;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                inFlight.decrementAndGet(); // the node is stopping
                return;
            }
            why = e.getClass().getSimpleName() + " " + e.getMessage();
        } catch (InterruptedException e) {
            inFlight.decrementAndGet(); // the node is stopping
            return;
        }
        if (attempt >= MAX_ATTEMPTS) {
            inFlight.decrementAndGet();
            LOG.warning("tenant " + hook.tenant() + ": webhook " + hook.id() + " gave up on event " + event.id()
                    + " after " + attempt + " attempts, last " + why);
            return;
        }
        long pause = FIRST_PAUSE_MS << (attempt - 1);
        LOG.info("tenant " + hook.tenant() + ": webhook " + hook.id() + " event " + event.id() + " attempt "
                + attempt + " " + why + ", again in " + pause + " ms");
        try {
            timers.schedule(() -> submit(hook, event, type, attempt + 1), pause, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            inFlight.decrementAndGet();
        }
    }

    /** One POST of the event; the HTTP status the receiver answered. */
    private int post(Webhook hook, EventJournal.Entry event, String type, int attempt)
            throws IOException, InterruptedException {
        byte[] body = event.json().getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis() / 1000;
        URI url = URI.create(hook.url());
        WebhookDestinations.Checked checked = destinations.check(url);
        if (checked.unresolved()) {
            throw new IOException(checked.refusals().get(0).detail());
        }
        if (!checked.allowed()) {
            throw new IllegalArgumentException("refused: " + String.join("; ", checked.refusals().stream()
                    .map(r -> r.rule() + ": " + r.detail()).toList()));
        }
        InetSocketAddress target = new InetSocketAddress(checked.addresses().get(0), checked.port());
        exchanges.acquire();
        try {
            HttpURLConnection http = open(url, target);
            http.setConnectTimeout(TIMEOUT_MS);
            http.setReadTimeout(TIMEOUT_MS);
            http.setInstanceFollowRedirects(false);
            http.setUseCaches(false);
            http.setRequestMethod("POST");
            http.setDoOutput(true);
            http.setFixedLengthStreamingMode(body.length);
            http.setRequestProperty("Content-Type", "application/json");
            http.setRequestProperty("Callpark-Event", type);
            http.setRequestProperty("Callpark-Event-Id", event.id());
            http.setRequestProperty("Callpark-Delivery-Attempt", String.valueOf(attempt));
            http.setRequestProperty(SIGNATURE, "t=" + now + ",v1=" + sign(hook.secret(), now, event.json()));
            try (OutputStream out = http.getOutputStream()) {
                out.write(body);
            }
            int status = http.getResponseCode();
            // read to the end, so the connection goes back to the keep-alive cache for the next event
            try (InputStream answer = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
                if (answer != null) {
                    answer.transferTo(OutputStream.nullOutputStream());
                }
            }
            return status;
        } finally {
            exchanges.release();
        }
    }

    /** A connection to {@code url} that reaches {@code target} whatever the host resolves to by then. */
    private static HttpURLConnection open(URI url, InetSocketAddress target) throws IOException {
        if ("https".equalsIgnoreCase(url.getScheme())) {
            HttpsURLConnection https = (HttpsURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
            https.setSSLSocketFactory(PinnedTlsSockets.to(target.getAddress()));
            return https;
        }
        // absolute-form request line (RFC 9112 3.2.2: every server accepts it), Host from the URL
        return (HttpURLConnection) url.toURL().openConnection(new Proxy(Proxy.Type.HTTP, target));
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
        attempts.shutdownNow();
    }
}
