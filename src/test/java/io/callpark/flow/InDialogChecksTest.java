package io.callpark.flow;

import io.callpark.event.ParkEventType;
import io.callpark.park.DialogLeg;
import io.callpark.park.ParkedCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.callpark.flow.FlowHarness.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 3261 12.2.2 on a parked caller's dialog: both tags, and CSeq order. */
class InDialogChecksTest {

    private final FlowHarness node = new FlowHarness();

    InDialogChecksTest() throws Exception {
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void aRequestOlderThanOneThePartySentIsRefusedAndChangesNothing() throws Exception {
        ParkedCall parked = node.park("caller", "103");
        DialogLeg leg = parked.leg();
        node.receive(node.inDialog(leg, "INVITE", 5)); // the caller refreshes the session
        assertEquals(200, node.sip.awaitAnswer("caller", "INVITE").status());

        node.receive(node.inDialog(leg, "BYE", 3)); // a BYE from before it: a replay, or a stray
        FakeSip.Answer stale = node.sip.awaitAnswer("caller", "BYE");
        assertEquals(500, stale.status());
        assertEquals(1, node.parks.callsAt(TENANT, "103").size(), "still parked");

        node.receive(node.inDialog(leg, "BYE", 6));
        assertEquals(200, node.sip.awaitAnswer("caller", "BYE").status(), "the caller's next BYE ends it");
        assertEquals(parked.parkId(), node.awaitEvent(ParkEventType.ABANDONED).call().parkId());
    }

    @Test
    void aByeWithoutTheCallersTagIsNotTheCallers() throws Exception {
        ParkedCall parked = node.park("caller", "103");
        DialogLeg leg = parked.leg();
        DialogLeg forged = new DialogLeg(leg.callId(), leg.localTag(), "guessed", leg.localParty(),
                leg.remoteParty(), leg.remoteTarget(), leg.routeSet(), leg.localCseq(), leg.sdpSessionId(),
                leg.sdpVersion(), leg.remoteCseq());
        node.receive(node.inDialog(forged, "BYE", 9));
        assertEquals(481, node.sip.awaitAnswer("caller", "BYE").status());
        assertEquals(1, node.parks.callsAt(TENANT, "103").size(), "still parked");
    }
}
