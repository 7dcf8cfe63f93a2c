package io.callpark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A client of the REST API under /callpark/api, as an operator's script would use it: plain HTTP on the node's
 * loopback port, or HTTPS ({@link #overHttps}) trusting the certificates its SSLContext trusts.
 */
public final class ApiClient {

    /** One HTTP exchange: status, content type and body. */
    public record Reply(int status, String contentType, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }

        /** Whether a problem+json names this field and rule in its errors. */
        public boolean names(String field, String rule) {
            for (JsonNode error : json().path("errors")) {
                if (error.path("field").asText().equals(field) && error.path("rule").asText().equals(rule)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final Optional<String> key;

    public ApiClient(String base, String key) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base, key);
    }

    private ApiClient(HttpClient http, String base, String key) {
        this.http = http;
        this.base = base;
        this.key = Optional.ofNullable(key);
    }

    /** An HTTPS client of {@code base} (https://...) whose TLS trusts what {@code tls} trusts, host name checked. */
    public static ApiClient overHttps(String base, String key, javax.net.ssl.SSLContext tls) {
        return new ApiClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build(),
                base, key);
    }

    /** The client of the test server (Arquillian's managed WildFly), with the operator key. */
    public static ApiClient operator() {
        return new ApiClient(testServerBase(), System.getProperty("callpark.it.api.key"));
    }

    public static String testServerBase() {
        return "http://127.0.0.1:" + System.getProperty("callpark.it.http.port", "8080") + "/callpark/api";
    }

    /** The test server's event stream (SSE) of a tenant. */
    public static String testServerEvents(String tenant) {
        return testServerBase() + "/tenants/" + tenant + "/events";
    }

    /** The test server's API over HTTPS, on the address it is published on (jboss.bind.address). */
    public static String testServerHttpsBase() {
        return "https://" + System.getProperty("callpark.it.api.address", "127.0.0.1") + ":"
                + System.getProperty("callpark.it.https.port", "8443") + "/callpark/api";
    }

    public ApiClient withKey(String other) {
        return new ApiClient(http, base, other);
    }

    public Reply get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    public Reply put(String path, String json) throws Exception {
        return send("PUT", path, json, "application/json");
    }

    public Reply patch(String path, String json) throws Exception {
        return send("PATCH", path, json, "application/json");
    }

    public Reply post(String path, String json) throws Exception {
        return send("POST", path, json, "application/json");
    }

    public Reply delete(String path) throws Exception {
        return send("DELETE", path, null, null);
    }

    /** A JSON body sent chunked: no Content-Length tells the server its size before it reads it. */
    public Reply putChunked(String path, String json) throws Exception {
        byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .method("PUT", HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)))
                .header("Content-Type", "application/json");
        key.ifPresent(k -> request.header("Authorization", "Bearer " + k));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), response);
    }

    /** A binary body (an upload), sent with its length, or chunked (the server learns its size only by reading). */
    public Reply sendBytes(String method, String path, byte[] body, String contentType, boolean chunked)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, chunked
                        ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType);
        key.ifPresent(k -> request.header("Authorization", "Bearer " + k));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), response);
    }

    public Reply send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        key.ifPresent(k -> request.header("Authorization", "Bearer " + k));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), response);
    }
}
