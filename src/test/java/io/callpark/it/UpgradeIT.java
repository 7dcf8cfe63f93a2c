package io.callpark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callpark.event.WebhookSender;
import io.callpark.testing.ApiClient;
import io.callpark.testing.LaunchedCluster;
import io.callpark.testing.TestPhone;
import io.callpark.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator moves from the release before typed records (JSON text in the caches) to this one as the README
 * says: stop it, take this release, `./callpark up`. The node's persisted state is the one that release wrote
 * (src/test/resources/wire/legacy-release, made by its make-fixture.sh); afterwards every tenant, group, API key
 * and webhook is there as it was: the keys still open the API, the webhooks still sign with their secrets.
 */
class UpgradeIT {

    private static final String FIXTURE = "/wire/legacy-release/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void tenantsGroupsKeysAndWebhooksOfTheReleaseBeforeSurviveTheUpgrade() throws Exception {
        LaunchedCluster launched = LaunchedCluster.prepare(1);
        try {
            unpack(launched.var.resolve("node1/data"));
            launched.up();
            ApiClient operator = launched.api(1);
            Map<String, JsonNode> before = asStored();
            everythingAsStored(operator, before);

            String acmeKey = fixture("acme-key.json").get("key").asText();
            ApiClient acme = operator.withKey(acmeKey);
            assertEquals(200, acme.get("/tenants/acme.test").status(), "acme's key still opens its tenant");
            assertNotEquals(200, acme.get("/tenants/globex.test").status(), "and still only its own");
            String globexKey = fixture("globex-key.json").get("key").asText();
            assertEquals(200, operator.withKey(globexKey).get("/tenants/globex.test/ring-groups").status());

            webhooksStillSignWithTheirSecrets(launched);

            launched.ok(120, "down");
            launched.up();
            everythingAsStored(operator, before);
            String firstRun = Files.readString(launched.var.resolve("node1/console.log.prev"));
            assertTrue(firstRun.contains("imported 9 entries of the release before typed records"), "import logged");
            assertFalse(launched.serverLog(1).contains("of the release before typed records"),
                    "a restart imports nothing again: the old entries are gone, the typed ones persisted");
        } finally {
            launched.close();
        }
    }

    private static void everythingAsStored(ApiClient operator, Map<String, JsonNode> before) throws Exception {
        int newLimits = 0;
        for (Map.Entry<String, JsonNode> stored : before.entrySet()) {
            ApiClient.Reply now = operator.get("/" + stored.getKey());
            assertEquals(200, now.status(), stored.getKey() + ": " + now.body());
            newLimits += now.json().findParents("callsPerUser").size();
            assertEquals(toMillis(withoutMusicFile(stored.getValue())), toMillis(withoutNewLimits(now.json())),
                    stored.getKey());
        }
        assertTrue(newLimits > 0, "the tenants' settings show the limits they did not have");
    }

    /** The release before showed a server path for the music (empty in the fixture); the API shows none now. */
    private static JsonNode withoutMusicFile(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        copy.findParents("musicFile").forEach(settings -> {
            assertEquals("", settings.get("musicFile").asText(), "the fixture named no file: " + settings);
            ((ObjectNode) settings).remove("musicFile");
        });
        return copy;
    }

    /** A tenant stored before callsPerUser and callsPerTenant existed has the node's defaults for them. */
    private static JsonNode withoutNewLimits(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        copy.findParents("callsPerUser").forEach(settings -> {
            assertEquals(50, settings.get("callsPerUser").asInt(), "the node's default: " + settings);
            assertEquals(500, settings.get("callsPerTenant").asInt(), "the node's default: " + settings);
            ((ObjectNode) settings).remove(List.of("callsPerUser", "callsPerTenant"));
        });
        return copy;
    }

    private static void webhooksStillSignWithTheirSecrets(LaunchedCluster launched) throws Exception {
        launched.ok(30, "subscriber", "add", "carol@acme.test", "pw-carol");
        launched.ok(30, "subscriber", "add", "103@acme.test", "pw-103"); // a park extension must exist
        Map<String, String> secrets = Map.of(
                "/acme-hook", fixture("acme-hook.json").get("secret").asText(),
                "/acme-all", fixture("acme-hook2.json").get("secret").asText());
        try (WebhookReceiver hooks = new WebhookReceiver(0, 39517, "/");
             TestPhone carol = launched.phone("carol", "acme.test", "pw-carol", "127.0.0.71")) {
            // the tenant's own park code, as imported
            TestPhone.Call parked = carol.call("sip:*70103@acme.test");
            assertEquals(200, parked.status());
            Map<String, WebhookReceiver.Delivery> got = new HashMap<>();
            while (got.size() < 2) {
                WebhookReceiver.Delivery delivery = hooks.await(WAIT)
                        .orElseThrow(() -> new AssertionError("webhooks received: " + got.keySet()));
                got.put(delivery.path(), delivery);
            }
            for (Map.Entry<String, String> hook : secrets.entrySet()) {
                WebhookReceiver.Delivery delivery = got.get(hook.getKey());
                assertEquals("parked", delivery.header("Callpark-Event"));
                String[] signature = delivery.header(WebhookSender.SIGNATURE).split(",");
                long t = Long.parseLong(signature[0].substring(2));
                assertEquals("v1=" + WebhookSender.sign(hook.getValue(), t, delivery.body()), signature[1],
                        hook.getKey() + " signs with the secret it was given before the upgrade");
            }
            parked.bye();
        }
    }

    /** The API's answers before the upgrade, by path (recorded by make-fixture.sh). */
    private static Map<String, JsonNode> asStored() throws IOException {
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        String path = null;
        for (String line : resource("as-stored.txt").split("\n")) {
            if (line.endsWith(":") && !line.startsWith("{")) {
                path = line.substring(0, line.length() - 1);
            } else if (path != null && !line.isBlank()) {
                answers.put(path, JSON.readTree(line));
                path = null;
            }
        }
        assertEquals(9, answers.size(), "answers recorded: " + answers.keySet());
        return answers;
    }

    /** The stores keep times to the millisecond. */
    private static JsonNode toMillis(JsonNode node) {
        JsonNode copy = node.deepCopy();
        truncate(copy);
        return copy;
    }

    private static void truncate(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String field : new String[] {"created", "updated"}) {
                if (object.has(field)) {
                    object.put(field, Instant.parse(object.get(field).asText()).truncatedTo(ChronoUnit.MILLIS)
                            .toString());
                }
            }
        }
        node.forEach(UpgradeIT::truncate);
    }

    private static JsonNode fixture(String name) throws IOException {
        return JSON.readTree(resource(name));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = UpgradeIT.class.getResourceAsStream(FIXTURE + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The node's data directory as the release before left it. */
    private static void unpack(Path data) throws Exception {
        Files.createDirectories(data);
        Path tgz = Files.createTempFile("legacy-state", ".tgz");
        try (InputStream in = UpgradeIT.class.getResourceAsStream(FIXTURE + "infinispan-callpark.tgz")) {
            Files.copy(in, tgz, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process tar = new ProcessBuilder("tar", "xzf", tgz.toString(), "-C", data.toString()).inheritIO().start();
        assertTrue(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0, "fixture unpacked");
        Files.delete(tgz);
    }
}
