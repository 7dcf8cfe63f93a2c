package io.callpark.flow;

import io.callpark.event.ParkEvent;
import io.callpark.event.ParkEventType;
import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.callpark.flow.FlowHarness.TENANT;
import static io.callpark.flow.FlowHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the API may do to a parked call: hang it up, move it, ring a phone to take it. */
class CallControlTest {

    private final FlowHarness node = new FlowHarness();

    CallControlTest() throws Exception {
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void hangingUpSendsTheCallerAByeAndTellsEveryone() throws Exception {
        ParkedCall call = node.park("caller", "103");
        CallControl.Result result = node.calls.hangUp(TENANT, call.parkId());
        assertEquals(CallControl.Outcome.DONE, result.outcome());
        FakeSip.Sent bye = node.sip.awaitSent(s -> s.method().equals("BYE"), seconds(5));
        assertEquals("caller", bye.callId());
        assertEquals(call.parkId(), node.awaitEvent(ParkEventType.HUNG_UP).call().parkId());
        assertTrue(node.parks.callByParkId(TENANT, call.parkId()).isEmpty());
        assertEquals(CallControl.Outcome.NOT_FOUND, node.calls.hangUp(TENANT, call.parkId()).outcome());
    }

    @Test
    void aMovedCallKeepsItsParkIdAndPlaceInTime() throws Exception {
        ParkedCall call = node.park("caller", "103");
        CallControl.Result result = node.calls.move(TENANT, call.parkId(), "105");
        assertEquals(CallControl.Outcome.DONE, result.outcome());
        ParkEvent moved = node.awaitEvent(ParkEventType.MOVED);
        assertEquals("103", moved.movedFrom().orElseThrow().extension());
        ParkedCall now = node.parks.callByParkId(TENANT, call.parkId()).orElseThrow();
        assertEquals("105", now.extension());
        assertEquals(call.parkedAt(), now.parkedAt());
        assertTrue(node.music.has(call.streamKey()), "the music goes on");
    }

    @Test
    void aMoveToAFullExtensionChangesNothing() throws Exception {
        ParkedCall call = node.park("caller", "103");
        node.park("c2", "105");
        node.park("c3", "105");
        assertEquals(CallControl.Outcome.TARGET_FULL, node.calls.move(TENANT, call.parkId(), "105").outcome());
        assertEquals("103", node.parks.callByParkId(TENANT, call.parkId()).orElseThrow().extension());
    }

    @Test
    void oneClickRetrieveRingsThePhoneAndJoinsWhenItAnswers() throws Exception {
        ParkedCall call = node.park("caller", "103");
        assertEquals(CallControl.Outcome.DONE, node.calls.retrieveTo(TENANT, call.parkId(), "102", 20).outcome());
        FakeSip.Sent ring = node.sip.awaitSent(s -> s.method().equals("INVITE")
                && s.request().getRequestURI().toString().equals("sip:102@" + TENANT), seconds(5));
        assertEquals(ParkState.RINGING, node.parks.callByParkId(TENANT, call.parkId()).orElseThrow().state());
        assertTrue(ring.body().contains("m=audio 40000"), "the phone is offered the caller's media");
        ring.answer(200, FlowHarness.sdp(43000));
        FakeSip.Sent join = node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"),
                seconds(5));
        assertTrue(join.body().contains("m=audio 43000"), "the caller is offered the phone's media");
        join.answer(200, FlowHarness.sdp(40000));
        assertEquals("sip:102@" + TENANT, node.awaitEvent(ParkEventType.RETRIEVED).by().orElseThrow().uri());
        assertTrue(node.bridges.find(call.leg().localTag()).isPresent());
        assertEquals(0, node.callIndex.writes.get() + node.bridgeLegs.writes.get(), "no Call-ID index written");
    }
}
