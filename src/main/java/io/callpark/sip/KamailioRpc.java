package io.callpark.sip;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * What Kamailio knows of a user, over its JSON-RPC (HTTP, POST /RPC on the proxy's TCP listener, allowed only
 * sealed by an app node, {@link ProxySeal#rpcSeal}): whether a device is registered ({@code ul.lookup}) and whether the user is in a call
 * ({@code dlg.profile_get_size busy}). Blocking with a short timeout: called from a call's lane, never from a SIP
 * stack thread. Empty when Kamailio cannot tell (unreachable, error): the caller decides what that means.
 */
public final class KamailioRpc {

    /** Looked up once: {@code Json.createX} looks the provider up with a ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(KamailioRpc.class.getName());
    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final URI endpoint;
    private final ProxySeal seal;
    private final AtomicLong ids = new AtomicLong();

    public KamailioRpc(URI endpoint, ProxySeal seal) {
        this.endpoint = endpoint;
        this.seal = seal;
    }

    /** Whether at least one device of {@code user@domain} is registered. */
    public Optional<Boolean> registered(String aor) {
        return call("ul.lookup", "\"location\", \"" + aor + "\"").map(reply -> reply.containsKey("result"));
    }

    /** Whether {@code user@domain} is in a call through Kamailio (or one ringing). */
    public Optional<Boolean> busy(String aor) {
        return call("dlg.profile_get_size", "\"busy\", \"" + aor + "\"")
                .filter(reply -> reply.containsKey("result"))
                .map(reply -> reply.getJsonNumber("result").intValue() > 0);
    }

    /**
     * Which of {@code numbers} (digits) are users of {@code tenant}, as Kamailio's subscriber table says; empty when
     * Kamailio cannot tell.
     */
    public Optional<Set<String>> usersAmong(String tenant, Collection<String> numbers) {
        return post(endpoint.resolve("/subscribers"), "text/plain", tenant + "\n" + String.join("\n", numbers) + "\n",
                "/subscribers")
                .filter(response -> response.statusCode() == 200)
                .map(response -> response.body().lines().map(String::strip).filter(l -> !l.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()));
    }

    private static Optional<JsonObject> jsonObject(String body) {
        try (JsonReader reader = JSON.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            return value instanceof JsonObject object ? Optional.of(object) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<JsonObject> call(String method, String params) {
        String body = "{\"jsonrpc\": \"2.0\", \"method\": \"" + method + "\", \"params\": [" + params + "], \"id\": "
                + ids.incrementAndGet() + "}";
        // an RPC error (e.g. "AOR not found" of ul.lookup) comes as HTTP 500 with a JSON-RPC error object
        return post(endpoint, "application/json", body, "JSON-RPC " + method).flatMap(response -> {
            Optional<JsonObject> reply = jsonObject(response.body())
                    .filter(o -> o.containsKey("result") || o.containsKey("error"));
            if (reply.isEmpty()) {
                LOG.warning("Kamailio JSON-RPC " + method + ": HTTP " + response.statusCode() + ", no JSON-RPC reply");
            }
            return reply;
        });
    }

    /** POSTs a sealed body; empty when Kamailio did not answer. */
    private Optional<HttpResponse<String>> post(URI uri, String type, String body, String what) {
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", type)
                    .header(ProxySeal.HEADER, seal.rpcSeal(body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException | RuntimeException e) {
            LOG.warning("Kamailio " + what + " failed: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
