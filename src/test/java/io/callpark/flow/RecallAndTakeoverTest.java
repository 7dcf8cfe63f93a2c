package io.callpark.flow;

import static org.junit.jupiter.api.Assertions.assertFalse;

import javax.sip.message.Response;

import java.util.List;
import io.callpark.event.ParkEventType;
import io.callpark.park.MediaBinding;
import io.callpark.park.ParkedCall;
import io.callpark.park.RecallState;
import io.callpark.sip.SipHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.callpark.flow.FlowHarness.TENANT;
import static io.callpark.flow.FlowHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A call nobody retrieves rings its parker; a call whose node is gone is adopted here. */
class RecallAndTakeoverTest {

    private final FlowHarness node = new FlowHarness();

    RecallAndTakeoverTest() throws Exception {
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void aDueRecallRingsTheParkerWithARecallRingAndJoinsWhoAnswers() throws Exception {
        ParkedCall call = node.park("caller", "103");
        ParkedCall due = node.parks.modify(TENANT, "103", call.parkId(),
                c -> c.withRecall(new RecallState(System.currentTimeMillis(), 0, ""))).orElseThrow();
        node.recalls.schedule(due);
        FakeSip.Sent ring = node.sip.awaitSent(s -> s.method().equals("INVITE")
                && s.request().getRequestURI().toString().equals("sip:101@" + TENANT), seconds(5));
        assertEquals("<urn:alert:service:recall:transfer>", ring.request().getHeader("Alert-Info").toString()
                .replaceFirst("^Alert-Info: *", "").trim());
        assertTrue(SipHeaders.from(ring.request()).getAddress().toString().startsWith("\"Park recall: carol\""),
                SipHeaders.from(ring.request()).getAddress().toString());
        node.awaitEvent(ParkEventType.RECALLING);
        ring.answer(200, FlowHarness.sdp(44000));
        node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"), seconds(5))
                .answer(200, FlowHarness.sdp(40000));
        assertEquals("sip:101@" + TENANT, node.awaitEvent(ParkEventType.RECALLED).by().orElseThrow().uri());
    }

    @Test
    void aRecallTimerGoesWhenItsCallLeaves() throws Exception {
        ParkedCall call = node.park("caller", "103");
        node.recalls.schedule(call);
        assertEquals(1, node.recalls.pending());
        node.receive(node.inDialog(node.parks.callByParkId(TENANT, call.parkId()).orElseThrow().leg(), "BYE", 2));
        node.awaitEvent(ParkEventType.ABANDONED);
        assertEquals(0, node.recalls.pending(), "no timer is left behind for a call that is gone");
    }

    @Test
    void aCallWhoseNodeIsGoneIsAdoptedAndItsCallerReInvitedOnce() throws Exception {
        ParkedCall call = node.park("caller", "103");
        orphan(call);
        node.takeover.adoptAll();
        node.takeover.adoptAll(); // a second trigger (the view change and a queue change) adopts nothing more
        FakeSip.Sent reInvite = node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"),
                seconds(5));
        ParkedCall adopted = node.parks.callByParkId(TENANT, call.parkId()).orElseThrow();
        assertEquals(FlowHarness.NODE, adopted.media().node());
        assertTrue(reInvite.body().contains("m=audio " + adopted.media().localPort()),
                "the caller is offered this node's music");
        assertTrue(adopted.leg().localCseq() > call.leg().localCseq(), "CSeq goes on in the caller's dialog");
        reInvite.answer(200, FlowHarness.sdp(40000));
        assertTrue(io.callpark.testing.Wait.until(() -> node.music.playedIn("acme.test/103").contains(
                call.streamKey()), seconds(5)), "the music plays from here");
        assertEquals(0, node.sip.sent.stream().filter(s -> s.callId().equals("caller")
                && s.method().equals("INVITE")).count(), "one re-INVITE");
    }

    @Test
    void restoredCallsWhoseCallersHaveNotAnsweredNeverMakeALiveParkFail() throws Exception {
        ParkedCall first = node.park("gone1", "103");
        ParkedCall second = node.park("gone2", "103");
        orphan(first); // 103 is full (2), and its node died with both
        orphan(second);
        node.takeover.adoptAll();
        FakeSip.Sent reInvite = node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("gone1"),
                seconds(5));
        node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("gone2"), seconds(5));
        assertTrue(node.parks.callsAt(TENANT, "103").stream().allMatch(ParkedCall::awaitingCaller));

        node.receive(node.invite("live", "carol", "*68103", "101"));
        assertEquals(200, node.sip.awaitAnswer("live").status(), "the callers re-INVITEd may be gone: no place held");
        assertEquals(3, node.parks.callsAt(TENANT, "103").size());

        reInvite.answer(200, FlowHarness.sdp(40000));
        assertTrue(io.callpark.testing.Wait.until(() -> node.parks.callByParkId(TENANT, first.parkId())
                .map(c -> !c.awaitingCaller()).orElse(false), seconds(5)), "an answer: the caller is there");
        node.receive(node.invite("late", "dave", "*68103", "101"));
        assertEquals(486, node.sip.awaitAnswer("late").status(), "the caller heard from and the live one: 2, full");
    }

    private FakeSip.Sent dueRecallRing(ParkedCall call) throws Exception {
        ParkedCall due = node.parks.modify(TENANT, call.extension(), call.parkId(),
                c -> c.withRecall(new RecallState(System.currentTimeMillis(), 0, ""))).orElseThrow();
        node.recalls.schedule(due);
        return node.sip.awaitSent(s -> s.method().equals("INVITE")
                && s.request().getRequestURI().toString().equals("sip:101@" + TENANT), seconds(5));
    }

    @Test
    void theCallerIsJoinedWithTheAddressTheAnsweringPhoneAnsweredFromNotOneItsSdpNames() throws Exception {
        ParkedCall call = node.park("caller", "103");
        FakeSip.Sent ring = dueRecallRing(call);
        // the parker's phone (answering from 127.0.0.7) names a victim's address for the caller's RTP
        ring.answerFrom("127.0.0.7", 200, FlowHarness.sdp(44000).replace("127.0.0.5", "127.0.0.66"));
        FakeSip.Sent join = node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"),
                seconds(5));
        assertTrue(join.body().contains("c=IN IP4 127.0.0.7"), "pointed at the phone: " + join.body());
        assertFalse(join.body().contains("127.0.0.66"), "never at the address it named: " + join.body());
    }

    @Test
    void anAnswerNoProxyVouchesForIsNotOfferedToTheCaller() throws Exception {
        ParkedCall call = node.park("caller", "103");
        FakeSip.Sent ring = dueRecallRing(call);
        Response unsealed = new gov.nist.javax.sip.message.MessageFactoryImpl().createResponse(200, ring.request());
        SipHeaders.to(unsealed).setTag("phone-1");
        unsealed.setContent(FlowHarness.sdp(44000), new gov.nist.javax.sip.header.HeaderFactoryImpl()
                .createContentTypeHeader("application", "sdp"));
        ring.outcome().complete(unsealed);
        node.sip.awaitSent(s -> s.method().equals("BYE") && s.callId().equals(ring.callId()), seconds(5));
        assertTrue(io.callpark.testing.Wait.until(() -> node.parks.callByParkId(TENANT, call.parkId())
                .map(c -> c.claimedBy() == null).orElse(false), seconds(5)), "the call waits again");
        assertTrue(node.sip.sent.stream().noneMatch(s -> s.method().equals("INVITE") && s.callId().equals("caller")),
                "the caller was never re-INVITEd");
    }

    /** As if node2 had parked the call and died: its music plays nowhere. */
    private void orphan(ParkedCall call) {
        node.music.close(call.streamKey());
        MediaBinding theirs = call.media();
        node.parks.modify(TENANT, call.extension(), call.parkId(), c -> c.withMedia(new MediaBinding("node2",
                theirs.localPort(), theirs.remoteHost(), theirs.remotePort(), theirs.codecs(),
                theirs.telephoneEvent(), theirs.callerSends())));
    }
}
