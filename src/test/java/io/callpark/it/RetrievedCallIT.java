package io.callpark.it;

import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sip.message.Request;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A retrieved call is a normal call (issue 11), through Kamailio. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RetrievedCallIT extends PhonesOnTestNetwork {

    @Test
    void eachPartySeesWhoItTalksToAndTheRetrieverCanParkTheCallerAgain() throws Exception {
        TestPhone carol = phone("carol");
        Call parked = transferred(phone("101"), carol, "*68103");
        TestPhone desk = phone("102");
        Call retrieved = desk.call("sip:*88103@" + ACME);
        assertEquals(200, retrieved.status());
        assertEquals("P-Asserted-Identity: \"CAROL\" <sip:carol@" + ACME + ">",
                retrieved.finalResponse().getHeader("P-Asserted-Identity").toString().trim(),
                "the retriever sees who it talks to");
        Request join = parked.awaitReceived(Request.INVITE, 1, WAIT)
                .orElseThrow(() -> new AssertionError("carol was not joined"));
        assertTrue(join.getHeader("P-Asserted-Identity").toString().contains("<sip:102@" + ACME + ">"),
                "carol sees who took her call: " + join.getHeader("P-Asserted-Identity"));

        TestPhone ext104 = phone("104");
        assertEquals(202, retrieved.refer("sip:*68104@" + ACME).getStatusCode(), "102 transfers carol back");
        Call reparked = carol.awaitTransferredCall(WAIT);
        assertEquals(200, reparked.status(), "carol parks again, at 104");
        String body = TestPhone.body(ext104.awaitNotify(b -> isParkInfo(b, "parked", "104"), WAIT)
                .orElseThrow(() -> new AssertionError("104 is not told")));
        assertTrue(body.contains(">sip:102@" + ACME + "</parker>"), "the parker is 102, who transferred: " + body);
        assertTrue(carol.rtp().awaitMore(10, WAIT), "carol hears music again");
        parked.bye();
        reparked.bye();
    }
}
