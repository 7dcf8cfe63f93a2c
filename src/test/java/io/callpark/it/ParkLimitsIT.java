package io.callpark.it;

import io.callpark.testing.ApiClient;
import io.callpark.testing.TestNetwork;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.callpark.sip.ProxySeal;
import io.callpark.testing.ForgedSender;

import javax.sip.message.Request;

import static io.callpark.testing.ForgedSender.at;
import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, limits: one user or one tenant cannot park calls without end, and a node past its media capacity sends
 * the park away (503 with Retry-After) instead of playing every caller's music late.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ParkLimitsIT extends PhonesOnTestNetwork {

    private static final String TENANT = "/tenants/" + ACME;

    @ArquillianResource
    private ManagementClient management;

    private final ApiClient operator = ApiClient.operator();

    private static int parkedInAcme() throws Exception {
        return ApiClient.operator().get(TENANT + "/parked").json().path("calls").size();
    }

    @Test
    void aUserPastTheirLimitAndATenantPastItsLimitAreRefused() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone dave = phone("dave");
        TestPhone ext101 = phone("101");
        assertEquals(201, operator.put(TENANT, "{\"callsPerUser\": 1, \"callsPerTenant\": 2}").status());
        try {
            Call first = carol.call("sip:*68105@" + ACME);
            assertEquals(200, first.status());
            Call again = carol.call("sip:*68104@" + ACME);
            assertEquals(486, again.status(), "carol has one call parked, her limit");
            assertEquals("Busy Here: too many calls parked", again.finalResponse().getReasonPhrase());

            Call second = dave.call("sip:*68104@" + ACME);
            assertEquals(200, second.status(), "dave's first");
            Call third = ext101.call("sip:*68103@" + ACME);
            assertEquals(486, third.status(), "two calls parked in acme, its limit");
            assertEquals("Busy Here: too many calls parked", third.finalResponse().getReasonPhrase());
            assertEquals(2, parkedInAcme());
            first.bye();
            second.bye();
        } finally {
            operator.delete(TENANT);
        }
    }

    @Test
    void aNodeAtItsMediaCapacityRefusesTheParkWith503AndRetryAfter() throws Exception {
        try (NodeSettings node = new NodeSettings(management).set("callpark.media.capacity", "1")) {
            TestPhone carol = phone("carol");
            TestPhone dave = phone("dave");
            Call first = carol.call("sip:*68105@" + ACME);
            assertEquals(200, first.status());
            Call second = dave.call("sip:*68104@" + ACME);
            // the only node is full and Kamailio has no next one: a proxy turns the last 503 into 500
            // (RFC 3261 16.7), its Retry-After meant for the proxy alone
            assertEquals(500, second.status(), second.finalResponse().toString());
            assertEquals(1, parkedInAcme(), "the first call stays parked, the second was not");

            // what the node told Kamailio, asked as Kamailio asks it
            try (ForgedSender kamailio = new ForgedSender("127.0.0.1")) {
                kamailio.sendFrom(at("127.0.0.1", TestNetwork.kamailioPort()),
                        at("127.0.0.1", TestNetwork.appSipPort()), sealedPark(kamailio.viaSentBy(), "104"));
                String answer = kamailio.awaitFinal(WAIT).orElseThrow(() -> new AssertionError("no answer"));
                assertTrue(answer.startsWith("SIP/2.0 503 Service Unavailable: this node's media capacity is"
                        + " reached\r\n"), answer);
                assertTrue(answer.contains("\r\nRetry-After: 30"), "a 503 says when to come back: " + answer);
            }
            assertEquals(1, parkedInAcme());
            first.bye();
        }
    }

    /** A park INVITE as Kamailio relays it: record-routed and sealed with the caller's claims. */
    private static String sealedPark(String viaSentBy, String extension) throws Exception {
        String callId = "capacity-" + System.nanoTime();
        String sdp = "v=0\r\no=carol 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0\r\n";
        Request invite = new MessageFactoryImpl().createRequest("INVITE sip:*68" + extension + "@" + ACME
                + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + viaSentBy + ";branch=z9hG4bK-" + callId + "\r\n"
                + "Record-Route: <sip:127.0.0.1:" + TestNetwork.kamailioPort() + ";lr>\r\n"
                + "Max-Forwards: 69\r\n"
                + "From: <sip:carol@" + ACME + ">;tag=f-" + callId + "\r\n"
                + "To: <sip:*68" + extension + "@" + ACME + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:carol@127.0.0.1:40001>\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp);
        new ProxySeal(System.getProperty("callpark.it.sip.secret")).seal(invite,
                "id=carol@" + ACME + ";src=127.0.0.1:40001;subs=/" + extension);
        return invite.toString();
    }
}
