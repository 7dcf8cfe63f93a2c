package io.callpark.it;

import io.callpark.testing.ApiClient;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Park by attended transfer (issue 11): REFER with Replaces through Kamailio. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AttendedParkIT extends PhonesOnTestNetwork {

    @Test
    void theParkerHearsTheSlotThenTheCallersInviteWithReplacesTakesItsPlace() throws Exception {
        TestPhone parker = phone("101");
        TestPhone carol = phone("carol");
        TestPhone ext103 = phone("103");
        Call talk = carol.call(parker.aor());
        assertEquals(200, talk.status());
        Call parkerSide = parker.awaitIncomingCall(WAIT);

        Call consultation = parker.call("sip:*68103@" + ACME);
        assertEquals(200, consultation.status(), "the parker calls the park code itself");
        assertTrue(parker.rtp().awaitMore(25, WAIT), "and hears where the call will wait");

        assertEquals(202, parkerSide.referReplacing("sip:*68103@" + ACME, consultation).getStatusCode());
        Call parked = carol.awaitTransferredCall(WAIT);
        assertEquals(200, parked.status(), "carol's INVITE with Replaces is parked");
        assertTrue(consultation.awaitEnded(WAIT), "the parker's own call ends: carol took its place");
        String body = TestPhone.body(ext103.awaitNotify(b -> isParkInfo(b, "parked", "103")
                        && b.contains("sip:carol@" + ACME), WAIT)
                .orElseThrow(() -> new AssertionError("103 is not told carol waits")));
        assertTrue(body.contains(">sip:101@" + ACME + "</parker>"), "101 parked her: " + body);
        assertTrue(carol.rtp().awaitMore(25, WAIT), "carol hears music");
        parkerSide.bye();

        Call retrieved = ext103.call("sip:*88103@" + ACME);
        assertEquals(200, retrieved.status(), "and is retrieved like any parked call");
        retrieved.bye();
    }

    @Test
    void aParkerWhoHangsUpInsteadOfTransferringParksNothing() throws Exception {
        TestPhone parker = phone("104");
        Call consultation = parker.call("sip:*68@" + ACME);
        assertEquals(200, consultation.status());
        assertTrue(parker.awaitNotify(b -> isParkInfo(b, "parked", "104"), WAIT).isPresent());
        assertEquals(200, consultation.bye().getStatusCode());
        assertTrue(parker.awaitNotify(b -> isParkInfo(b, "abandoned", "104"), WAIT).isPresent());
        assertEquals(0, ApiClient.operator().get("/tenants/" + ACME + "/parked?extension=104").json().path("calls")
                .size(), "nothing waits at 104");
    }
}
