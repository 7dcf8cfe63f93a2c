package io.callpark.flow;

import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import io.callpark.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.callpark.flow.FlowHarness.TENANT;
import static io.callpark.flow.FlowHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Store writes that fail half-way through a flow (as a replicated cache's time out): every INVITE still gets a final
 * answer, the caller ends on music or released, never held, and no media port or lane is left behind.
 */
class StoreFailureTest {

    private final FlowHarness node = new FlowHarness();

    StoreFailureTest() throws Exception {
    }

    @AfterEach
    void close() {
        node.close();
    }

    private ParkedCall stored(ParkedCall call) {
        return node.parks.callByParkId(TENANT, call.parkId()).orElseThrow();
    }

    private boolean waitsWithMusic(ParkedCall call) {
        Optional<ParkedCall> now = node.parks.callByParkId(TENANT, call.parkId());
        return now.isPresent() && now.get().state() == ParkState.PARKED && now.get().claimedBy() == null
                && node.music.playedIn("acme.test/" + call.extension()).contains(call.streamKey());
    }

    private void assertNothingLeaks(int streams) {
        assertTrue(Wait.until(() -> node.lanes.busy() == 0, seconds(5)), "every lane is free");
        assertEquals(streams, node.music.streamCount(), "no media port is left open");
    }

    @Test
    void aParkWhoseStoreWriteIsLostAnswersAndLeavesNothing() throws Exception {
        node.parked.failWrites(0, 1, false);
        node.receive(node.invite("c1", "carol", "*68103", "101"));
        FakeSip.Answer answer = node.sip.awaitAnswer("c1");
        assertEquals(503, answer.status(), "a final answer, and Kamailio tries the next node");
        assertEquals("Service Unavailable: the park store failed", answer.reason());
        assertTrue(node.parks.callsAt(TENANT, "103").isEmpty());
        assertTrue(node.parkIds.values().isEmpty(), "the park id is free again");
        assertNothingLeaks(0);
        node.park("c2", "103"); // and the next park works
    }

    @Test
    void aParkWhoseStoreWriteIsMadeButNotConfirmedIsUndone() throws Exception {
        node.parked.failWrites(0, 1, true);
        node.receive(node.invite("c1", "carol", "*68103", "101"));
        assertEquals(503, node.sip.awaitAnswer("c1").status());
        assertTrue(node.parks.callsAt(TENANT, "103").isEmpty(), "the call the write made is taken out again");
        assertTrue(node.parkIds.values().isEmpty());
        assertNothingLeaks(0);
    }

    @Test
    void aRetrieveWhoseStoreFailsAfterTheClaimAnswersAndTheCallWaitsAgain() throws Exception {
        ParkedCall call = node.park("caller", "103");
        node.parked.failWrites(1, 1, false); // the claim is written; the join's next write is not
        node.receive(node.invite("retriever", "102", "*88103", null));
        FakeSip.Answer answer = node.sip.awaitAnswer("retriever");
        assertEquals(500, answer.status());
        assertEquals("Server Internal Error: the park store failed, try again", answer.reason());
        assertTrue(Wait.until(() -> waitsWithMusic(call), seconds(5)), "PARKED with music, not JOINING: "
                + stored(call));
        assertNothingLeaks(1);

        node.receive(node.invite("retriever2", "102", "*88103", null)); // and it can be retrieved
        node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"), seconds(5))
                .answer(200, FlowHarness.sdp(42000));
        assertEquals(200, node.sip.awaitAnswer("retriever2").status());
    }

    @Test
    void aJoinWhoseBridgeCannotBeStoredPutsTheCallerBackOnMusic() throws Exception {
        ParkedCall call = node.park("caller", "103");
        node.bridgeTable.failWrites(0, 1, false);
        node.receive(node.invite("retriever", "102", "*88103", null));
        node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"), seconds(5))
                .answer(200, FlowHarness.sdp(42000)); // the caller now holds the retriever's media
        assertEquals(500, node.sip.awaitAnswer("retriever").status());
        FakeSip.Sent music = node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"),
                seconds(5));
        assertTrue(music.body().contains("m=audio " + stored(call).media().localPort()),
                "the caller is offered our music again: " + music.body());
        music.answer(200, FlowHarness.sdp(40000));
        assertTrue(Wait.until(() -> waitsWithMusic(call), seconds(5)), "waits again: " + stored(call));
        assertTrue(node.bridges.find(call.leg().localTag()).isEmpty(), "no bridge stands for it");
        assertNothingLeaks(1);
    }

    @Test
    void aClaimThatCouldNotBeGivenBackIsGivenUpByTheSweep() throws Exception {
        ParkedCall call = node.park("caller", "103");
        node.parked.failWrites(1, 2, false); // the claim is written; neither the join nor the give-back is
        node.receive(node.invite("retriever", "102", "*88103", null));
        assertEquals(500, node.sip.awaitAnswer("retriever").status());
        assertTrue(Wait.until(() -> node.parked.failed.get() == 2 && node.lanes.busy() == 0, seconds(5)));
        assertEquals(ParkState.JOINING, stored(call).state(), "held: no recall, no hang-up, no retrieve");

        for (int sweep = 0; sweep < StaleClaims.JOINING_SWEEPS; sweep++) {
            node.staleClaims.sweep();
        }
        node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"), seconds(5))
                .answer(200, FlowHarness.sdp(40000));
        assertTrue(Wait.until(() -> waitsWithMusic(call), seconds(5)), "waits again: " + stored(call));
        assertNothingLeaks(1);
    }

    @Test
    void aFreshClaimIsNotTakenByTheSweep() throws Exception {
        ParkedCall call = node.park("caller", "103");
        node.receive(node.invite("retriever", "102", "*88103", null));
        node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"), seconds(5));
        for (int sweep = 1; sweep < StaleClaims.JOINING_SWEEPS; sweep++) {
            node.staleClaims.sweep();
        }
        assertTrue(Wait.until(() -> node.lanes.busy() == 0, seconds(5)));
        assertEquals(ParkState.JOINING, stored(call).state(), "a join may last 202 s: not given up before");
        assertTrue(node.sip.sent.stream().noneMatch(s -> s.method().equals("INVITE") && s.callId().equals("caller")),
                "the caller gets no second INVITE while the join's is pending (RFC 3261 14.1)");
    }

    @Test
    void aRecallWhoseJoinCannotBeStoredReleasesThePhoneAndTheCallWaitsForTheNextAttempt() throws Exception {
        ParkedCall call = node.park("caller", "103");
        ParkedCall due = node.parks.modify(TENANT, "103", call.parkId(),
                c -> c.withRecall(new io.callpark.park.RecallState(System.currentTimeMillis(), 0, ""))).orElseThrow();
        node.recalls.schedule(due);
        FakeSip.Sent ring = node.sip.awaitSent(s -> s.method().equals("INVITE")
                && s.request().getRequestURI().toString().equals("sip:101@" + TENANT), seconds(5));
        node.awaitEvent(io.callpark.event.ParkEventType.RECALLING);
        node.parked.failWrites(0, 1, false); // the parker answers; the join's first write is lost
        ring.answer(200, FlowHarness.sdp(44000));
        node.sip.awaitSent(s -> s.method().equals("BYE") && s.callId().equals(ring.callId()), seconds(5));
        assertTrue(Wait.until(() -> waitsWithMusic(call), seconds(5)), "waits again: " + stored(call));
        assertTrue(Wait.until(() -> node.recalls.pending() == 1, seconds(5)), "its next recall attempt is due");
        assertNothingLeaks(1);
    }
}
