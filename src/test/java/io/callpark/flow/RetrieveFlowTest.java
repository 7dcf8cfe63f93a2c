package io.callpark.flow;

import io.callpark.event.ParkEventType;
import io.callpark.park.Bridge;
import java.util.Optional;
import io.callpark.park.DialogLeg;
import io.callpark.park.DialogTag;
import io.callpark.park.ParkedCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.callpark.flow.FlowHarness.TENANT;
import static io.callpark.flow.FlowHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retrieve (*88ext): the caller is re-INVITEd with the retriever's media and the two become one call. */
class RetrieveFlowTest {

    private final FlowHarness node = new FlowHarness();

    RetrieveFlowTest() throws Exception {
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void eachPartySeesWhoItNowTalksTo() throws Exception {
        node.park("caller", "103");
        node.receive(node.invite("retriever", "102", "*88103", null));
        FakeSip.Sent join = node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"),
                seconds(5));
        assertEquals("P-Asserted-Identity: \"102\" <sip:102@" + TENANT + ">",
                join.request().getHeader("P-Asserted-Identity").toString().trim(),
                "the caller's re-INVITE names the retriever");
        join.answer(200, FlowHarness.sdp(42000));
        FakeSip.Answer ok = node.sip.awaitAnswer("retriever");
        assertEquals("\"carol\" <sip:carol@" + TENANT + ">", ok.headers().get("P-Asserted-Identity"),
                "the retriever's answer names the parked caller");
    }

    @Test
    void aBlindTransferByEitherPartyIsPassedOnWithWhoRefersWhomAsStored() throws Exception {
        node.park("caller", "103");
        node.receive(node.invite("retriever", "102", "*88103", null));
        node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"), seconds(5))
                .answer(200, FlowHarness.sdp(42000));
        FakeSip.Answer ok = node.sip.awaitAnswer("retriever");
        assertEquals(200, ok.status());

        var refer = node.inDialog(ok.leg(), "REFER", 2);
        refer.request().addHeader(new gov.nist.javax.sip.header.HeaderFactoryImpl().createHeader("Refer-To",
                "<sip:*68104@" + TENANT + ">"));
        refer.request().addHeader(new gov.nist.javax.sip.header.HeaderFactoryImpl().createHeader("Referred-By",
                "<sip:mallory@" + TENANT + ">")); // the phone's word, never believed
        node.receive(refer);
        FakeSip.Sent passedOn = node.sip.awaitSent(s -> s.method().equals("REFER") && s.callId().equals("caller"),
                seconds(5));
        assertEquals("<sip:*68104@" + TENANT + ">", passedOn.request().getHeader("Refer-To").toString()
                .substring("Refer-To:".length()).trim());
        assertEquals(java.util.Map.of("by", "102@" + TENANT, "for", "carol@" + TENANT),
                io.callpark.sip.ProxySeal.claims(passedOn.request()), "the proxy is told who refers whom");
        passedOn.answer(202, null);
        FakeSip.Answer accepted = node.sip.awaitAnswer("retriever", "REFER");
        assertEquals(202, accepted.status(), "the referrer gets the transferee's answer");

        var headers = new gov.nist.javax.sip.header.HeaderFactoryImpl();
        var progress = node.inDialog(node.bridges.find(bridgeOf(ok)).orElseThrow().parked(), "NOTIFY", 5);
        progress.request().addHeader(headers.createHeader("Event", "refer"));
        progress.request().addHeader(headers.createHeader("Subscription-State", "terminated;reason=noresource"));
        progress.request().setContent("SIP/2.0 200 OK\r\n", headers.createContentTypeHeader("message", "sipfrag"));
        node.receive(progress);
        assertEquals(200, node.sip.awaitAnswer("caller", "NOTIFY").status());
        FakeSip.Sent relayed = node.sip.awaitSent(s -> s.method().equals("NOTIFY") && s.callId().equals("retriever"),
                seconds(5));
        assertEquals("SIP/2.0 200 OK\r\n", relayed.body(), "the referrer learns how its transfer went");
        assertTrue(relayed.request().getHeader("Subscription-State").toString().contains("terminated"));
        assertEquals("Event: refer;id=2", relayed.request().getHeader("Event").toString().trim(),
                "under the id of the referrer's own REFER (its CSeq)");
    }

    @Test
    void theParkedCallersTransferNamesNoParkerAndItsOtherEventsReachNobody() throws Exception {
        node.park("caller", "103");
        node.receive(node.invite("retriever", "102", "*88103", null));
        node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"), seconds(5))
                .answer(200, FlowHarness.sdp(42000));
        FakeSip.Answer ok = node.sip.awaitAnswer("retriever");
        var callerLeg = node.bridges.find(bridgeOf(ok)).orElseThrow().parked();

        var nosy = node.inDialog(callerLeg, "NOTIFY", 4); // e.g. a caller from a trunk, before any transfer
        nosy.request().addHeader(node.sip.header("Event", "check-sync;reboot=true"));
        nosy.request().addHeader(node.sip.header("Subscription-State", "active"));
        node.receive(nosy);
        assertEquals(200, node.sip.awaitAnswer("caller", "NOTIFY").status());

        var refer = node.inDialog(callerLeg, "REFER", 5);
        refer.request().addHeader(node.sip.header("Refer-To", "<sip:*68104@" + TENANT + ">"));
        node.receive(refer);
        FakeSip.Sent passedOn = node.sip.awaitSent(s -> s.method().equals("REFER") && s.callId().equals("retriever"),
                seconds(5));
        assertEquals(java.util.Map.of(), io.callpark.sip.ProxySeal.claims(passedOn.request()),
                "the caller was never authenticated as who its From says: no parker is vouched for");
        assertTrue(node.sip.sent.stream().noneMatch(s -> s.method().equals("NOTIFY")),
                "the caller's own event reached nobody");
    }

    private static String bridgeOf(FakeSip.Answer ok) {
        return DialogTag.bridge(ok.leg().localTag()).orElseThrow();
    }

    @Test
    void theRetrieverTalksToTheCallerAndTheMusicStops() throws Exception {
        ParkedCall parked = node.park("caller", "103");
        node.receive(node.invite("retriever", "102", "*88103", null));

        FakeSip.Sent join = node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"),
                seconds(5));
        assertTrue(join.body().contains("m=audio 40000"), "the caller is offered the retriever's media");
        assertTrue(join.request().getRequestURI().toString().startsWith("sip:carol@127.0.0.5"),
                "sent to the caller's Contact");
        join.answer(200, FlowHarness.sdp(42000));

        FakeSip.Answer ok = node.sip.awaitAnswer("retriever");
        assertEquals(200, ok.status());
        assertTrue(ok.sdp().contains("m=audio 42000"), "the retriever gets the caller's media: " + ok.sdp());
        assertEquals("sip:102@" + TENANT, node.awaitEvent(ParkEventType.RETRIEVED).by().orElseThrow().uri());
        assertTrue(node.parks.callsAt(TENANT, "103").isEmpty(), "the call left the park");
        Bridge bridge = node.bridges.find(parked.leg().localTag()).orElseThrow();
        assertEquals("retriever", bridge.otherLeg("caller").callId());
        assertFalse(node.music.has(parked.streamKey()));
        assertTrue(node.sip.acks.stream().anyMatch(l -> l.callId().equals("caller")), "the caller's 200 is ACKed");
        assertEquals(Optional.of(bridge.id()), DialogTag.bridge(ok.leg().localTag()),
                "our tag in the retriever's dialog names the bridge");
        assertEquals(0, node.callIndex.writes.get() + node.bridgeLegs.writes.get(), "no Call-ID index written");

        node.receive(node.inDialog(ok.leg(), "BYE", 2)); // the retriever hangs up
        assertEquals(200, node.sip.awaitAnswer("retriever", "BYE").status());
        node.sip.awaitSent(s -> s.method().equals("BYE") && s.callId().equals("caller"), seconds(5));
        assertTrue(node.bridges.find(bridge.id()).isEmpty(), "the bridge is gone");
    }

    @Test
    void aByeWithTheRightCallIdOutsideTheDialogEndsNothing() throws Exception {
        node.park("caller", "103");
        node.receive(node.invite("retriever", "102", "*88103", null));
        node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"), seconds(5))
                .answer(200, FlowHarness.sdp(42000));
        FakeSip.Answer ok = node.sip.awaitAnswer("retriever");
        DialogLeg leg = ok.leg();
        DialogLeg forged = new DialogLeg(leg.callId(), leg.localTag(), "attacker", leg.localParty(), leg.remoteParty(),
                leg.remoteTarget(), leg.routeSet(), leg.localCseq(), leg.sdpSessionId(), leg.sdpVersion(), leg.remoteCseq());
        node.receive(node.inDialog(forged, "BYE", 2));
        assertEquals(481, node.sip.awaitAnswer("retriever", "BYE").status());
        assertTrue(node.bridges.byDialog("retriever", ok.leg().localTag(), ok.leg().remoteTag()).isPresent(),
                "the call goes on");
    }

    @Test
    void withNothingParkedTheRetrieveIsNotFound() throws Exception {
        node.receive(node.invite("retriever", "102", "*88103", null));
        FakeSip.Answer none = node.sip.awaitAnswer("retriever");
        assertEquals(404, none.status());
        assertEquals("Not Found: no call parked at 103", none.reason());
    }

    @Test
    void twoRetrievesOfOneCallJoinItOnce() throws Exception {
        node.park("caller", "103");
        node.receive(node.invite("r1", "102", "*88103", null));
        node.receive(node.invite("r2", "104", "*88103", null));
        FakeSip.Sent join = node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"),
                seconds(5));
        String winner = node.parks.callsAt(TENANT, "103").get(0).claimedBy();
        FakeSip.Answer refused = node.sip.awaitAnswer(winner.equals("r1") ? "r2" : "r1");
        assertEquals(404, refused.status(), "the other retrieve finds nothing to take");
        join.answer(200, FlowHarness.sdp(42000));
        assertEquals(200, node.sip.awaitAnswer(winner).status());
        assertEquals(0, node.sip.sent.stream().filter(s -> s.callId().equals("caller")).count(),
                "the caller was re-INVITEd once");
    }

    @Test
    void aCallerWhoRefusesTheJoinKeepsWaiting() throws Exception {
        node.park("caller", "103");
        node.receive(node.invite("retriever", "102", "*88103", null));
        FakeSip.Sent join = node.sip.awaitSent(s -> s.method().equals("INVITE"), seconds(5));
        join.answer(488, null);
        FakeSip.Answer refused = node.sip.awaitAnswer("retriever");
        assertEquals(480, refused.status());
        assertEquals(1, node.parks.callsAt(TENANT, "103").size());
        assertEquals(io.callpark.park.ParkState.PARKED, node.parks.callsAt(TENANT, "103").get(0).state(),
                "the claim is given up: it may be retrieved again");
    }
}
