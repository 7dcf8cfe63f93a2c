package io.callpark.it;

import io.callpark.testing.ApiClient;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5: group park. *58 parks with the parker's park group at its first available member (registered and in
 * no call, as Kamailio's registrations and dialogs say), every member is told, any member retrieves with *88.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GroupParkIT extends PhonesOnTestNetwork {

    private static final String TENANT = "/tenants/" + ACME;
    private final ApiClient operator = ApiClient.operator();

    @BeforeEach
    void group() throws Exception {
        assertEquals(201, operator.put(TENANT, "{}").status());
        assertEquals(201, operator.post(TENANT + "/park-groups", "{\"name\": \"desk\", \"members\":"
                + " [\"101\", \"102\", \"103\"]}").status());
    }

    @AfterEach
    void noGroup() throws Exception {
        operator.delete(TENANT);
    }

    private static Call groupParked(TestPhone parker, TestPhone caller) throws Exception {
        return transferred(parker, caller, "*58");
    }

    @Test
    void theFirstAvailableMemberInOrderGetsTheCallAndEveryMemberIsTold() throws Exception {
        TestPhone bob = phone("101");
        TestPhone desk103 = phone("103");
        TestPhone carol = phone("carol");
        Call first = groupParked(bob, carol);
        String body = TestPhone.body(desk103.awaitNotify(b -> isParkInfo(b, "parked", "103"), WAIT)
                .orElseThrow(() -> new AssertionError("not parked at 103")));
        assertTrue(body.contains("sip:carol@acme.test"), body);
        assertTrue(bob.awaitNotify(b -> isParkInfo(b, "parked", "103"), WAIT).isPresent(),
                "101 (in a call with carol: busy) and 102 (not registered) are skipped; 101 is told as a member");

        TestPhone desk102 = phone("102");
        TestPhone dave = phone("dave");
        Call second = groupParked(bob, dave);
        assertTrue(desk102.awaitNotify(b -> isParkInfo(b, "parked", "102") && b.contains("sip:dave@"), WAIT)
                .isPresent(), "with 102 registered and idle, the next group park goes to 102");
        assertTrue(desk103.awaitNotify(b -> isParkInfo(b, "parked", "102"), WAIT).isPresent(),
                "every member is told, whoever the call is parked at");

        Call retrieve = bob.call("sip:*88@" + ACME);
        assertEquals(200, retrieve.status(), "101 has nothing of its own: *88 takes the group's oldest call");
        Request join = first.awaitReceived(Request.INVITE, 1, WAIT)
                .orElseThrow(() -> new AssertionError("carol (the oldest) was not joined"));
        assertTrue(TestPhone.body(join).contains("m=audio " + bob.rtp().port()));
        retrieve.bye();
        assertTrue(first.awaitEnded(WAIT));

        Call own = desk102.call("sip:*88@" + ACME);
        assertEquals(200, own.status(), "102 takes its own call first");
        assertTrue(second.awaitReceived(Request.INVITE, 1, WAIT).isPresent());
        own.bye();
    }

    @Test
    void aUserInNoParkGroupIsRefused() throws Exception {
        TestPhone outsider = phone("104");
        TestPhone eve = phone("carol");
        Call talk = eve.call(outsider.aor());
        assertEquals(200, talk.status());
        Call outsiderSide = outsider.awaitIncomingCall(WAIT);
        outsiderSide.refer("sip:*58@" + ACME);
        Call refused = eve.awaitTransferredCall(WAIT);
        assertNotNull(refused);
        assertEquals(403, refused.status());
        assertEquals("Forbidden: sip:104@acme.test is in no park group of acme.test",
                refused.finalResponse().getReasonPhrase());
        outsiderSide.bye();
    }
}
