package io.callpark.it;

import io.callpark.testing.ApiClient;
import io.callpark.testing.BlfKey;
import io.callpark.testing.TestNetwork;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sip.message.Request;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parking lots through Kamailio (issue 11): acme's lot "main", slots 701-703, code 700. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ParkingLotIT extends PhonesOnTestNetwork {

    private static final String TENANT = "/tenants/" + ACME;
    private final ApiClient operator = ApiClient.operator();

    @BeforeEach
    void lot() throws Exception {
        operator.put(TENANT, "{}");
        assertEquals(201, operator.post(TENANT + "/lots", "{\"name\": \"main\", \"first\": 701, \"last\": 703,"
                + " \"code\": \"700\"}").status());
    }

    @AfterEach
    void noLot() throws Exception {
        operator.delete(TENANT + "/lots/main");
    }

    @Test
    void aTransferToTheLotsCodeParksInTheFirstFreeSlotAndTheSlotIsWatchedAndDialledToRetrieve() throws Exception {
        try (BlfKey key = TestNetwork.blfKey("102", ACME)) {
            assertEquals(200, key.subscribe("sip:701@" + ACME, 600).getStatusCode(), "a key on slot 701");
            key.awaitNotify(BlfKey.Notify::off, WAIT).orElseThrow(() -> new AssertionError("no first NOTIFY"));

            TestPhone parker = phone("101");
            TestPhone carol = phone("carol");
            Call parked = transferred(parker, carol, "700");
            assertTrue(carol.rtp().awaitMore(10, WAIT), "carol hears music in the lot");
            Request told = parker.awaitNotify(b -> isParkInfo(b, "parked", "701"), WAIT)
                    .orElseThrow(() -> new AssertionError("the parker is not told the slot"));
            assertTrue(TestPhone.body(told).contains("sip:carol@" + ACME));
            BlfKey.Notify lit = key.awaitNotify(BlfKey.Notify::lit, WAIT)
                    .orElseThrow(() -> new AssertionError("the key on 701 never lit: " + key.allNotifies()));
            assertTrue(lit.body().contains("sip:carol@" + ACME), lit.body());

            Call second = transferred(parker, phone("dave"), "700");
            assertTrue(parker.awaitNotify(b -> isParkInfo(b, "parked", "702"), WAIT).isPresent(),
                    "the next call goes to the next free slot");

            TestPhone desk = phone("102");
            Call retrieve = desk.call("sip:701@" + ACME);
            assertEquals(200, retrieve.status(), "dialling the slot takes its call");
            assertTrue(parked.awaitReceived(Request.INVITE, 1, WAIT).isPresent(), "carol is joined with 102");
            assertTrue(key.awaitNotify(BlfKey.Notify::off, WAIT).isPresent(), "the key on 701 goes off");
            retrieve.bye();
            second.bye();
        }
    }

    @Test
    void aTransferToATakenSlotIsRefusedAndAUserDiallingAnEmptySlotParksThere() throws Exception {
        TestPhone parker = phone("101");
        transferred(parker, phone("carol"), "703");
        assertTrue(parker.awaitNotify(b -> isParkInfo(b, "parked", "703"), WAIT).isPresent());

        TestPhone dave = phone("dave");
        Call talk = dave.call(parker.aor());
        assertEquals(200, talk.status());
        Call parkerSide = parker.awaitIncomingCall(WAIT);
        assertEquals(202, parkerSide.refer("sip:703@" + ACME).getStatusCode());
        Call refused = dave.awaitTransferredCall(WAIT);
        assertEquals(486, refused.status(), "703 holds a call already");
        parkerSide.bye();

        TestPhone eve = phone("104");
        Call self = eve.call("sip:702@" + ACME);
        assertEquals(200, self.status(), "an empty slot dialled by a user parks the user's own call");
        assertTrue(eve.rtp().awaitMore(10, WAIT), "104 hears music at 702");
        self.bye();
    }

    @Test
    void aNumberThatIsNoUserSlotOrCodeIsNotFound() throws Exception {
        Call nothing = phone("101").call("sip:799@" + ACME);
        assertEquals(404, nothing.status());
    }
}
