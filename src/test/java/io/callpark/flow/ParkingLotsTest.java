package io.callpark.flow;

import io.callpark.event.ParkEventType;
import io.callpark.park.ParkedCall;
import io.callpark.tenant.ParkingLot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.callpark.flow.FlowHarness.TENANT;
import static io.callpark.flow.FlowHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parking lots (701-703, code 700) on fakes of the store and the SIP edge. */
class ParkingLotsTest {

    private final FlowHarness node = new FlowHarness();

    ParkingLotsTest() throws Exception {
    }

    @BeforeEach
    void lot() {
        node.lots.create(TENANT, new ParkingLot("main", 701, 703, "700"));
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void theLotsCodeParksInItsFirstFreeSlotAndTellsTheParkerWhere() throws Exception {
        assertEquals("701", parkedAt("c1", "700"));
        assertEquals("702", parkedAt("c2", "700"));
        ParkedCall second = node.parks.callsAt(TENANT, "702").get(0);
        assertEquals(List.of("sip:101@" + TENANT), second.notifyTargets(), "the parker's devices learn the slot");
    }

    @Test
    void starSixtyEightAloneParksInTheFirstLotOfATenantThatHasLots() throws Exception {
        assertEquals("701", parkedAt("c1", "*68"));
    }

    @Test
    void aTransferToASlotParksThereOnlyWhenItIsFree() throws Exception {
        assertEquals("703", parkedAt("c1", "703"));
        node.receive(node.invite("c2", "dave", "703", "101"));
        FakeSip.Answer busy = node.sip.awaitAnswer("c2");
        assertEquals(486, busy.status());
        assertEquals("Busy Here: a call waits at 703 already", busy.reason());
        assertEquals(1, node.parks.callsAt(TENANT, "703").size(), "a slot holds one call");
    }

    @Test
    void aFullLotRefusesWithItsName() throws Exception {
        for (String id : List.of("c1", "c2", "c3")) {
            parkedAt(id, "700");
        }
        node.receive(node.invite("c4", "erin", "700", "101"));
        FakeSip.Answer busy = node.sip.awaitAnswer("c4");
        assertEquals(486, busy.status());
        assertEquals("Busy Here: every slot of main is taken", busy.reason());
    }

    @Test
    void dialledByAUserASlotTakesTheCallThatWaitsThere() throws Exception {
        parkedAt("caller", "702");
        node.receive(node.invite("retriever", "102", "702", null));
        FakeSip.Sent join = node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("caller"),
                seconds(5));
        join.answer(200, FlowHarness.sdp(42000));
        assertEquals(200, node.sip.awaitAnswer("retriever").status());
        assertEquals("sip:102@" + TENANT, node.awaitEvent(ParkEventType.RETRIEVED).by().orElseThrow().uri());
        assertTrue(node.parks.callsAt(TENANT, "702").isEmpty());
    }

    @Test
    void dialledByAUserAnEmptySlotParksTheUsersOwnCall() throws Exception {
        node.receive(node.invite("c1", "102", "701", null));
        assertEquals(200, node.sip.awaitAnswer("c1").status());
        ParkedCall call = node.awaitEvent(ParkEventType.PARKED).call();
        assertEquals("701", call.extension());
        assertEquals("sip:102@" + TENANT, call.parker().uri());
    }

    @Test
    void aBlfKeyWatchesASlot() throws Exception {
        node.receive(node.subscribe("k1", "102", TENANT, "701", "dialog", 600));
        assertEquals(200, node.sip.awaitAnswer("k1", "SUBSCRIBE").status());
        node.sip.awaitSent(s -> s.method().equals("NOTIFY") && s.callId().equals("k1"), seconds(5)).answer(200, null);
        parkedAt("c1", "701");
        FakeSip.Sent lit = node.sip.awaitSent(s -> s.method().equals("NOTIFY") && s.callId().equals("k1"),
                seconds(5));
        assertTrue(lit.body().contains("<state>confirmed</state>"), lit.body());
        node.receive(node.subscribe("k2", "102", TENANT, "704", "dialog", 600));
        assertEquals(404, node.sip.awaitAnswer("k2", "SUBSCRIBE").status(), "704 is no slot");
    }

    /** Carol, transferred by 101 to {@code dialled}: the slot she waits at. */
    private String parkedAt(String callId, String dialled) throws Exception {
        node.receive(node.invite(callId, "carol" + callId, dialled, "101"));
        FakeSip.Answer ok = node.sip.awaitAnswer(callId);
        assertEquals(200, ok.status(), ok.reason());
        return node.awaitEvent(ParkEventType.PARKED).call().extension();
    }
}
