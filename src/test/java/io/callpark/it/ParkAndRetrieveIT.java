package io.callpark.it;

import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sip.message.Request;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviours 1-5 of issue 2, through a real Kamailio with JAIN-SIP phones. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ParkAndRetrieveIT extends PhonesOnTestNetwork {

    @Test
    void blindTransferParksWithMusicAndNotifiesEveryDevice() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone bob = phone("101");
        TestPhone desk103 = phone("103");
        TestPhone mobile103 = phone("103");

        Call talk = carol.call(bob.aor());
        assertEquals(200, talk.status(), "carol reaches 101");
        Call bobSide = bob.awaitIncomingCall(WAIT);
        assertNotNull(bobSide);

        assertEquals(202, bobSide.refer("sip:*68103@" + ACME).getStatusCode(), "REFER accepted by carol");
        Call parked = carol.awaitTransferredCall(WAIT);
        assertNotNull(parked, "carol followed the transfer");
        assertEquals(200, parked.status(), "park answered");
        String sdp = parked.remoteSdp();
        assertTrue(sdp.contains("RTP/AVP 0 8 101"), "answer offers PCMU, PCMA, telephone-event: " + sdp);
        assertTrue(sdp.contains("telephone-event/8000"), sdp);
        bobSide.bye();

        assertTrue(carol.rtp().awaitMore(25, WAIT), "music on hold reaches carol's RTP port");
        assertEquals(0, carol.rtp().lastPayloadType(), "PCMU, the first codec carol offered");
        assertEquals(160, carol.rtp().lastPayloadSize(), "20 ms of G.711 per packet");

        for (TestPhone device : List.of(desk103, mobile103)) {
            Request notify = device.awaitNotify(b -> b.contains("state=\"parked\""), WAIT)
                    .orElseThrow(() -> new AssertionError("no park-info NOTIFY on a device of 103"));
            assertEquals("park-info", ((javax.sip.header.EventHeader) notify.getHeader("Event")).getEventType());
            String body = TestPhone.body(notify);
            assertTrue(body.contains("extension=\"103\""), body);
            assertTrue(body.contains(">sip:101@acme.test</parker>"), body);
            assertTrue(body.contains(">sip:carol@acme.test</parked>"), body);
            assertTrue(body.contains("display=\"CAROL\""), body);
            assertTrue(body.matches("(?s).*<retrieve>sip:\\*88\\*[0-9]{6}@acme.test</retrieve>.*"), body);
            assertTrue(body.contains("parked-at=\""), body);
        }

        Call retrieve = desk103.call("sip:*88@" + ACME);
        assertEquals(200, retrieve.status(), "*88 retrieves the call parked at 103");
        assertTrue(retrieve.remoteSdp().contains("m=audio " + carol.rtp().port()),
                "retriever gets carol's media address: " + retrieve.remoteSdp());
        assertTrue(carol.rtp().awaitSilence(Duration.ofMillis(500), WAIT), "music stops after retrieval");
        Request reInvite = parked.received().stream().filter(r -> r.getMethod().equals("INVITE")).findFirst()
                .orElseThrow(() -> new AssertionError("carol got no re-INVITE"));
        assertTrue(TestPhone.body(reInvite).contains("m=audio " + desk103.rtp().port()),
                "carol is re-INVITEd with 103's media address");
        for (TestPhone device : List.of(desk103, mobile103)) {
            assertTrue(device.awaitNotify(b -> b.contains("state=\"retrieved\""), WAIT).isPresent(),
                    "devices are told the call left the park");
        }

        assertEquals(200, retrieve.bye().getStatusCode());
        assertTrue(parked.awaitEnded(WAIT), "BYE from the retriever ends carol's leg too");
    }

    @Test
    void starSixtyEightAloneParksAtTheParkersOwnExtension() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone bob = phone("104");
        Call talk = carol.call(bob.aor());
        Call bobSide = bob.awaitIncomingCall(WAIT);
        assertEquals(200, talk.status());
        bobSide.refer("sip:*68@" + ACME);
        Call parked = carol.awaitTransferredCall(WAIT);
        assertEquals(200, parked.status());
        bobSide.bye();
        Request notify = bob.awaitNotify(b -> b.contains("state=\"parked\""), WAIT)
                .orElseThrow(() -> new AssertionError("104 not told"));
        assertTrue(TestPhone.body(notify).contains("extension=\"104\""));

        Call retrieve = bob.call("sip:*88@" + ACME);
        assertEquals(200, retrieve.status(), "104 gets back its own parked call with plain *88");
        retrieve.bye();
        assertTrue(parked.awaitEnded(WAIT));
    }

    @Test
    void featureCodeWithoutReferredByParksTheCallerItself() throws Exception {
        TestPhone dave = phone("dave");
        TestPhone ext105 = phone("105");
        Call parked = dave.call("sip:*68105@" + ACME);
        assertEquals(200, parked.status());
        assertTrue(dave.rtp().awaitMore(10, WAIT), "dave hears music");
        String body = TestPhone.body(ext105.awaitNotify(b -> b.contains("state=\"parked\""), WAIT)
                .orElseThrow(() -> new AssertionError("105 not told")));
        assertTrue(body.contains(">sip:dave@acme.test</parker>"), body);
        assertTrue(body.contains(">sip:dave@acme.test</parked>"), body);

        Optional<String> retrieveUri = Optional.of(body.replaceAll("(?s).*<retrieve>(.*)</retrieve>.*", "$1"));
        TestPhone other = phone("102");
        Call retrieve = other.call(retrieveUri.get());
        assertEquals(200, retrieve.status(), "the retrieve URI from the NOTIFY fetches this call");
        assertTrue(ext105.awaitNotify(b -> b.contains("state=\"retrieved\""), WAIT).isPresent());
        parked.bye();
        assertTrue(retrieve.awaitEnded(WAIT), "BYE from the parked side ends the retriever's leg");
    }
}
