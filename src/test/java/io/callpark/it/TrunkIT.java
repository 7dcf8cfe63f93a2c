package io.callpark.it;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.callpark.testing.TestNetwork.ACME;
import static io.callpark.testing.TestNetwork.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trusted trunks, through a real Kamailio: a carrier on its own address, declared a trunk of acme.test, calls a user
 * without credentials, is parked by the user's blind transfer, hears music and is retrieved; nothing else it sends
 * and nothing from an undeclared address bypasses digest auth.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TrunkIT extends PhonesOnTestNetwork {

    /** Outside the addresses {@link TestNetwork} gives phones (127.0.0.11-250). */
    private static final String TRUNK = "127.0.0.252";
    private static final String STRANGER = "127.0.0.253";

    private final List<TestPhone> elements = new ArrayList<>();

    @BeforeEach
    void declareTrunk() throws Exception {
        TestNetwork.kamailio().addTrunk(ACME, TRUNK);
    }

    @AfterEach
    void removeTrunk() throws Exception {
        elements.forEach(TestPhone::close);
        TestNetwork.kamailio().removeTrunk(ACME, TRUNK);
    }

    private TestPhone carrier(String address) throws Exception {
        TestPhone carrier = TestNetwork.elementAt("carrier", "carrier.test", address);
        elements.add(carrier);
        return carrier;
    }

    @Test
    void aTrunkCallIsParkedByTheUsersTransferHearsMusicAndIsRetrieved() throws Exception {
        TestPhone carrier = carrier(TRUNK);
        TestPhone ext101 = phone("101");
        TestPhone desk103 = phone("103");
        TestPhone mobile103 = phone("103");

        Call talk = carrier.call("sip:101@" + ACME);
        assertEquals(200, talk.status(), "the trunk reaches 101 without a challenge");
        Call userSide = ext101.awaitIncomingCall(WAIT);
        assertEquals(202, userSide.refer("sip:*68103@" + ACME).getStatusCode(), "the carrier accepts the REFER");
        Call parked = carrier.awaitTransferredCall(WAIT);
        assertEquals(200, parked.status(), "the carrier followed the transfer and is parked");
        userSide.bye();
        assertTrue(carrier.rtp().awaitMore(25, WAIT), "music on hold reaches the carrier");

        for (TestPhone device : List.of(desk103, mobile103)) {
            String body = TestPhone.body(device.awaitNotify(b -> isParkInfo(b, "parked", "103"), WAIT)
                    .orElseThrow(() -> new AssertionError("no park-info NOTIFY on a device of 103")));
            assertTrue(body.contains(">sip:101@acme.test</parker>"), "101 referred the carrier: " + body);
            assertTrue(body.contains(">sip:carrier@carrier.test</parked>"), "the carrier's From: " + body);
        }

        assertEquals(403, carrier.call("sip:*88103@" + ACME).status(), "a trunk never retrieves");

        Call retrieve = desk103.call("sip:*88103@" + ACME);
        assertEquals(200, retrieve.status(), "103 retrieves the carrier");
        assertTrue(carrier.rtp().awaitSilence(Duration.ofMillis(500), WAIT), "music stops after retrieval");
        Request reInvite = parked.awaitReceived("INVITE", 1, WAIT)
                .orElseThrow(() -> new AssertionError("the carrier got no re-INVITE"));
        assertTrue(TestPhone.body(reInvite).contains("m=audio " + desk103.rtp().port()),
                "the carrier is re-INVITEd with 103's media address");
        assertEquals(200, retrieve.bye().getStatusCode());
        assertTrue(parked.awaitEnded(WAIT), "the retriever's BYE ends the carrier's leg too");
    }

    @Test
    void nothingElseFromATrunkAndNothingFromAnUndeclaredAddressBypassesDigestAuth() throws Exception {
        TestPhone carrier = carrier(TRUNK);
        assertEquals(401, carrier.register(), "a trunk's REGISTER is challenged");
        assertEquals(407, carrier.request(Request.SUBSCRIBE, "sip:103@" + ACME), "a trunk's SUBSCRIBE too");
        assertEquals(407, carrier.request(Request.OPTIONS, "sip:103@" + ACME), "a trunk's OPTIONS to a user too");
        assertEquals(407, carrier.call("sip:eve@" + GLOBEX).status(), "a trunk of acme.test calling into globex.test");
        assertEquals(403, carrier.call("sip:*58@" + ACME).status(), "no group park for a trunk");

        TestPhone stranger = carrier(STRANGER);
        assertEquals(407, stranger.call("sip:101@" + ACME).status(), "an address nobody declared is challenged");
    }
}
