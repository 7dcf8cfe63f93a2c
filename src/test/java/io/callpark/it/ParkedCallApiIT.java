package io.callpark.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.callpark.testing.ApiClient.Reply;
import io.callpark.testing.ApiClient;
import io.callpark.testing.TestPhone.Call;
import io.callpark.testing.TestPhone;
import io.callpark.testing.Wait;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sip.message.Request;
import java.time.Duration;
import java.util.List;

import static io.callpark.testing.TestNetwork.ACME;
import static io.callpark.testing.TestNetwork.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 4: parked calls through the REST API: list, read, hang up, move; tenant isolation of calls. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ParkedCallApiIT extends PhonesOnTestNetwork {

    private static final String PARKED = "/tenants/" + ACME + "/parked";
    private final ApiClient operator = ApiClient.operator();

    /** A call parked by the test, and the park id the API lists it with. */
    record Parked(Call call, String id) {
    }

    /** Parks the phone itself at the extension (dials *68ext); finds its park id through the API. */
    static Parked parkAt(ApiClient api, TestPhone phone, String extension) throws Exception {
        Call call = phone.call("sip:*68" + extension + "@" + phone.domain);
        assertEquals(200, call.status(), phone.user + " parks at " + extension);
        String calls = "/tenants/" + phone.domain + "/parked?extension=" + extension;
        for (JsonNode c : api.get(calls).json().path("calls")) {
            if (c.path("parked").path("uri").asText().equals(phone.aor())) {
                return new Parked(call, c.path("parkId").asText());
            }
        }
        throw new AssertionError(phone.user + " is not listed at " + extension);
    }

    private String parkAt(TestPhone phone, String extension) throws Exception {
        return parkAt(operator, phone, extension).id();
    }

    @Test
    void callsAreListedReadAndHungUp() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone desk103 = phone("103");
        Parked parked = parkAt(operator, carol, "103");
        String id = parked.id();

        Reply all = operator.get(PARKED);
        assertEquals(200, all.status(), all.body());
        JsonNode listed = null;
        for (JsonNode c : all.json().path("calls")) {
            listed = c.path("parkId").asText().equals(id) ? c : listed;
        }
        assertTrue(listed != null, all.body());
        assertEquals("103", listed.path("extension").asText());
        assertEquals("parked", listed.path("state").asText());
        assertEquals("sip:carol@acme.test", listed.path("parked").path("uri").asText());
        assertEquals("sip:*88*" + id + "@acme.test", listed.path("retrieveUri").asText());
        assertEquals(0, operator.get(PARKED + "?extension=104").json().path("calls").size());
        assertTrue(operator.get(PARKED + "?extension=10%204").names("extension", "pattern"));
        assertEquals(200, operator.get(PARKED + "/" + id).status());

        assertEquals(204, operator.delete(PARKED + "/" + id).status());
        assertTrue(parked.call().awaitEnded(WAIT), "the caller gets a BYE");
        assertTrue(desk103.awaitNotify(b -> isParkInfo(b, "hung-up", "103"), WAIT).isPresent(),
                "the extension's devices are told the call is gone");
        Reply gone = operator.get(PARKED + "/" + id);
        assertEquals(404, gone.status());
        assertTrue(gone.isProblem());
        assertEquals(404, operator.delete(PARKED + "/" + id).status(), "a second hang-up finds nothing");
        assertFalse(operator.get(PARKED).body().contains(id));
    }

    @Test
    void aMovedCallWaitsAtTheNewExtensionWithItsMusic() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone desk103 = phone("103");
        TestPhone desk104 = phone("104");
        String id = parkAt(carol, "103");
        assertTrue(desk103.awaitNotify(b -> isParkInfo(b, "parked", "103"), WAIT).isPresent());

        Reply moved = operator.post(PARKED + "/" + id + "/move", "{\"extension\": \"104\"}");
        assertEquals(200, moved.status(), moved.body());
        assertEquals("104", moved.json().path("extension").asText());
        assertEquals(id, moved.json().path("parkId").asText(), "the call keeps its park id");
        assertTrue(desk103.awaitNotify(b -> isParkInfo(b, "moved", "103"), WAIT).isPresent(),
                "103's devices clear the call");
        assertTrue(desk104.awaitNotify(b -> isParkInfo(b, "parked", "104"), WAIT).isPresent(),
                "104's devices are told it waits there");
        int before = carol.rtp().count();
        assertTrue(carol.rtp().awaitMore(25, WAIT), "music goes on after the move (" + before + " packets before)");

        assertEquals(404, desk103.call("sip:*88@" + ACME).status(), "nothing waits at 103 any more");
        Call retrieve = desk104.call("sip:*88@" + ACME);
        assertEquals(200, retrieve.status(), "104 retrieves the moved call with *88");
        retrieve.bye();
    }

    @Test
    void oneClickRetrievalRingsTheExtensionAndJoinsTheDeviceThatAnswers() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone desk103 = phone("103");
        TestPhone reception = phone("102");
        TestPhone receptionMobile = phone("102");
        receptionMobile.ringOnly(true);
        Parked parked = parkAt(operator, carol, "103");
        assertTrue(carol.rtp().awaitMore(10, WAIT), "carol hears music");

        Reply ringing = operator.post(PARKED + "/" + parked.id() + "/retrieve", "{\"extension\": \"102\"}");
        assertEquals(202, ringing.status(), ringing.body());
        assertEquals("ringing", ringing.json().path("state").asText());
        Call answered = reception.awaitIncomingCall(WAIT);
        assertTrue(answered != null, "102's desk phone rings and answers");
        String offer = TestPhone.body(answered.invite());
        assertTrue(offer.contains("m=audio " + carol.rtp().port()), "the phone is offered carol's media: " + offer);
        assertTrue(answered.invite().getHeader("From").toString().contains("sip:carol@acme.test"),
                "the phone shows who waits: " + answered.invite().getHeader("From"));
        assertTrue(receptionMobile.awaitRingingCall(WAIT) != null, "the other device of 102 rang as well");
        assertTrue(receptionMobile.awaitCancelledCall(WAIT) != null, "the other device of 102 stops ringing");

        Request join = parked.call().awaitReceived("INVITE", 1, WAIT)
                .orElseThrow(() -> new AssertionError("carol was not re-INVITEd"));
        assertTrue(TestPhone.body(join).contains("m=audio " + reception.rtp().port()),
                "carol is joined with 102's media");
        assertTrue(carol.rtp().awaitSilence(Duration.ofMillis(500), WAIT), "the music stops");
        assertTrue(desk103.awaitNotify(b -> isParkInfo(b, "retrieved", "103"), WAIT).isPresent());
        assertEquals(404, operator.get(PARKED + "/" + parked.id()).status(), "the call left the park");

        assertEquals(200, answered.bye().getStatusCode());
        assertTrue(parked.call().awaitEnded(WAIT), "102 hanging up ends carol's call");
    }

    @Test
    void oneClickRetrievalNobodyAnswersLeavesTheCallParked() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone reception = phone("102");
        reception.ringOnly(true);
        Parked parked = parkAt(operator, carol, "103");
        Reply ringing = operator.post(PARKED + "/" + parked.id() + "/retrieve",
                "{\"extension\": \"102\", \"ringTimeout\": 5}");
        assertEquals(202, ringing.status(), ringing.body());
        assertEquals(409, operator.post(PARKED + "/" + parked.id() + "/move", "{\"extension\": \"104\"}").status(),
                "a call that is being retrieved is not moved");
        assertTrue(reception.awaitCancelledCall(Duration.ofSeconds(15)) != null, "102 rings, then is cancelled");
        assertTrue(Wait.until(() -> stateOf(parked.id()).equals("parked"), WAIT), "the call waits again");
        int before = carol.rtp().count();
        assertTrue(carol.rtp().awaitMore(25, WAIT), "with its music (" + before + " packets before)");
        assertTrue(parked.call().received().stream().noneMatch(r -> r.getMethod().equals("INVITE")),
                "carol was never re-INVITEd");
        assertEquals(422, operator.post(PARKED + "/" + parked.id() + "/retrieve",
                "{\"extension\": \"102\", \"ringTimeout\": 1}").status(), "ringTimeout is 5-120 s");
        assertEquals(204, operator.delete(PARKED + "/" + parked.id()).status());
    }

    @Test
    void aRetrieveTakesTheCallWhilePhonesRingForIt() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone desk103 = phone("103");
        TestPhone reception = phone("102");
        reception.ringOnly(true);
        Parked parked = parkAt(operator, carol, "103");
        assertEquals(202, operator.post(PARKED + "/" + parked.id() + "/retrieve",
                "{\"extension\": \"102\", \"ringTimeout\": 60}").status());
        assertTrue(Wait.until(() -> stateOf(parked.id()).equals("ringing"), WAIT));

        Call retrieve = desk103.call("sip:*88@" + ACME);
        assertEquals(200, retrieve.status(), "*88 takes the call while 102 rings for it");
        assertTrue(reception.awaitCancelledCall(WAIT) != null, "102 stops ringing at once, not after 60 s");
        Request join = parked.call().awaitReceived("INVITE", 1, WAIT).orElseThrow();
        assertTrue(TestPhone.body(join).contains("m=audio " + desk103.rtp().port()), "carol is joined with 103");
        assertEquals(1, parked.call().received().stream().filter(r -> r.getMethod().equals("INVITE")).count(),
                "and only with 103");
        retrieve.bye();
        assertTrue(parked.call().awaitEnded(WAIT));
    }

    private String stateOf(String parkId) {
        try {
            return operator.get(PARKED + "/" + parkId).json().path("state").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aMoveIsRefusedWholeWhenTheTargetIsFullOrTheInputIsBad() throws Exception {
        String tenant = "/tenants/" + ACME;
        assertEquals(201, operator.put(tenant, "{\"callsPerExtension\": 1}").status());
        try {
            String carolsId = parkAt(phone("carol"), "103");
            String davesId = parkAt(phone("dave"), "104");
            Reply full = operator.post(PARKED + "/" + carolsId + "/move", "{\"extension\": \"104\"}");
            assertEquals(409, full.status(), full.body());
            assertTrue(full.json().path("type").asText().endsWith("/extension-full"), full.body());
            assertEquals("103", operator.get(PARKED + "/" + carolsId).json().path("extension").asText(),
                    "the call stays where it was");

            record Bad(String body, String field, String rule) {
            }
            for (Bad bad : List.of(new Bad("{\"extension\": \"10 4\"}", "extension", "pattern"),
                    new Bad("{\"extension\": \"104@globex.test\"}", "extension", "pattern"),
                    new Bad("{\"extension\": 104}", "extension", "type"),
                    new Bad("{}", "extension", "required"),
                    new Bad("{\"extension\": \"105\", \"to\": \"x\"}", "to", "unknown-field"))) {
                Reply r = operator.post(PARKED + "/" + carolsId + "/move", bad.body());
                assertEquals(422, r.status(), bad.body() + " -> " + r.body());
                assertTrue(r.names(bad.field(), bad.rule()), bad.body() + " -> " + r.body());
            }
            assertEquals(400, operator.post(PARKED + "/" + carolsId + "/move", "{\"extension\":").status());
            assertEquals(404, operator.post(PARKED + "/999999/move", "{\"extension\": \"105\"}").status());
            assertEquals("103", operator.get(PARKED + "/" + carolsId).json().path("extension").asText());
            assertEquals(204, operator.delete(PARKED + "/" + carolsId).status());
            assertEquals(204, operator.delete(PARKED + "/" + davesId).status());
        } finally {
            operator.delete(tenant);
        }
    }

    @Test
    void aTenantKeyReachesOnlyItsOwnTenantsCalls() throws Exception {
        assertEquals(201, operator.put("/tenants/" + ACME, "{}").status());
        assertEquals(201, operator.put("/tenants/" + GLOBEX, "{}").status());
        try {
            ApiClient acme = operator.withKey(operator.post("/tenants/" + ACME + "/keys", null).json()
                    .path("key").asText());
            ApiClient globex = operator.withKey(operator.post("/tenants/" + GLOBEX + "/keys", null).json()
                    .path("key").asText());
            String id = parkAt(phone("carol"), "103");

            assertEquals(404, globex.get(PARKED).status(), "another tenant's calls: as if there were none");
            assertEquals(404, globex.get(PARKED + "/" + id).status());
            assertEquals(404, globex.delete(PARKED + "/" + id).status());
            assertEquals(404, globex.post(PARKED + "/" + id + "/move", "{\"extension\": \"104\"}").status());
            assertEquals(404, globex.get("/tenants/" + GLOBEX + "/parked/" + id).status(),
                    "a park id of acme is nothing in globex");
            assertEquals(0, globex.get("/tenants/" + GLOBEX + "/parked").json().path("calls").size());
            assertEquals(401, operator.withKey(null).get(PARKED).status());

            assertEquals("103", acme.get(PARKED + "/" + id).json().path("extension").asText(),
                    "the call survived the other tenant's attempts");
            assertEquals(204, acme.delete(PARKED + "/" + id).status(), "its own tenant's key hangs it up");
        } finally {
            operator.delete("/tenants/" + ACME);
            operator.delete("/tenants/" + GLOBEX);
        }
    }
}
