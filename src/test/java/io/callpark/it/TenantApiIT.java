package io.callpark.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.callpark.testing.ApiClient.Reply;
import io.callpark.testing.ApiClient;
import io.callpark.testing.TestNetwork;
import io.callpark.testing.Wavs;
import io.callpark.media.DefaultMelody;
import io.callpark.testing.TestPhone.Call;
import io.callpark.testing.TestPhone;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 4, first part: tenants and their park settings through the REST API, keys, problem+json. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TenantApiIT extends PhonesOnTestNetwork {

    private final ApiClient operator = ApiClient.operator();

    @Test
    void aBodyPastTheBoundIsRefusedWhileItIsRead() throws Exception {
        String huge = "{\"recallTime\": 60, \"padding\": \"" + "a".repeat(200_000) + "\"}";
        for (Reply refused : java.util.List.of(operator.put("/tenants/bounded.test", huge),
                operator.putChunked("/tenants/bounded.test", huge))) {
            assertEquals(413, refused.status(), refused.body());
            assertTrue(refused.isProblem() && refused.json().path("type").asText().endsWith("/body-too-large"),
                    refused.body());
        }
        assertEquals(404, operator.get("/tenants/bounded.test").status(), "nothing was created");
    }

    @Test
    void noKeyOrAnUnknownKeyGets401() throws Exception {
        Reply none = new ApiClient(ApiClient.testServerBase(), null).get("/tenants");
        assertEquals(401, none.status());
        assertTrue(none.isProblem(), none.contentType());
        assertEquals("Bearer realm=\"callpark\"", none.raw().headers().firstValue("WWW-Authenticate").orElse(""));
        Reply wrong = operator.withKey("cpk_not-a-key-anybody-was-given").get("/tenants");
        assertEquals(401, wrong.status());
        assertEquals(200, new ApiClient(ApiClient.testServerBase(), null).get("/status").status(),
                "the node status stays open as a health check");
    }

    @Test
    void operatorCreatesChangesAndDeletesATenant() throws Exception {
        String t = "/tenants/lifecycle.test";
        Reply created = operator.put(t, "{}");
        assertEquals(201, created.status(), created.body());
        JsonNode settings = created.json().path("settings");
        assertEquals(120, settings.path("recallTime").asInt(), "defaults for what a tenant does not set");
        assertEquals("parker", settings.path("recallDestination").asText());
        assertEquals(10, settings.path("retryInterval").asInt());
        assertEquals(10, settings.path("callsPerExtension").asInt());
        assertEquals("*68", settings.path("featureCodes").path("park").asText());

        Reply replaced = operator.put(t, "{\"recallTime\": 300, \"callsPerExtension\": 3}");
        assertEquals(200, replaced.status(), replaced.body());
        assertEquals(300, replaced.json().path("settings").path("recallTime").asInt());
        Reply patched = operator.patch(t, "{\"retryInterval\": 20}");
        assertEquals(200, patched.status(), patched.body());
        assertEquals(300, patched.json().path("settings").path("recallTime").asInt(), "PATCH keeps the rest");
        assertEquals(20, patched.json().path("settings").path("retryInterval").asInt());
        assertTrue(operator.get("/tenants").body().contains("\"lifecycle.test\""));

        assertEquals(204, operator.delete(t).status());
        Reply gone = operator.get(t);
        assertEquals(404, gone.status());
        assertTrue(gone.isProblem());
    }

    @Test
    void invalidInputIsRejectedWholeNamingTheFieldAndTheRule() throws Exception {
        String t = "/tenants/rules.test";
        assertEquals(201, operator.put(t, "{\"recallTime\": 200}").status());
        record Bad(String body, String field, String rule) {
        }
        List<Bad> table = List.of(
                new Bad("{\"recallTime\": 29}", "recallTime", "range"),
                new Bad("{\"recallTime\": 901}", "recallTime", "range"),
                new Bad("{\"recallTime\": \"60\"}", "recallTime", "type"),
                new Bad("{\"recallTime\": 60.5}", "recallTime", "type"),
                new Bad("{\"recallDestination\": \"voicemail\"}", "recallDestination", "enum"),
                new Bad("{\"recallDestination\": \"ring-group\"}", "ringGroup", "required"),
                new Bad("{\"ringGroup\": \"front desk!\"}", "ringGroup", "pattern"),
                new Bad("{\"retryInterval\": 0}", "retryInterval", "range"),
                new Bad("{\"callsPerExtension\": 0}", "callsPerExtension", "range"),
                new Bad("{\"callsPerExtension\": 1000}", "callsPerExtension", "range"),
                new Bad("{\"musicFile\": \"hold.wav\"}", "musicFile", "upload-instead"),
                new Bad("{\"musicFile\": \"/nonexistent/hold.wav\"}", "musicFile", "upload-instead"),
                new Bad("{\"featureCodes\": {\"park\": \"68\"}}", "featureCodes.park", "pattern"),
                new Bad("{\"featureCodes\": {\"park\": \"*88\"}}", "featureCodes", "distinct"),
                new Bad("{\"featureCodes\": []}", "featureCodes", "type"),
                new Bad("{\"recalTime\": 60}", "recalTime", "unknown-field"));
        for (Bad bad : table) {
            for (String method : new String[] {"PUT", "PATCH"}) {
                Reply reply = operator.send(method, t, bad.body(), "application/json");
                assertEquals(422, reply.status(), method + " " + bad.body() + " -> " + reply.body());
                assertTrue(reply.isProblem(), reply.contentType());
                assertTrue(reply.names(bad.field(), bad.rule()), method + " " + bad.body() + " -> " + reply.body());
            }
        }
        Reply twoWrongOneRight = operator.patch(t, "{\"recallTime\": 5, \"retryInterval\": 999, \"callsPerExtension\": 4}");
        assertEquals(422, twoWrongOneRight.status());
        assertEquals(2, twoWrongOneRight.json().path("errors").size(), twoWrongOneRight.body());
        JsonNode kept = operator.get(t).json().path("settings");
        assertEquals(200, kept.path("recallTime").asInt(), "nothing of a rejected change was applied");
        assertEquals(10, kept.path("callsPerExtension").asInt(), "not even its valid part");

        Reply malformed = operator.patch(t, "{\"recallTime\": ");
        assertEquals(400, malformed.status());
        assertTrue(malformed.json().path("type").asText().endsWith("/malformed-json"), malformed.body());
        Reply array = operator.patch(t, "[1, 2]");
        assertEquals(400, array.status());
        assertTrue(array.json().path("type").asText().endsWith("/not-an-object"), array.body());
        Reply xml = operator.send("PATCH", t, "<recallTime>60</recallTime>", "application/xml");
        assertEquals(415, xml.status());
        assertTrue(xml.isProblem(), xml.contentType());
        Reply badDomain = operator.put("/tenants/not_a_domain!", "{}");
        assertEquals(422, badDomain.status());
        assertTrue(badDomain.names("domain", "pattern"), badDomain.body());
        Reply unknownPath = operator.get("/no-such-thing");
        assertEquals(404, unknownPath.status());
        assertTrue(unknownPath.isProblem());
        Reply wrongMethod = operator.send("POST", t, "{}", "application/json");
        assertEquals(405, wrongMethod.status());
        assertTrue(wrongMethod.isProblem());
        assertEquals(204, operator.delete(t).status());
    }

    @Test
    void aTenantKeySeesAndChangesOnlyItsOwnTenant() throws Exception {
        assertEquals(201, operator.put("/tenants/own.test", "{}").status());
        assertEquals(201, operator.put("/tenants/other.test", "{}").status());
        try {
            Reply issued = operator.post("/tenants/own.test/keys", null);
            assertEquals(201, issued.status(), issued.body());
            String key = issued.json().path("key").asText();
            String id = issued.json().path("id").asText();
            ApiClient own = operator.withKey(key);

            Reply list = own.get("/tenants");
            assertEquals(200, list.status());
            assertTrue(list.body().contains("own.test") && !list.body().contains("other.test"), list.body());
            assertEquals(200, own.get("/tenants/own.test").status());
            assertEquals(200, own.patch("/tenants/own.test", "{\"recallTime\": 90}").status());

            assertEquals(404, own.get("/tenants/other.test").status(), "another tenant: as if it did not exist");
            assertEquals(404, own.patch("/tenants/other.test", "{\"recallTime\": 90}").status());
            assertEquals(404, own.get("/tenants/other.test/keys").status());
            assertEquals(404, own.put("/tenants/new.test", "{}").status(), "a tenant key creates no tenant");
            assertEquals(90, operator.get("/tenants/own.test").json().path("settings").path("recallTime").asInt());
            assertEquals(120, operator.get("/tenants/other.test").json().path("settings").path("recallTime").asInt(),
                    "the other tenant is untouched");

            Reply delete = own.delete("/tenants/own.test");
            assertEquals(403, delete.status());
            assertTrue(delete.isProblem());
            assertEquals(403, own.post("/tenants/own.test/keys", null).status());
            assertFalse(operator.get("/tenants/own.test/keys").body().contains(key), "the secret is shown once");

            assertEquals(204, operator.delete("/tenants/own.test/keys/" + id).status());
            assertEquals(401, own.get("/tenants/own.test").status(), "a revoked key opens nothing");
        } finally {
            operator.delete("/tenants/own.test");
            operator.delete("/tenants/other.test");
        }
    }

    @Test
    void uploadedMusicAndFeatureCodesOfATenantTakeEffectForTheNextPark() throws Exception {
        short[] sawtooth = Wavs.sawtooth(3);
        byte[] upload = Wavs.wav(sawtooth);
        byte[] uploadHeard = Wavs.ulaw(sawtooth);
        byte[] melodyHeard = Wavs.ulaw(DefaultMelody.render());
        TestPhone dave = phone("dave");
        TestPhone ext105 = phone("105");
        TestPhone eve = phone("eve", TestNetwork.GLOBEX);
        Call before = dave.call("sip:*68105@" + ACME);
        assertEquals(200, before.status());
        assertTrue(io.callpark.testing.Wait.until(() -> Wavs.isFrameOf(dave.rtp().lastPayload(), melodyHeard),
                WAIT), "the built-in melody plays by default");
        before.bye();

        String tenant = "/tenants/" + ACME;
        Reply set = operator.put(tenant, "{\"featureCodes\": {\"park\": \"*70\", \"retrieve\": \"*71\","
                + " \"groupPark\": \"*72\"}}");
        assertEquals(201, set.status(), set.body());
        try {
            Reply uploaded = operator.sendBytes("PUT", tenant + "/music", upload, "audio/wav", false);
            assertEquals(201, uploaded.status(), uploaded.body());
            assertEquals(200, operator.sendBytes("PUT", tenant + "/music", upload, "audio/x-wav", true).status(),
                    "a second upload replaces the first (chunked too)");
            JsonNode shown = operator.get(tenant + "/music").json();
            assertEquals("uploaded", shown.path("source").asText(), shown.toString());
            assertEquals(3000, shown.path("durationMs").asInt());
            assertEquals(upload.length, shown.path("size").asInt());
            assertEquals(sha256(upload), shown.path("sha256").asText());
            assertFalse(operator.get(tenant).body().contains("musicFile"), "no server path in the settings");

            assertEquals(404, dave.call("sip:*68105@" + ACME).status(), "*68 is no code of this tenant now");
            Call parked = dave.call("sip:*70105@" + ACME);
            assertEquals(200, parked.status(), "the tenant's own park code parks");
            // dave parked himself: he hears where first (the prompt), then the music
            assertTrue(io.callpark.testing.Wait.until(() -> Wavs.isFrameOf(dave.rtp().lastPayload(), uploadHeard),
                    WAIT), "the tenant's uploaded music plays, as the JDK's mu-law of what was uploaded");
            assertTrue(ext105.awaitNotify(b -> b.contains("state=\"parked\"")
                    && b.contains("<retrieve>sip:*71*"), WAIT).isPresent(),
                    "105 is told, with a retrieve URI in the tenant's code");
            assertEquals(403, eve.call("sip:*71105@" + ACME).status(),
                    "another tenant's user cannot use the code to take acme's call");
            Call retrieve = ext105.call("sip:*71@" + ACME);
            assertEquals(200, retrieve.status(), "the tenant's retrieve code retrieves");
            retrieve.bye();

            assertEquals(204, operator.delete(tenant + "/music").status());
            assertEquals("built-in", operator.get(tenant + "/music").json().path("source").asText());
            Call after = dave.call("sip:*70105@" + ACME);
            assertEquals(200, after.status());
            assertTrue(io.callpark.testing.Wait.until(() -> Wavs.isFrameOf(dave.rtp().lastPayload(), melodyHeard),
                    WAIT), "after DELETE the built-in melody plays again");
            after.bye();
        } finally {
            operator.delete(tenant);
        }
    }

    @Test
    void anUploadIsCheckedAndBoundedAndOnlyForItsOwnTenant() throws Exception {
        assertEquals(201, operator.put("/tenants/own.test", "{}").status());
        assertEquals(201, operator.put("/tenants/other.test", "{}").status());
        try {
            String music = "/tenants/own.test/music";
            byte[] wav = Wavs.wav(Wavs.sawtooth(2));
            Reply text = operator.sendBytes("PUT", music, "just text".getBytes(), "audio/wav", false);
            assertEquals(415, text.status(), text.body());
            assertTrue(text.isProblem() && text.json().path("type").asText().endsWith("/not-wav"), text.body());
            Reply json = operator.sendBytes("PUT", music, wav, "application/json", false);
            assertEquals(415, json.status(), "a WAV must be sent as audio/wav: " + json.body());
            assertTrue(json.isProblem(), json.contentType());

            Reply tooShort = operator.sendBytes("PUT", music, Wavs.wav(Wavs.sawtooth(0.5)), "audio/wav", false);
            assertEquals(422, tooShort.status(), tooShort.body());
            assertTrue(tooShort.names("body", "playable-wav"), tooShort.body());
            assertTrue(tooShort.body().contains("lasts 0.5 s"), tooShort.body());
            Reply truncated = operator.sendBytes("PUT", music, java.util.Arrays.copyOf(wav, 30), "audio/wav", false);
            assertEquals(422, truncated.status(), truncated.body());
            assertTrue(truncated.names("body", "playable-wav"), truncated.body());

            byte[] huge = new byte[6 * 1024 * 1024];
            System.arraycopy(wav, 0, huge, 0, wav.length);
            for (boolean chunked : new boolean[] {false, true}) {
                Reply refused = operator.sendBytes("PUT", music, huge, "audio/wav", chunked);
                assertEquals(413, refused.status(), "chunked " + chunked + ": " + refused.body());
                assertTrue(refused.json().path("type").asText().endsWith("/body-too-large"), refused.body());
            }
            assertEquals("built-in", operator.get(music).json().path("source").asText(), "nothing was stored");

            String key = operator.post("/tenants/own.test/keys", null).json().path("key").asText();
            ApiClient own = operator.withKey(key);
            assertEquals(201, own.sendBytes("PUT", music, wav, "audio/wav", false).status(),
                    "a tenant key uploads its own tenant's music");
            assertEquals(sha256(wav), own.get(music).json().path("sha256").asText());
            assertEquals(404, own.sendBytes("PUT", "/tenants/other.test/music", wav, "audio/wav", false).status(),
                    "another tenant: as if it did not exist");
            assertEquals(404, own.get("/tenants/other.test/music").status());
            assertEquals(404, own.delete("/tenants/other.test/music").status());
            assertEquals("built-in", operator.get("/tenants/other.test/music").json().path("source").asText());
            assertEquals(404, operator.get("/tenants/nobody.test/music").status(), "a tenant the operator created");
        } finally {
            operator.delete("/tenants/own.test");
            operator.delete("/tenants/other.test");
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void callsPerExtensionTakesEffectForTheNextParkWithoutARestart() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone dave = phone("dave");
        String tenant = "/tenants/" + ACME;
        assertEquals(201, operator.put(tenant, "{\"callsPerExtension\": 1}").status());
        try {
            Call first = carol.call("sip:*68105@" + ACME);
            assertEquals(200, first.status());
            Call second = dave.call("sip:*68105@" + ACME);
            assertEquals(486, second.status(), "the tenant allows one call per extension");
            assertTrue(second.finalResponse().getReasonPhrase().contains("a call waits at 105 already"),
                    second.finalResponse().getReasonPhrase());

            assertEquals(200, operator.patch(tenant, "{\"callsPerExtension\": 2}").status());
            Call third = dave.call("sip:*68105@" + ACME);
            assertEquals(200, third.status(), "the new limit holds for the next park");
            first.bye();
            third.bye();
        } finally {
            operator.delete(tenant);
        }
    }
}
