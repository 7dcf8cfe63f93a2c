package io.callpark.rest;

import jakarta.inject.Named;
import java.util.concurrent.ScheduledExecutorService;
import io.callpark.store.EventJournal;
import io.callpark.store.TenantStore;
import io.callpark.store.ApiKeyStore;
import io.callpark.store.OperatorKeyStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * This node's Server-Sent Events streams, per tenant. Every event of the cluster reaches them through the
 * journal's feed; a client that reconnects with {@code Last-Event-ID} first gets the events it missed. A comment
 * every 15 s keeps proxies from closing idle streams and finds clients that went away.
 */
@ApplicationScoped
public class EventStreams {

    /** Looked up once: {@code Json.createX} looks the provider up with a ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(EventStreams.class.getName());
    static final int MAX_PER_TENANT = 20;
    private static final long KEEP_ALIVE_S = 15;
    private static final long RECONNECT_MS = 2000;

    @Inject
    EventJournal journal;

    @Inject
    ApiKeyStore apiKeys;

    @Inject
    OperatorKeyStore operatorKeys;

    @Inject
    TenantStore tenants;

    @Inject
    @Named("timers")
    ScheduledExecutorService timers;

    private final Map<String, Set<Stream>> byTenant = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> keepAlive;
    private final List<AutoCloseable> watches = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One client's stream; sends are serialised, and ids it was sent on catch-up are not sent twice. */
    private static final class Stream {
        final String tenant;
        /** the tenant key it was opened with (empty: the operator's): its revocation closes the stream */
        final Optional<String> keyHash;
        final SseEventSink sink;
        final Sse sse;
        final Set<String> caughtUp;

        Stream(String tenant, Optional<String> keyHash, SseEventSink sink, Sse sse, Set<String> caughtUp) {
            this.tenant = tenant;
            this.keyHash = keyHash;
            this.sink = sink;
            this.sse = sse;
            this.caughtUp = caughtUp;
        }

        /** Sends in order; the stage fails when the client has gone. */
        synchronized CompletionStage<?> send(OutboundSseEvent event) {
            if (sink.isClosed()) {
                return CompletableFuture.failedFuture(new IllegalStateException("stream closed"));
            }
            return sink.send(event);
        }
    }

    /** Starts streaming the tenant's events to the client; 429 when the tenant has too many streams open here. */
    void open(String tenant, Optional<String> keyHash, SseEventSink sink, Sse sse, Optional<String> lastEventId) {
        startOnce();
        Set<Stream> streams = byTenant.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet());
        List<EventJournal.Entry> missed = lastEventId.map(id -> journal.after(tenant, id)).orElse(List.of());
        Stream stream = new Stream(tenant, keyHash, sink, sse, ConcurrentHashMap.newKeySet());
        missed.forEach(e -> stream.caughtUp.add(e.id()));
        boolean admitted;
        synchronized (streams) {
            admitted = streams.size() < MAX_PER_TENANT && streams.add(stream);
        }
        if (!admitted) {
            // thrown before anything was sent on the sink, so the client gets the problem, not an empty stream
            throw new ProblemException(Response.fromResponse(Problem.of(Response.Status.TOO_MANY_REQUESTS,
                    "too-many-streams", "Too many event streams", "tenant " + tenant + " has " + MAX_PER_TENANT
                            + " event streams open on this node already")).header("Retry-After", "30").build());
        }
        // added before the catch-up: an event published meanwhile is sent either way, once
        stream.send(sse.newEventBuilder().comment("callpark events of " + tenant).reconnectDelay(RECONNECT_MS)
                .build());
        missed.forEach(e -> send(stream, e, typeOf(e)));
        LOG.info("tenant " + tenant + ": event stream opened (" + streams.size() + " here), " + missed.size()
                + " missed event(s) sent");
    }

    private void publish(EventJournal.Entry event) {
        Set<Stream> streams = byTenant.getOrDefault(event.tenant(), Set.of());
        if (streams.isEmpty()) {
            return;
        }
        String type = typeOf(event);
        for (Stream stream : streams) {
            if (!stream.caughtUp.remove(event.id())) {
                send(stream, event, type);
            }
        }
    }

    private static String typeOf(EventJournal.Entry event) {
        try (JsonReader reader = JSON.createReader(new StringReader(event.json()))) {
            return reader.readObject().getString("type", "message");
        }
    }

    private void send(Stream stream, EventJournal.Entry event, String type) {
        deliver(stream, stream.sse.newEventBuilder().id(event.id()).name(type)
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(event.json()).build());
    }

    private void deliver(Stream stream, OutboundSseEvent event) {
        try {
            stream.send(event).whenComplete((ok, error) -> {
                if (error != null) {
                    drop(stream);
                }
            });
        } catch (RuntimeException e) {
            drop(stream);
        }
    }

    private void drop(Stream stream) {
        drop(stream, "the client went");
    }

    private void drop(Stream stream, String why) {
        Set<Stream> streams = byTenant.get(stream.tenant);
        if (streams != null && streams.remove(stream)) {
            stream.sink.close();
            LOG.info("tenant " + stream.tenant + ": event stream closed, " + why + " (" + streams.size()
                    + " left here)");
        }
    }

    /** A revoked (or retired operator) key's streams close at once, on every node: the key sees nothing now. */
    private void keyRevoked(String keyHash) {
        byTenant.values().forEach(streams -> streams.stream().filter(s -> s.keyHash.filter(keyHash::equals)
                .isPresent()).forEach(s -> CompletableFuture.runAsync(() -> drop(s, "its key was revoked"))));
    }

    /** A deleted tenant's streams close at once, on every node. */
    private void tenantDeleted(String tenant) {
        byTenant.getOrDefault(tenant, Set.of())
                .forEach(s -> CompletableFuture.runAsync(() -> drop(s, "the tenant was deleted")));
    }

    private synchronized void startOnce() {
        if (keepAlive == null) {
            journal.subscribe(this::publish);
            watches.add(apiKeys.whenRevoked(this::keyRevoked));
            watches.add(operatorKeys.whenRetired(this::keyRevoked));
            watches.add(tenants.whenDeleted(this::tenantDeleted));
            keepAlive = timers.scheduleWithFixedDelay(this::keepAlive, KEEP_ALIVE_S,
                    KEEP_ALIVE_S, TimeUnit.SECONDS);
        }
    }

    private void keepAlive() {
        byTenant.values().forEach(streams -> streams.forEach(s ->
                deliver(s, s.sse.newEventBuilder().comment("keep-alive").build())));
    }

    @PreDestroy
    void closeAll() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        for (AutoCloseable watch : watches) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.fine("event streams: " + e.getMessage());
            }
        }
        // RESTEasy's close waits for the response to complete; at undeploy Undertow has already let go of the
        // web context, and that wait never ends (measured: the whole undeploy hung). Closed without waiting.
        byTenant.values().forEach(streams -> streams.forEach(s -> CompletableFuture.runAsync(s.sink::close)));
        byTenant.clear();
    }
}
