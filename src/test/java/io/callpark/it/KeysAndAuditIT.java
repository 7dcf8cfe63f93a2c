package io.callpark.it;

import io.callpark.testing.ApiClient;
import io.callpark.testing.ApiClient.Reply;
import io.callpark.testing.LogTail;
import io.callpark.testing.SseClient;
import io.callpark.testing.TestPhone.Call;
import io.callpark.testing.Wait;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: keys are rotated without downtime (tenant keys and the operator's: two valid during a rotation, then
 * only the new one; the node is never restarted, a parked call stays parked), and every use of an operator key is
 * written to the audit log once, without the key.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KeysAndAuditIT extends PhonesOnTestNetwork {

    private final ApiClient operator = ApiClient.operator();
    private final String operatorKey = System.getProperty("callpark.it.api.key");

    private static Path auditLog() {
        return Path.of(System.getProperty("jboss.home", "target/wildfly"), "standalone", "log", "audit.log");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String newKey() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    @Test
    void aTenantKeyIsRotatedWhileBothWork() throws Exception {
        String tenant = "/tenants/rotate.test";
        assertEquals(201, operator.put(tenant, "{}").status());
        try {
            Reply first = operator.post(tenant + "/keys", null);
            ApiClient old = operator.withKey(first.json().path("key").asText());
            try (SseClient oldStream = SseClient.open(ApiClient.testServerEvents("rotate.test"),
                    first.json().path("key").asText(), Optional.empty())) {
                assertEquals(200, oldStream.status());
                Reply second = operator.post(tenant + "/keys", null);
                assertEquals(201, second.status(), second.body());
                ApiClient next = operator.withKey(second.json().path("key").asText());

                assertEquals(200, old.get(tenant).status(), "during the rotation the old key works");
                assertEquals(200, next.get(tenant).status(), "and the new one");
                assertEquals(2, next.get(tenant + "/keys").json().path("keys").size());

                // the tenant retires its old key itself, with the new one
                assertEquals(204, next.delete(tenant + "/keys/" + first.json().path("id").asText()).status());
                assertEquals(401, old.get(tenant).status(), "the old key opens nothing");
                assertEquals(200, next.get(tenant).status(), "the new one still works");
                assertTrue(oldStream.awaitEnd(Duration.ofSeconds(5)), "the old key's event stream closed");
            }
        } finally {
            operator.delete(tenant);
        }
    }

    @Test
    void theOperatorKeyIsRotatedWithoutARestartAndNoParkedCallIsTouched() throws Exception {
        String next = newKey();
        ApiClient nextOperator = operator.withKey(next);
        Call parked = phone("carol").call("sip:*68103@" + ACME);
        assertEquals(200, parked.status());
        String parkId = operator.get("/tenants/" + ACME + "/parked").json().path("calls").get(0).path("parkId")
                .asText();
        assertEquals(201, operator.put("/tenants/opkeys.test", "{}").status());
        String tenantKey = operator.post("/tenants/opkeys.test/keys", null).json().path("key").asText();
        try (SseClient oldStream = SseClient.open(ApiClient.testServerEvents(ACME), operatorKey, Optional.empty())) {
            assertEquals(200, oldStream.status());
            assertEquals(401, nextOperator.get("/tenants").status(), "not valid before the rotation");
            assertEquals(403, operator.withKey(tenantKey).post("/operator-keys",
                    "{\"sha256\": \"" + sha256(next) + "\"}").status(), "a tenant key adds no operator key");
            Reply bad = operator.post("/operator-keys", "{\"sha256\": \"" + next + "\"}");
            assertEquals(422, bad.status(), "the key itself is not what is sent");
            assertTrue(bad.names("sha256", "pattern"), bad.body());

            Reply added = operator.post("/operator-keys", "{\"sha256\": \"" + sha256(next) + "\"}");
            assertEquals(201, added.status(), added.body());
            assertEquals(sha256(next).substring(0, 8), added.json().path("id").asText());
            assertEquals(200, operator.get("/tenants").status(), "during the rotation the old key works");
            assertEquals(200, nextOperator.get("/tenants").status(), "and the new one");
            assertEquals(2, nextOperator.get("/operator-keys").json().path("keys").size());

            Reply retired = nextOperator.post("/operator-keys/retire", null);
            assertEquals(200, retired.status(), retired.body());
            assertEquals(sha256(operatorKey).substring(0, 8),
                    retired.json().path("retired").get(0).path("id").asText());
            assertEquals(401, operator.get("/tenants").status(), "the old key opens nothing now");
            assertEquals(200, nextOperator.get("/tenants").status(), "the new one does");
            assertTrue(oldStream.awaitEnd(Duration.ofSeconds(5)), "the old key's event stream closed");
            assertFalse(nextOperator.get("/operator-keys").body().contains(sha256(next)),
                    "keys are shown by fingerprint, never by their whole hash");

            assertEquals(parkId, nextOperator.get("/tenants/" + ACME + "/parked").json().path("calls").get(0)
                    .path("parkId").asText(), "the parked call stayed parked");
        } finally {
            // back to the configured key for the tests that follow on this node
            nextOperator.post("/operator-keys", "{\"sha256\": \"" + sha256(operatorKey) + "\"}");
            operator.post("/operator-keys/retire", null);
            operator.delete("/tenants/opkeys.test");
        }
        assertEquals(200, operator.get("/tenants").status());
        assertEquals(401, nextOperator.get("/tenants").status());
        parked.bye();
    }

    @Test
    void everyOperatorRequestIsAuditedOnceAndNoLogHoldsTheKey() throws Exception {
        LogTail audit = LogTail.from(auditLog());
        LogTail server = LogTail.from(LogTail.serverLog());
        String probe = "/tenants/audit-" + System.nanoTime() + ".test";
        String fingerprint = sha256(operatorKey).substring(0, 8);

        assertEquals(404, operator.get(probe).status());
        assertEquals(201, operator.put(probe, "{}").status());
        String tenantKey = operator.post(probe + "/keys", null).json().path("key").asText();
        ApiClient tenant = operator.withKey(tenantKey);
        assertEquals(200, tenant.get(probe).status());
        assertEquals(200, tenant.patch(probe, "{\"recallTime\": 60}").status());
        assertEquals(401, operator.withKey("not-a-key-of-anybody-0123456789").get(probe).status());
        assertEquals(204, operator.delete(probe).status());

        Pattern ofProbe = Pattern.compile(Pattern.quote("path=/callpark/api" + probe) + "[ /]");
        assertTrue(Wait.until(() -> lines(audit, ofProbe).size() >= 6, Duration.ofSeconds(10)),
                "audit lines: " + lines(audit, ofProbe));
        List<String> lines = lines(audit, ofProbe);
        List<String> operatorGets = lines.stream().filter(l -> l.contains(" method=GET ")
                && l.contains("who=operator")).toList();
        assertEquals(1, operatorGets.size(), "exactly one line for one request: " + lines);
        String get = operatorGets.get(0);
        assertTrue(Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d").matcher(get).find(), get);
        assertTrue(get.contains("who=operator key=" + fingerprint + " peer=127.0.0.1 method=GET path=/callpark/api"
                + probe + " status=404"), get);
        assertTrue(lines.stream().anyMatch(l -> l.contains("who=operator") && l.contains("method=PUT")
                && l.endsWith("status=201")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("who=tenant:") && l.contains("method=PATCH")
                && l.endsWith("status=200")), "a tenant key's write: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains("who=tenant:") && l.contains("method=GET")),
                "a tenant key's read is not audited: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("who=unknown") && l.endsWith("status=401")),
                "a refused key: " + lines);
        assertEquals(6, lines.size(), "GET, PUT, POST keys, PATCH, the refused GET, DELETE: " + lines);

        for (LogTail log : List.of(audit, server)) {
            String text = log.text();
            for (String secret : List.of(operatorKey, sha256(operatorKey), tenantKey, sha256(tenantKey))) {
                assertFalse(text.contains(secret), "a log holds a key or its whole hash");
            }
        }
        assertFalse(server.text().contains("who=operator"), "audit lines go to audit.log only");
    }

    private static List<String> lines(LogTail log, Pattern pattern) {
        try {
            return log.lines(pattern);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
