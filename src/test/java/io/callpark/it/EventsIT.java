package io.callpark.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.callpark.testing.LogTail;
import io.callpark.testing.ApiClient.Reply;
import io.callpark.testing.ApiClient;
import io.callpark.testing.SseClient;
import io.callpark.testing.TestPhone.Call;
import io.callpark.testing.TestPhone;
import io.callpark.testing.WebhookReceiver;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static io.callpark.testing.TestNetwork.ACME;
import static io.callpark.testing.TestNetwork.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 4: the tenant's event stream (SSE) and webhooks, driven by real parks and retrieves through Kamailio. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EventsIT extends PhonesOnTestNetwork {

    private final ApiClient operator = ApiClient.operator();
    private final String operatorKey = System.getProperty("callpark.it.api.key");

    @Test
    void aStreamClosesAtOnceWhenItsKeyIsRevokedOrItsTenantDeleted() throws Exception {
        String tenant = "/tenants/streams.test";
        assertEquals(201, operator.put(tenant, "{}").status());
        try {
            Reply issued = operator.post(tenant + "/keys", null);
            String key = issued.json().path("key").asText();
            try (SseClient byKey = SseClient.open(ApiClient.testServerEvents("streams.test"), key, Optional.empty());
                 SseClient byOperator = SseClient.open(ApiClient.testServerEvents("streams.test"), operatorKey,
                         Optional.empty())) {
                assertEquals(200, byKey.status());
                assertEquals(200, byOperator.status());
                assertEquals(204, operator.delete(tenant + "/keys/" + issued.json().path("id").asText()).status());
                assertTrue(byKey.awaitEnd(Duration.ofSeconds(5)), "the revoked key's stream ends");
                assertFalse(byOperator.awaitEnd(Duration.ofMillis(500)), "the operator's goes on");
                assertEquals(204, operator.delete(tenant).status());
                assertTrue(byOperator.awaitEnd(Duration.ofSeconds(5)), "and ends when the tenant is deleted");
            }
        } finally {
            operator.delete(tenant);
        }
    }

    @Test
    void theStreamCarriesTheTenantsEventsAndCatchesUpAfterAReconnect() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone desk103 = phone("103");
        TestPhone eve = phone("eve", GLOBEX);
        String firstId;
        try (SseClient stream = SseClient.open(ApiClient.testServerEvents(ACME), operatorKey, Optional.empty())) {
            assertEquals(200, stream.status());
            assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
            Call elsewhere = eve.call("sip:*68103@" + GLOBEX);
            assertEquals(200, elsewhere.status(), "a park in another tenant");
            Call parked = carol.call("sip:*68103@" + ACME);
            assertEquals(200, parked.status());

            SseClient.Event event = stream.await(e -> e.name().equals("parked")
                            && e.json().path("parked").path("uri").asText().equals("sip:carol@acme.test"), WAIT)
                    .orElseThrow(() -> new AssertionError("no event after a park"));
            JsonNode json = event.json();
            assertEquals(event.id(), json.path("id").asText());
            assertEquals("parked", json.path("type").asText());
            assertEquals(ACME, json.path("tenant").asText());
            assertEquals("103", json.path("extension").asText());
            assertEquals("sip:carol@acme.test", json.path("parked").path("uri").asText());
            assertEquals("sip:carol@acme.test", json.path("parker").path("uri").asText());
            assertTrue(json.path("parkId").asText().matches("[0-9]{6}"), json.toString());
            assertFalse(json.path("time").asText().isEmpty());
            firstId = event.id();

            Call retrieve = desk103.call("sip:*88@" + ACME);
            assertEquals(200, retrieve.status());
            SseClient.Event retrieved = stream.await(e -> e.name().equals("retrieved"), WAIT)
                    .orElseThrow(() -> new AssertionError("no retrieved event"));
            assertEquals(json.path("parkId").asText(), retrieved.json().path("parkId").asText());
            assertEquals("sip:103@acme.test", retrieved.json().path("by").path("uri").asText());
            retrieve.bye();
            elsewhere.bye();
            assertTrue(stream.all().stream().allMatch(e -> e.json().path("tenant").asText().equals(ACME)),
                    "globex's events never reach acme's stream: " + stream.all());
        }
        try (SseClient again = SseClient.open(ApiClient.testServerEvents(ACME), operatorKey, Optional.of(firstId))) {
            SseClient.Event missed = again.await(e -> true, WAIT)
                    .orElseThrow(() -> new AssertionError("nothing replayed after Last-Event-ID"));
            assertEquals("retrieved", missed.name(), "a reconnecting client gets what came after its last id");
        }
    }

    @Test
    void streamsNeedAKeyOfTheirTenant() throws Exception {
        assertEquals(201, operator.put("/tenants/" + GLOBEX, "{}").status());
        try {
            String globexKey = operator.post("/tenants/" + GLOBEX + "/keys", null).json().path("key").asText();
            try (SseClient foreign = SseClient.open(ApiClient.testServerEvents(ACME), globexKey, Optional.empty());
                 SseClient none = SseClient.open(ApiClient.testServerEvents(ACME), "no-such-key", Optional.empty())) {
                assertEquals(404, foreign.status(), "another tenant's stream does not exist for this key");
                assertEquals(401, none.status());
            }
        } finally {
            operator.delete("/tenants/" + GLOBEX);
        }
    }

    @Test
    void webhooksAreSignedAndRetriedUntilTheReceiverTakesThem() throws Exception {
        TestPhone dave = phone("dave");
        TestPhone desk105 = phone("105");
        String hooks = "/tenants/" + ACME + "/webhooks";
        assertEquals(404, operator.post(hooks, "{\"url\": \"http://127.0.0.1:9/\"}").status(),
                "webhooks belong to a tenant the operator created");
        assertEquals(201, operator.put("/tenants/" + ACME, "{}").status());
        try (WebhookReceiver all = new WebhookReceiver(2); WebhookReceiver retrievedOnly = new WebhookReceiver(0)) {
            LogTail log = LogTail.from(LogTail.serverLog());
            Reply created = operator.post(hooks, "{\"url\": \"" + all.url() + "?token=hook-token-0123\"}");
            assertEquals(201, created.status(), created.body());
            String secret = created.json().path("secret").asText();
            assertTrue(secret.length() >= 32, "a signing secret is issued: " + created.body());
            Reply filtered = operator.post(hooks, "{\"url\": \"" + retrievedOnly.url()
                    + "\", \"events\": [\"retrieved\"]}");
            assertEquals(201, filtered.status(), filtered.body());
            assertFalse(operator.get(hooks).body().contains(secret), "the secret is shown once");
            assertTrue(log.text().contains("webhook " + created.json().path("id").asText() + " to http://"),
                    "the creation is logged");
            assertFalse(log.text().contains("hook-token-0123"), "with no token of its URL");
            try {
                Call parked = dave.call("sip:*68105@" + ACME);
                assertEquals(200, parked.status());
                Duration retries = Duration.ofSeconds(10);
                WebhookReceiver.Delivery first = all.await(retries).orElseThrow();
                WebhookReceiver.Delivery second = all.await(retries).orElseThrow();
                WebhookReceiver.Delivery third = all.await(retries).orElseThrow();
                assertEquals(List.of(500, 500, 204), List.of(first.answered(), second.answered(), third.answered()));
                assertEquals(List.of("1", "2", "3"), List.of(first.header("Callpark-Delivery-Attempt"),
                        second.header("Callpark-Delivery-Attempt"), third.header("Callpark-Delivery-Attempt")));
                assertEquals(first.header("Callpark-Event-Id"), third.header("Callpark-Event-Id"),
                        "the same event is retried");
                assertEquals(first.body(), third.body());
                assertEquals("parked", third.header("Callpark-Event"));
                assertTrue(third.body().contains("\"extension\":\"105\""), third.body());
                assertSigned(third, secret);

                Call retrieve = desk105.call("sip:*88@" + ACME);
                assertEquals(200, retrieve.status());
                WebhookReceiver.Delivery onlyRetrieved = retrievedOnly.await(retries).orElseThrow(
                        () -> new AssertionError("the filtered webhook got no retrieved event"));
                assertEquals("retrieved", onlyRetrieved.header("Callpark-Event"),
                        "a webhook for retrieved events is not sent the park");
                assertSigned(onlyRetrieved, filtered.json().path("secret").asText());
                retrieve.bye();
            } finally {
                assertEquals(204, operator.delete(hooks + "/" + created.json().path("id").asText()).status());
                assertEquals(204, operator.delete(hooks + "/" + filtered.json().path("id").asText()).status());
            }
        }
        assertEquals(0, operator.get(hooks).json().path("webhooks").size());
        assertEquals(204, operator.delete("/tenants/" + ACME).status());
    }

    /** Checks the signature the way a receiver would: HMAC-SHA256 over "t.body" with the webhook's secret. */
    private static void assertSigned(WebhookReceiver.Delivery delivery, String secret) throws Exception {
        String header = delivery.header("Callpark-Signature");
        assertTrue(header.matches("t=[0-9]+,v1=[0-9a-f]{64}"), header);
        String t = header.replaceAll("t=([0-9]+),.*", "$1");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + delivery.body())
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals("v1=" + expected, header.substring(header.indexOf("v1=")), "signature matches the body");
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) < 60, "timestamp is now");
    }

    @Test
    void badWebhooksAreRefusedNamingEveryRule() throws Exception {
        String hooks = "/tenants/" + ACME + "/webhooks";
        assertEquals(201, operator.put("/tenants/" + ACME, "{}").status());
        Reply r = operator.post(hooks, "{\"url\": \"ftp://example.test/x\", \"events\": [\"parked\", \"lost\"],"
                + " \"colour\": 1}");
        assertEquals(422, r.status(), r.body());
        assertTrue(r.names("url", "url"), r.body());
        assertTrue(r.names("events", "enum"), r.body());
        assertTrue(r.names("colour", "unknown-field"), r.body());
        assertTrue(operator.post(hooks, "{}").names("url", "required"));
        assertTrue(operator.post(hooks, "{\"url\": \"http://x.test/\", \"events\": \"parked\"}")
                .names("events", "type"));
        assertEquals(0, operator.get(hooks).json().path("webhooks").size(), "nothing was created");
        assertEquals(404, operator.delete(hooks + "/nope").status());
        assertEquals(204, operator.delete("/tenants/" + ACME).status());
    }
}
