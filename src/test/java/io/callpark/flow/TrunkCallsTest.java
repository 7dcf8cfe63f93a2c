package io.callpark.flow;

import io.callpark.event.ParkEventType;
import io.callpark.park.ParkedCall;
import io.callpark.sip.InboundRequest;
import io.callpark.tenant.Group;
import io.callpark.tenant.ParkingLot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.callpark.flow.FlowHarness.TENANT;
import static io.callpark.flow.FlowHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls from a trusted trunk (a carrier, an SBC) on fakes of the store and the SIP edge: Kamailio seals them with
 * {@code trunk=<tenant>} and no {@code id}. The caller parks when a user's REFER sent it and takes a parker's place in
 * an attended transfer; it is no user of the tenant, whatever its From says.
 */
class TrunkCallsTest {

    private final FlowHarness node = new FlowHarness();

    TrunkCallsTest() throws Exception {
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void aTrunkCallerReferredByAUserParksWithThatUserAsTheParker() throws Exception {
        node.receive(node.trunkInvite("t1", "+15551234@carrier.test", TENANT, "*68103", "101"));
        FakeSip.Answer ok = node.sip.awaitAnswer("t1");
        assertEquals(200, ok.status(), ok.reason());
        ParkedCall call = node.awaitEvent(ParkEventType.PARKED).call();
        assertEquals("103", call.extension());
        assertEquals("sip:101@" + TENANT, call.parker().uri());
        assertEquals("sip:+15551234@carrier.test", call.parked().uri(), "the carrier's From is the parked party");
        assertEquals("Carrier", call.parked().displayName());
    }

    @Test
    void aTrunkCallerParksNobodyOnItsOwnEvenWhenItsFromNamesAUser() throws Exception {
        node.receive(node.trunkInvite("t1", "101@" + TENANT, TENANT, "*68103", null));
        assertEquals("Forbidden: not your tenant", node.sip.awaitAnswer("t1").reason());
        node.parkGroups.create(TENANT, new Group("sales", List.of("101", "103"), null));
        node.receive(node.trunkInvite("t2", "101@" + TENANT, TENANT, "*58", null));
        assertEquals(403, node.sip.awaitAnswer("t2").status(), "no group park for a trunk");
        assertTrue(node.parks.ofTenant(TENANT, Optional.empty()).isEmpty());
    }

    @Test
    void aTrunkCallerNeverRetrievesEvenWhenItsFromNamesTheExtension() throws Exception {
        ParkedCall waiting = node.park("caller", "103");
        for (String code : List.of("*88103", "*88", "*88*" + waiting.parkId())) {
            node.receive(node.trunkInvite("t" + code, "103@" + TENANT, TENANT, code, null));
            FakeSip.Answer refused = node.sip.awaitAnswer("t" + code);
            assertEquals(403, refused.status(), code + ": " + refused.reason());
        }
        assertTrue(node.parks.callsAt(TENANT, "103").get(0).state().retrievable(), "the call still waits");
        assertTrue(node.sip.sent.stream().noneMatch(s -> s.method().equals("INVITE")), "the caller was not moved");
    }

    @Test
    void aTrunkCallerDiallingATakenSlotDoesNotTakeItsCall() throws Exception {
        node.lots.create(TENANT, new ParkingLot("main", 701, 703, "700"));
        node.receive(node.invite("c1", "carol", "702", "101"));
        assertEquals(200, node.sip.awaitAnswer("c1").status());
        node.receive(node.trunkInvite("t1", "101@" + TENANT, TENANT, "702", null));
        assertEquals(403, node.sip.awaitAnswer("t1").status());
        node.receive(node.trunkInvite("t2", "+15551234@carrier.test", TENANT, "703", "101"));
        assertEquals(200, node.sip.awaitAnswer("t2").status(), "transferred by 101, it parks in a free slot");
    }

    @Test
    void aTrunkCallerOfTheTenantTakesTheParkersPlaceInAnAttendedTransfer() throws Exception {
        node.receive(node.invite("p1", "101", "*68103", null));
        assertEquals(200, node.sip.awaitAnswer("p1").status());
        ParkedCall placeholder = node.awaitEvent(ParkEventType.PARKED).call();

        node.receive(replacing(node.trunkInvite("other", "+15551234@carrier.test", "globex.test", "*68103", null),
                placeholder));
        assertEquals("Forbidden: not your tenant", node.sip.awaitAnswer("other").reason(),
                "another tenant's trunk replaces nothing");

        node.receive(replacing(node.trunkInvite("t1", "+15551234@carrier.test", TENANT, "*68103", "101"),
                placeholder));
        FakeSip.Answer ok = node.sip.awaitAnswer("t1");
        assertEquals(200, ok.status(), ok.reason());
        ParkedCall parked = node.awaitEvent(ParkEventType.PARKED).call();
        assertEquals("sip:+15551234@carrier.test", parked.parked().uri());
        assertEquals("sip:101@" + TENANT, parked.parker().uri());
        node.sip.awaitSent(s -> s.method().equals("BYE") && s.callId().equals("p1"), seconds(5));
    }

    private InboundRequest replacing(InboundRequest in, ParkedCall call) throws Exception {
        in.request().addHeader(node.sip.header("Replaces", call.leg().callId() + ";to-tag=" + call.leg().localTag()
                + ";from-tag=" + call.leg().remoteTag()));
        in.request().addHeader(node.sip.header("Require", "replaces"));
        return in;
    }
}
