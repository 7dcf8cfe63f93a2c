package io.callpark.it;

import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviours 6 and 7 of issue 2: queues, the limit, nothing to retrieve, callers hanging up while parked. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ParkQueueIT extends PhonesOnTestNetwork {

    @Test
    void callsWaitOldestFirstAndTheLimitRefusesWithAReason() throws Exception {
        TestPhone dave = phone("dave");
        TestPhone ext102 = phone("102");
        List<Call> parked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Call call = dave.call("sip:*68102@" + ACME);
            assertEquals(200, call.status(), "park " + (i + 1) + " of 10");
            parked.add(call);
        }
        Call eleventh = dave.call("sip:*68102@" + ACME);
        assertEquals(486, eleventh.status(), "past the limit of 10");
        assertTrue(eleventh.finalResponse().getReasonPhrase().contains("10 calls already parked at 102"),
                eleventh.finalResponse().getReasonPhrase());

        Call first = ext102.call("sip:*88@" + ACME);
        assertEquals(200, first.status());
        assertTrue(parked.get(0).awaitReceived("INVITE", 1, WAIT).isPresent(), "oldest call retrieved first");
        TestPhone colleague = phone("101");
        Call second = colleague.call("sip:*88102@" + ACME);
        assertEquals(200, second.status(), "any user of the tenant retrieves with *88<ext>");
        assertTrue(parked.get(1).awaitReceived("INVITE", 1, WAIT).isPresent(), "then the next oldest");
        assertTrue(parked.get(2).received().isEmpty(), "the others still wait");

        first.bye();
        second.bye();
        for (Call call : parked.subList(2, 10)) {
            assertEquals(200, call.bye().getStatusCode());
        }
        Call none = ext102.call("sip:*88@" + ACME);
        assertEquals(404, none.status(), "every call left the park");
    }

    @Test
    void retrievingWithNothingParkedSaysSo() throws Exception {
        TestPhone ext101 = phone("101");
        Call own = ext101.call("sip:*88@" + ACME);
        assertEquals(404, own.status());
        assertEquals("Not Found: no call parked at 101", own.finalResponse().getReasonPhrase());
        Call other = ext101.call("sip:*88105@" + ACME);
        assertEquals("Not Found: no call parked at 105", other.finalResponse().getReasonPhrase());
        Call exact = ext101.call("sip:*88*123456@" + ACME);
        assertEquals(404, exact.status());
        assertEquals("Not Found: no parked call 123456", exact.finalResponse().getReasonPhrase());
    }

    @Test
    void callerHangingUpLeavesThePark() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone ext103 = phone("103");
        Call parked = carol.call("sip:*68103@" + ACME);
        assertEquals(200, parked.status());
        assertTrue(carol.rtp().awaitMore(10, WAIT));
        assertTrue(ext103.awaitNotify(b -> isParkInfo(b, "parked", "103"), WAIT).isPresent());

        assertEquals(200, parked.bye().getStatusCode());
        assertTrue(ext103.awaitNotify(b -> isParkInfo(b, "abandoned", "103"), WAIT).isPresent(),
                "devices are told the caller left");
        assertTrue(carol.rtp().awaitSilence(Duration.ofMillis(500), WAIT), "no more music to the caller");
        int after = carol.rtp().count();
        assertTrue(carol.rtp().awaitSilence(Duration.ofSeconds(1), WAIT));
        assertEquals(after, carol.rtp().count());
        assertEquals(404, ext103.call("sip:*88@" + ACME).status(), "the call is gone");
    }
}
