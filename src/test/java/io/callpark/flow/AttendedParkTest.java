package io.callpark.flow;

import io.callpark.event.ParkEventType;
import io.callpark.park.ParkedCall;
import io.callpark.sip.InboundRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.callpark.flow.FlowHarness.TENANT;
import static io.callpark.flow.FlowHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Park by attended transfer (RFC 3891 Replaces) on fakes of the store and the SIP edge. */
class AttendedParkTest {

    private final FlowHarness node = new FlowHarness();

    AttendedParkTest() throws Exception {
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void theCallersInviteWithReplacesTakesTheParkersPlaceSlotAndParkerAlike() throws Exception {
        ParkedCall placeholder = parkerDials("p1", "101", "*68103");
        node.receive(replacing("c1", "carol", placeholder, "101"));
        FakeSip.Answer ok = node.sip.awaitAnswer("c1");
        assertEquals(200, ok.status(), ok.reason());
        ParkedCall parked = node.awaitEvent(ParkEventType.PARKED).call();
        assertEquals("103", parked.extension());
        assertEquals("sip:carol@" + TENANT, parked.parked().uri());
        assertEquals("sip:101@" + TENANT, parked.parker().uri());
        node.sip.awaitSent(s -> s.method().equals("BYE") && s.callId().equals("p1"), seconds(5));
        assertEquals(1, node.parks.callsAt(TENANT, "103").size(), "the parker's own call is gone");
        assertTrue(node.events.stream().noneMatch(e -> e.type() == ParkEventType.ABANDONED),
                "the parker's call left without telling anyone: the caller's park is what is told");
    }

    @Test
    void aParkerWhoHangsUpInsteadParksNothing() throws Exception {
        ParkedCall placeholder = parkerDials("p1", "101", "*68103");
        node.receive(node.inDialog(placeholder.leg(), "BYE", 2));
        node.awaitEvent(ParkEventType.ABANDONED);
        assertTrue(node.parks.callsAt(TENANT, "103").isEmpty());
    }

    @Test
    void replacesIsRefusedUnlessItNamesAParkersOwnCallOnThatParkersWord() throws Exception {
        ParkedCall waiting = node.park("w1", "104"); // carol, transferred by 101: a caller, not a parker's call
        node.receive(replacing("steal", "dave", waiting, null));
        assertEquals("Forbidden: only a parker's own call is replaced", node.sip.awaitAnswer("steal").reason());

        ParkedCall placeholder = parkerDials("p1", "101", "*68103");
        node.receive(replacing("other", "dave", placeholder, "102"));
        assertEquals("Forbidden: the transfer is not the parker's", node.sip.awaitAnswer("other").reason());

        InboundRequest unknown = node.invite("nothing", "dave", "*68103", "101");
        unknown.request().addHeader(node.sip.header("Replaces", "no-such-call;to-tag=a;from-tag=b"));
        node.receive(unknown);
        assertEquals(481, node.sip.awaitAnswer("nothing").status());
        assertEquals(2, node.parks.ofTenant(TENANT, java.util.Optional.empty()).size(), "nothing was replaced");
    }

    @Test
    void aReplaceThatCannotParkLeavesTheParkersCallWaiting() throws Exception {
        try (FlowHarness full = new FlowHarness(1, java.time.Duration.ZERO)) {
            full.receive(full.invite("p1", "101", "*68103", null));
            assertEquals(200, full.sip.awaitAnswer("p1").status());
            ParkedCall placeholder = full.awaitEvent(ParkEventType.PARKED).call();
            InboundRequest in = full.invite("c1", "carol", "*68103", "101");
            in.request().addHeader(full.sip.header("Replaces", placeholder.leg().callId() + ";to-tag="
                    + placeholder.leg().localTag() + ";from-tag=" + placeholder.leg().remoteTag()));
            full.receive(in);
            assertEquals(503, full.sip.awaitAnswer("c1").status(), "this node's media is full");
            assertEquals(java.util.List.of(placeholder.parkId()), full.parks.callsAt(TENANT, "103").stream()
                    .map(ParkedCall::parkId).toList(), "the parker's call still waits: another node may take it");
            assertTrue(full.sip.sent.stream().noneMatch(s -> s.method().equals("BYE")), "nobody got a BYE");
        }
    }

    /** {@code user} dials {@code code} itself: its own call waits there, hearing where. */
    private ParkedCall parkerDials(String callId, String user, String code) throws Exception {
        node.receive(node.invite(callId, user, code, null));
        assertEquals(200, node.sip.awaitAnswer(callId).status());
        return node.awaitEvent(ParkEventType.PARKED).call();
    }

    /** The transferred caller's INVITE with Replaces naming {@code call}'s dialog, sent by {@code referrer}'s REFER. */
    private InboundRequest replacing(String callId, String user, ParkedCall call, String referrer) throws Exception {
        InboundRequest in = node.invite(callId, user, "*68103", referrer);
        in.request().addHeader(node.sip.header("Replaces", call.leg().callId() + ";to-tag=" + call.leg().localTag()
                + ";from-tag=" + call.leg().remoteTag()));
        in.request().addHeader(node.sip.header("Require", "replaces"));
        return in;
    }
}
