package io.callpark.it;

import io.callpark.testing.ApiClient;
import io.callpark.testing.ForgedSender;
import io.callpark.testing.TestNetwork;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.util.Optional;

import static io.callpark.testing.ForgedSender.at;
import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, the hostile wire: each test acts as an attacker would (another local process, another address, no
 * credentials) and checks what a user would see: the SIP answer, and the parked calls the API lists.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HostileWireIT extends PhonesOnTestNetwork {

    private static final String FAKE_SEAL = "0".repeat(64);

    private static InetSocketAddress kamailio() {
        return at("127.0.0.1", TestNetwork.kamailioPort());
    }

    private static InetSocketAddress appNode() {
        return at("127.0.0.1", TestNetwork.appSipPort());
    }

    private static int parkedAt(String extension) throws Exception {
        return ApiClient.operator().get("/tenants/" + ACME + "/parked?extension=" + extension).json()
                .path("calls").size();
    }

    private static String parkedNotify(TestPhone device, String extension) throws Exception {
        return TestPhone.body(device.awaitNotify(b -> isParkInfo(b, "parked", extension), WAIT)
                .orElseThrow(() -> new AssertionError(device.user + " was not told of the park at " + extension)));
    }

    @Test
    void aReferredByThatNoReferStandsBehindIsNotBelieved() throws Exception {
        TestPhone dave = phone("dave");
        TestPhone ext101 = phone("101");
        TestPhone ext105 = phone("105");
        Call parked = dave.call("sip:*68105@" + ACME, dave.referredBy(ext101));
        assertEquals(200, parked.status(), "it parks, as a self-park");
        String body = parkedNotify(ext105, "105");
        assertTrue(body.contains(">sip:dave@acme.test</parker>"), "dave named 101 as the parker: " + body);
        parked.bye();
    }

    @Test
    void aTransfereeThatCopiesNoReferredByParksWithItsReferrer() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone ext102 = phone("102");
        TestPhone ext105 = phone("105");
        carol.followTransfers(true);
        carol.copyReferredBy(false);
        Call parked = transferred(ext102, carol, "*68105");
        String body = parkedNotify(ext105, "105");
        assertTrue(body.contains(">sip:102@acme.test</parker>"), "102 referred carol to *68105: " + body);
        parked.bye();
    }

    @Test
    void everySpellingOfAFeatureCodeGetsTheSameChecks() throws Exception {
        TestPhone dave = phone("dave");
        TestPhone ext101 = phone("101");
        TestPhone eve = phone("eve", TestNetwork.GLOBEX);
        assertEquals(404, dave.call("sip:%2A68999@" + ACME).status(), "no extension 999 in acme");
        assertEquals(404, dave.call("sip:*68%39%39%39@" + ACME).status(), "no extension 999 in acme");
        Call group = eve.call("sip:%2a58@" + ACME, eve.referredBy(ext101));
        assertEquals(403, group.status(), "a globex user with an acme Referred-By");
        assertEquals(0, parkedAt("999") + parkedAt("101"));
    }

    @Test
    void aTenantsOwnCodesGetTheSameChecks() throws Exception {
        ApiClient operator = ApiClient.operator();
        String tenant = "/tenants/" + ACME;
        var set = operator.put(tenant, "{\"featureCodes\": {\"park\": \"*70\", \"retrieve\": \"*71\","
                + " \"groupPark\": \"*72\"}}");
        assertEquals(201, set.status(), set.body());
        try {
            TestPhone dave = phone("dave");
            TestPhone ext101 = phone("101");
            TestPhone eve = phone("eve", TestNetwork.GLOBEX);
            Call nowhere = dave.call("sip:*70999@" + ACME);
            assertEquals(404, nowhere.status(), "no extension 999 in acme");
            assertEquals("Extension Not Found", nowhere.finalResponse().getReasonPhrase());
            Call foreign = eve.call("sip:*70105@" + ACME);
            assertEquals(403, foreign.status(), "a globex user parks nothing in acme on its own word");
            assertEquals(403, eve.call("sip:%2A72@" + ACME, eve.referredBy(ext101)).status(),
                    "nor joins its group park");
            assertEquals(0, parkedAt("999") + parkedAt("105") + parkedAt("101"));
        } finally {
            operator.delete(tenant);
        }
    }

    private static String sdp(String connection, String media) {
        return "v=0\r\no=m 1 1 IN IP4 127.0.0.1\r\ns=-\r\n" + connection + "t=0 0\r\n" + media;
    }

    @Test
    void hostileSdpIsRefusedWith488AndLeavesNothingBehind() throws Exception {
        TestPhone dave = phone("dave");
        String audio = "m=audio 40000 RTP/AVP 0\r\n";
        java.util.Map<String, String> hostile = new java.util.LinkedHashMap<>();
        hostile.put("no address", sdp("", audio));
        hostile.put("IPv6 colon only", sdp("c=IN IP6 :\r\n", audio));
        hostile.put("invalid literal", sdp("c=IN IP4 127.0.0.999\r\n", audio));
        hostile.put("host name", sdp("c=IN IP4 victim.example\r\n", audio));
        hostile.put("port 0", sdp("c=IN IP4 127.0.0.1\r\n", "m=audio 0 RTP/AVP 0\r\n"));
        hostile.put("many m= lines", sdp("c=IN IP4 127.0.0.1\r\n", audio.repeat(30)));
        hostile.put("a large body", sdp("c=IN IP4 127.0.0.1\r\n", audio + ("a=x:" + "y".repeat(500) + "\r\n")
                .repeat(12)));
        for (var each : hostile.entrySet()) {
            Call call = dave.callWithSdp("sip:*68105@" + ACME, each.getValue());
            assertEquals(488, call.status(), each.getKey());
            assertTrue(call.finalResponse().getReasonPhrase().startsWith("Not Acceptable Here: "),
                    each.getKey() + ": " + call.finalResponse().getReasonPhrase());
        }
        assertEquals(0, parkedAt("105"), "nothing parked");
        Call fine = dave.call("sip:*68105@" + ACME);
        assertEquals(200, fine.status(), "and the next good park works");
        assertTrue(dave.rtp().awaitMore(5, WAIT), "with music");
        fine.bye();
    }

    @Test
    void musicGoesWhereTheCallersSignallingCameFromNotWhereItsSdpPoints() throws Exception {
        TestPhone dave = phone("dave");
        try (io.callpark.testing.RtpCounter victim = new io.callpark.testing.RtpCounter("127.0.0.68")) {
            // the SDP names the victim's address, at the port dave's own phone listens on
            Call parked = dave.callWithSdp("sip:*68105@" + ACME, sdp("c=IN IP4 127.0.0.68\r\n",
                    "m=audio " + dave.rtp().port() + " RTP/AVP 0\r\n"));
            assertEquals(200, parked.status());
            assertTrue(dave.rtp().awaitMore(10, WAIT), "the music reaches dave, where its INVITE came from");
            assertEquals(0, victim.count(), "and not 127.0.0.68");
            parked.bye();
        }
    }

    @Test
    void kamailioRelaysNoInDialogRequestOfADialogItDidNotSetUpToAThirdAddress() throws Exception {
        try (java.net.DatagramSocket victim = new java.net.DatagramSocket(at("127.0.0.73", 0));
             java.net.DatagramSocket mallory = new java.net.DatagramSocket(at("127.0.0.74", 0))) {
            String target = "127.0.0.73:" + victim.getLocalPort();
            byte[] bye = ("BYE sip:victim@" + target + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.74:" + mallory.getLocalPort() + ";rport;branch=z9hG4bK-reflect-1\r\n"
                    + "Route: <sip:127.0.0.1:" + TestNetwork.kamailioPort() + ";lr>\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:mallory@acme.test>;tag=m-1\r\n"
                    + "To: <sip:victim@acme.test>;tag=v-1\r\n"
                    + "Call-ID: reflect-1@127.0.0.74\r\n"
                    + "CSeq: 2 BYE\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            mallory.send(new java.net.DatagramPacket(bye, bye.length, kamailio()));
            mallory.setSoTimeout((int) WAIT.toMillis());
            byte[] buffer = new byte[4096];
            java.net.DatagramPacket reply = new java.net.DatagramPacket(buffer, buffer.length);
            mallory.receive(reply);
            String answer = new String(reply.getData(), 0, reply.getLength(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("SIP/2.0 481 "), answer);
            victim.setSoTimeout(2000); // bounded: what Kamailio would have relayed arrives in milliseconds
            assertThrows(java.net.SocketTimeoutException.class,
                    () -> victim.receive(new java.net.DatagramPacket(buffer, buffer.length)),
                    "nothing reaches the address the Route and Request-URI named");
        }
    }

    @Test
    void aPhoneThatAnswersARingCannotPointTheCallersPhoneAtAThirdAddress() throws Exception {
        TestPhone dave = phone("dave");
        TestPhone ext104 = phone("104");
        Call parked = dave.call("sip:*68105@" + ACME);
        assertEquals(200, parked.status());
        ext104.answerWithSdp(sdp("c=IN IP4 127.0.0.71\r\n", "m=audio " + ext104.rtp().port() + " RTP/AVP 0\r\n"));
        String id = ApiClient.operator().get("/tenants/" + ACME + "/parked?extension=105").json().path("calls")
                .get(0).path("parkId").asText();
        assertEquals(202, ApiClient.operator().post("/tenants/" + ACME + "/parked/" + id + "/retrieve",
                "{\"extension\": \"104\"}").status());
        String join = TestPhone.body(parked.awaitReceived("INVITE", 1, WAIT).orElseThrow(
                () -> new AssertionError("dave was never joined with 104")));
        assertTrue(join.contains("c=IN IP4 " + ext104.address()) && !join.contains("127.0.0.71"),
                "dave's phone is sent to where 104 answered from: " + join);
    }

    @Test
    void aParkedCallerCannotPointTheRetrieverAtAThirdAddress() throws Exception {
        TestPhone dave = phone("dave");
        TestPhone ext105 = phone("105");
        Call parked = dave.call("sip:*68105@" + ACME);
        assertEquals(200, parked.status());
        // dave answers the join with an SDP that names a victim for the retriever's RTP
        dave.answerWithSdp(sdp("c=IN IP4 127.0.0.75\r\n", "m=audio " + dave.rtp().port() + " RTP/AVP 0\r\n"));
        Call retrieve = ext105.call("sip:*88@" + ACME);
        assertEquals(200, retrieve.status());
        assertTrue(retrieve.remoteSdp().contains("c=IN IP4 " + dave.address())
                && !retrieve.remoteSdp().contains("127.0.0.75"),
                "105's phone is sent to where dave answered from: " + retrieve.remoteSdp());
        retrieve.bye();
    }

    @Test
    void aJoinedPartyCannotPointTheOtherAtAThirdAddressByReInvite() throws Exception {
        TestPhone dave = phone("dave");
        TestPhone ext105 = phone("105");
        Call parked = dave.call("sip:*68105@" + ACME);
        assertEquals(200, parked.status());
        Call retrieve = ext105.call("sip:*88@" + ACME);
        assertEquals(200, retrieve.status());
        parked.awaitReceived("INVITE", 1, WAIT).orElseThrow();
        assertEquals(200, retrieve.reInviteWithSdp(sdp("c=IN IP4 127.0.0.72\r\n",
                "m=audio " + ext105.rtp().port() + " RTP/AVP 0\r\n")).getStatusCode());
        String relayed = TestPhone.body(parked.awaitReceived("INVITE", 2, WAIT).orElseThrow());
        assertTrue(relayed.contains("c=IN IP4 " + ext105.address()) && !relayed.contains("127.0.0.72"),
                "105's re-INVITE reaches dave pointed at 105: " + relayed);
        retrieve.bye();
    }

    @Test
    void aRetrieverCannotPointTheCallersPhoneAtAThirdAddress() throws Exception {
        TestPhone dave = phone("dave");
        TestPhone ext105 = phone("105");
        Call parked = dave.call("sip:*68105@" + ACME);
        assertEquals(200, parked.status());
        Call retrieve = ext105.callWithSdp("sip:*88@" + ACME, sdp("c=IN IP4 127.0.0.70\r\n",
                "m=audio " + ext105.rtp().port() + " RTP/AVP 0\r\n"));
        assertEquals(200, retrieve.status());
        String join = TestPhone.body(parked.awaitReceived("INVITE", 1, WAIT).orElseThrow());
        assertTrue(join.contains("c=IN IP4 " + ext105.address()) && !join.contains("127.0.0.70"),
                "dave's phone is sent to 105's own address: " + join);
        retrieve.bye();
    }

    @Test
    void keyPressesCountOnlyFromTheCallersAddress() throws Exception {
        ApiClient operator = ApiClient.operator();
        String tenant = "/tenants/" + ACME;
        var set = operator.put(tenant, "{\"dtmfReturnKey\": \"9\"}");
        assertEquals(201, set.status(), set.body());
        try (io.callpark.testing.RtpCounter mallory = new io.callpark.testing.RtpCounter("127.0.0.69")) {
            TestPhone carol = phone("carol");
            TestPhone bob = phone("101");
            carol.followTransfers(true);
            Call parked = transferred(bob, carol, "*68103");
            String ours = parked.remoteSdp();
            InetSocketAddress music = new InetSocketAddress(
                    ours.replaceFirst("(?s).*c=IN IP4 ([0-9.]+).*", "$1"),
                    Integer.parseInt(ours.replaceFirst("(?s).*m=audio ([0-9]+) .*", "$1")));
            mallory.pressKey('9', music, 101);
            assertTrue(bob.awaitIncomingCall(java.time.Duration.ofSeconds(3)) == null,
                    "a key press from 127.0.0.69 is not carol's");
            carol.rtp().pressKey('9', music, 101);
            Call back = bob.awaitIncomingCall(WAIT);
            assertTrue(back != null, "carol's own press rings 101");
            assertTrue(parked.awaitReceived("INVITE", 1, WAIT).isPresent(), "carol is joined with 101");
            assertEquals(200, back.bye().getStatusCode());
        } finally {
            operator.delete(tenant);
        }
    }

    @Test
    void aLocalProcessOnKamailiosAddressCannotParkAsAnyone() throws Exception {
        try (ForgedSender mallory = new ForgedSender("127.0.0.1")) {
            String sdp = "v=0\r\no=m 1 1 IN IP4 127.0.0.66\r\ns=-\r\nc=IN IP4 127.0.0.66\r\nt=0 0\r\n"
                    + "m=audio 40066 RTP/AVP 0\r\n";
            String callId = "forged-invite-" + System.nanoTime();
            mallory.sendFrom(kamailio(), appNode(), "INVITE sip:*68103@" + ACME + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + mallory.viaSentBy() + ";branch=z9hG4bK-" + callId + "\r\n"
                    + "Record-Route: <sip:127.0.0.1:" + TestNetwork.kamailioPort() + ";lr>\r\n"
                    + "Max-Forwards: 69\r\n"
                    + "From: <sip:103@" + ACME + ">;tag=m1\r\n"
                    + "To: <sip:*68103@" + ACME + ">\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Contact: <sip:103@127.0.0.66:5099>\r\n"
                    + "P-Asserted-Identity: <sip:103@" + ACME + ">\r\n"
                    + "X-Callpark-Auth: " + FAKE_SEAL + ";id=103@" + ACME + ";src=127.0.0.66:5099\r\n"
                    + "Content-Type: application/sdp\r\n"
                    + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp);
            Optional<String> answer = mallory.awaitFinal(WAIT);
            assertTrue(answer.isPresent(), "no final answer to the forged INVITE");
            assertTrue(answer.get().startsWith("SIP/2.0 403 Forbidden: not sealed by the SIP proxy"),
                    answer.get().lines().findFirst().orElse(""));
            assertEquals(0, parkedAt("103"), "nothing parked on the forger's word");
        }
    }

    @Test
    void aForgedByeFromKamailiosAddressLeavesTheCallerParked() throws Exception {
        TestPhone carol = phone("carol");
        Call parked = carol.call("sip:*68103@" + ACME);
        assertEquals(200, parked.status());
        assertEquals(1, parkedAt("103"));
        String fromTag = ((javax.sip.header.FromHeader) parked.finalResponse().getHeader("From")).getTag();
        String toTag = ((javax.sip.header.ToHeader) parked.finalResponse().getHeader("To")).getTag();
        try (ForgedSender mallory = new ForgedSender("127.0.0.1")) {
            // the worst case: the attacker knows the Call-ID (it is in the logs) and even both tags
            mallory.sendFrom(kamailio(), appNode(), "BYE sip:park@127.0.0.1:" + TestNetwork.appSipPort()
                    + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + mallory.viaSentBy() + ";branch=z9hG4bK-forged-bye-" + System.nanoTime()
                    + "\r\n"
                    + "Max-Forwards: 69\r\n"
                    + "From: <sip:carol@" + ACME + ">;tag=" + fromTag + "\r\n"
                    + "To: <sip:*68103@" + ACME + ">;tag=" + toTag + "\r\n"
                    + "Call-ID: " + parked.callId + "\r\n"
                    + "CSeq: 99 BYE\r\n"
                    + "X-Callpark-Auth: " + FAKE_SEAL + ";src=127.0.0.66:5099\r\n"
                    + "Content-Length: 0\r\n\r\n");
            Optional<String> answer = mallory.awaitFinal(WAIT);
            assertTrue(answer.isPresent() && answer.get().startsWith("SIP/2.0 403"),
                    answer.map(a -> a.lines().findFirst().orElse("")).orElse("no answer"));
        }
        assertEquals(1, parkedAt("103"), "the caller is still parked");
        assertFalse(parked.isEnded(), "and was never hung up on");
        assertTrue(parked.received().isEmpty(), "nothing reached the caller");
        assertEquals(200, parked.bye().getStatusCode(), "the caller's own BYE still ends it");
    }
}
