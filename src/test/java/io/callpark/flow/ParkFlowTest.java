package io.callpark.flow;

import io.callpark.event.ParkEvent;
import io.callpark.event.ParkEventType;
import io.callpark.park.ParkedCall;
import io.callpark.tenant.Group;
import io.callpark.tenant.TenantSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.callpark.flow.FlowHarness.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Park (*68, *68ext, *58) on fakes of the store and the SIP edge. */
class ParkFlowTest {

    private final FlowHarness node = new FlowHarness();

    ParkFlowTest() throws Exception {
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void aTransferredCallerWaitsAtTheExtensionWithMusicAndTheParkerIsTheReferrer() throws Exception {
        node.receive(node.invite("c1", "carol", "*68103", "101"));
        FakeSip.Answer ok = node.sip.awaitAnswer("c1");
        assertEquals(200, ok.status());
        assertTrue(ok.sdp().contains("m=audio "), "the caller gets our music's SDP: " + ok.sdp());
        ParkEvent parked = node.awaitEvent(ParkEventType.PARKED);
        ParkedCall call = parked.call();
        assertEquals("103", call.extension());
        assertEquals("sip:101@" + TENANT, call.parker().uri());
        assertEquals("sip:carol@" + TENANT, call.parked().uri());
        assertEquals(List.of(call), node.parks.callsAt(TENANT, "103"));
        assertTrue(node.music.has(call.streamKey()));
        assertEquals(FlowHarness.NODE, call.media().node());
    }

    @Test
    void starSixtyEightAloneParksAtTheParkersOwnExtension() throws Exception {
        node.receive(node.invite("c1", "carol", "*68", "104"));
        assertEquals(200, node.sip.awaitAnswer("c1").status());
        assertEquals("104", node.awaitEvent(ParkEventType.PARKED).call().extension());
    }

    @Test
    void pastTheLimitTheParkIsRefusedWithAReason() throws Exception {
        for (String id : List.of("c1", "c2")) {
            node.receive(node.invite(id, "carol" + id, "*68103", "101"));
            assertEquals(200, node.sip.awaitAnswer(id).status());
        }
        node.receive(node.invite("c3", "dave", "*68103", "101"));
        FakeSip.Answer busy = node.sip.awaitAnswer("c3");
        assertEquals(486, busy.status());
        assertEquals("Busy Here: 2 calls already parked at 103", busy.reason());
        assertEquals(2, node.parks.callsAt(TENANT, "103").size());
    }

    @Test
    void aUserPastTheirLimitIsRefusedWhereverTheyPark() throws Exception {
        limitTenant(100, 2, 500);
        node.receive(node.invite("c1", "carol", "*68103", "101"));
        node.receive(node.invite("c2", "dave", "*68104", "101"));
        node.receive(node.invite("c3", "eve", "*68105", "102"));
        for (String id : List.of("c1", "c2", "c3")) {
            assertEquals(200, node.sip.awaitAnswer(id).status(), id);
        }
        node.receive(node.invite("c4", "fred", "*68106", "101"));
        FakeSip.Answer busy = node.sip.awaitAnswer("c4");
        assertEquals(486, busy.status());
        assertEquals("Busy Here: too many calls parked", busy.reason(), "no user's name to the caller");
        assertTrue(node.parks.callsAt(TENANT, "106").isEmpty());
        assertEquals(3, node.music.streamCount(), "the refused call got no media port");
    }

    @Test
    void aTenantPastItsLimitIsRefused() throws Exception {
        limitTenant(100, 50, 2);
        node.receive(node.invite("c1", "carol", "*68103", "101"));
        node.receive(node.invite("c2", "dave", "*68104", "102"));
        for (String id : List.of("c1", "c2")) {
            assertEquals(200, node.sip.awaitAnswer(id).status(), id);
        }
        node.receive(node.invite("c3", "eve", "*68105", "103"));
        FakeSip.Answer busy = node.sip.awaitAnswer("c3");
        assertEquals(486, busy.status());
        assertEquals("Busy Here: too many calls parked", busy.reason());
        assertEquals(2, node.parks.ofTenant(TENANT, java.util.Optional.empty()).size());
    }

    @Test
    void aNodeAtItsMediaCapacitySendsTheParkElsewhereWithRetryAfter() throws Exception {
        try (FlowHarness small = new FlowHarness(1, java.time.Duration.ZERO)) {
            small.receive(small.invite("c1", "carol", "*68103", "101"));
            assertEquals(200, small.sip.awaitAnswer("c1").status());
            small.receive(small.invite("c2", "dave", "*68104", "102"));
            FakeSip.Answer full = small.sip.awaitAnswer("c2");
            assertEquals(503, full.status(), "a 5xx: Kamailio tries the next node");
            assertEquals("Service Unavailable: this node's media capacity is reached", full.reason());
            assertEquals(30, full.retryAfter());
            assertTrue(small.parks.callsAt(TENANT, "104").isEmpty());
            assertEquals(1, small.music.streamCount());
        }
    }

    @Test
    void anInviteOfACallParkedAlreadyGetsAFinalAnswerUnlessItIsTheSameInviteAgain() throws Exception {
        node.receive(node.invite("c1", "carol", "*68103", "101"));
        assertEquals(200, node.sip.awaitAnswer("c1").status());
        node.receive(node.invite("c1", "carol", "*68103", "101")); // its retransmission: our 200 answers it
        node.receive(anotherCseq(node.invite("c1", "carol", "*68103", "101"))); // another INVITE of that call
        FakeSip.Answer refused = node.sip.awaitAnswer("c1");
        assertEquals(500, refused.status(), "another INVITE with that Call-ID is answered");
        assertEquals("Server Internal Error: this call is parked already", refused.reason());
        assertEquals(1, node.parks.callsAt(TENANT, "103").size());
        assertTrue(io.callpark.testing.Wait.until(() -> node.lanes.busy() == 0, FlowHarness.seconds(5)));
        assertTrue(node.sip.answers.isEmpty(), "the retransmission got none: " + node.sip.answers);
        assertEquals(1, node.music.streamCount(), "and no stream of its own");
    }

    private static io.callpark.sip.InboundRequest anotherCseq(io.callpark.sip.InboundRequest in) throws Exception {
        ((javax.sip.header.CSeqHeader) in.request().getHeader("CSeq")).setSeqNumber(7);
        FakeSip.PROXY.seal(in.request(), io.callpark.sip.ProxySeal.claims(in.request()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(";")));
        return in;
    }

    private void limitTenant(int perExtension, int perUser, int perTenant) {
        TenantSettings defaults = node.tenants.defaults();
        assertTrue(node.tenants.create(TENANT, new TenantSettings(defaults.recallTime(),
                defaults.recallDestination(), "", defaults.ringGroupWait(), defaults.retryInterval(),
                defaults.recallRingTime(), defaults.recallAttempts(), "", perExtension, "", defaults.featureCodes(),
                "", perUser, perTenant)));
    }

    @Test
    void groupParkWaitsAtTheGroupsFirstAvailableMemberAndTellsEveryMember() throws Exception {
        node.parkGroups.create(TENANT, new Group("sales", List.of("201", "202", "101"), null));
        node.receive(node.invite("c1", "carol", "*58", "101"));
        assertEquals(200, node.sip.awaitAnswer("c1").status());
        ParkedCall call = node.awaitEvent(ParkEventType.PARKED).call();
        assertEquals("201", call.extension());
        assertEquals(List.of("sip:201@acme.test", "sip:202@acme.test", "sip:101@acme.test"), call.notifyTargets());
        assertEquals("sales", call.recall().group());
    }

    @Test
    void groupParkOutsideAnyGroupIsForbidden() throws Exception {
        node.receive(node.invite("c1", "carol", "*58", "101"));
        FakeSip.Answer refused = node.sip.awaitAnswer("c1");
        assertEquals(403, refused.status());
        assertTrue(refused.reason().contains("in no park group"), refused.reason());
    }

    @Test
    void theCallerHangingUpLeavesThePark() throws Exception {
        node.receive(node.invite("c1", "carol", "*68103", "101"));
        FakeSip.Answer ok = node.sip.awaitAnswer("c1");
        ParkedCall call = node.awaitEvent(ParkEventType.PARKED).call();
        node.receive(node.inDialog(ok.leg(), "BYE", 2));
        assertEquals(200, node.sip.awaitAnswer("c1").status());
        assertEquals(call.parkId(), node.awaitEvent(ParkEventType.ABANDONED).call().parkId());
        assertTrue(node.parks.callsAt(TENANT, "103").isEmpty());
        assertTrue(!node.music.has(call.streamKey()), "the music stops");
    }
}
