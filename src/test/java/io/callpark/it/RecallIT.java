package io.callpark.it;

import io.callpark.testing.ApiClient;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import io.callpark.testing.Wait;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sip.message.Request;
import java.net.InetSocketAddress;
import java.time.Duration;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5: calls nobody retrieves are recalled, with the shortest timers the settings allow (recall after 30 s,
 * 5 s rings and pauses): to the parker with a distinctive ring and again when it does not answer, to the parker
 * and then the ring group, to the ring group only, to a final destination and then a polite end; a retrieve that
 * races a recall joins the caller once.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RecallIT extends PhonesOnTestNetwork {

    private static final String TENANT = "/tenants/" + ACME;
    private static final Duration RECALL = Duration.ofSeconds(45);
    private final ApiClient operator = ApiClient.operator();

    @BeforeEach
    void quickRecalls() throws Exception {
        assertEquals(201, operator.put(TENANT, "{\"recallTime\": 30, \"retryInterval\": 5, \"recallRingTime\": 5,"
                + " \"recallAttempts\": 2, \"ringGroupWait\": 5}").status());
        assertEquals(201, operator.post(TENANT + "/ring-groups", "{\"name\": \"desk\", \"members\": [\"102\"]}")
                .status());
    }

    @AfterEach
    void defaults() throws Exception {
        operator.delete(TENANT);
    }

    /** The parker talks to the caller and blind-transfers it to *68103; the caller's parked leg. */
    private static Call parkedBy(TestPhone parker, TestPhone caller) throws Exception {
        return transferred(parker, caller, "*68103");
    }

    @Test
    void theParkerIsRungWithADistinctiveRingAndAgainUntilItAnswers() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone bob = phone("101");
        TestPhone desk103 = phone("103");
        Call parked = parkedBy(bob, carol);
        bob.ringOnly(true);

        Call firstRing = bob.awaitCancelledCall(RECALL);
        assertNotNull(firstRing, "101 is rung back after the recall time and, unanswered, cancelled");
        Request invite = firstRing.invite();
        assertEquals("<urn:alert:service:recall:transfer>", invite.getHeader("Alert-Info").toString()
                .replaceFirst("^Alert-Info:\\s*", "").trim(), "a distinctive ring");
        assertTrue(invite.getHeader("From").toString().contains("Park recall: CAROL"),
                "the display says it is a returned park: " + invite.getHeader("From"));
        assertTrue(desk103.awaitNotify(b -> isParkInfo(b, "recalling", "103"), WAIT).isPresent(),
                "103's devices are told the call is being recalled");
        assertTrue(carol.rtp().awaitMore(25, WAIT), "carol keeps her music while the recall rings");

        bob.ringOnly(false);
        Call taken = bob.awaitIncomingCall(Duration.ofSeconds(20));
        assertNotNull(taken, "after the retry interval 101 is rung again and answers");
        Request join = parked.awaitReceived("INVITE", 1, WAIT).orElseThrow(() -> new AssertionError("no join"));
        assertTrue(TestPhone.body(join).contains("m=audio " + bob.rtp().port()), "carol is joined with 101");
        assertTrue(desk103.awaitNotify(b -> isParkInfo(b, "recalled", "103"), WAIT).isPresent());
        assertEquals(200, taken.bye().getStatusCode());
        assertTrue(parked.awaitEnded(WAIT));
    }

    @Test
    void theParkerFirstThenTheRingGroupAfterTheWait() throws Exception {
        assertEquals(200, operator.patch(TENANT, "{\"recallDestination\": \"parker-then-ring-group\","
                + " \"ringGroup\": \"desk\"}").status());
        TestPhone carol = phone("carol");
        TestPhone bob = phone("101");
        TestPhone desk = phone("102");
        Call parked = parkedBy(bob, carol);
        bob.ringOnly(true);

        Call answered = desk.awaitIncomingCall(RECALL);
        assertNotNull(answered, "the ring group's 102 rings after the wait and answers");
        assertNotNull(bob.awaitCancelledCall(WAIT), "101 rang first and stops when 102 answers");
        Request join = parked.awaitReceived("INVITE", 1, WAIT).orElseThrow();
        assertTrue(TestPhone.body(join).contains("m=audio " + desk.rtp().port()), "carol is joined with 102: "
                + TestPhone.body(join));
        assertTrue(nothingParked(), "the call left the park");
        assertEquals(200, answered.bye().getStatusCode(), "102 hangs up");
        assertTrue(parked.awaitEnded(WAIT));
    }

    @Test
    void aParkGroupsOwnSettingsRingItsRingGroupOnly() throws Exception {
        assertEquals(201, operator.post(TENANT + "/park-groups", "{\"name\": \"sales\", \"members\": [\"103\"],"
                + " \"recall\": {\"recallDestination\": \"ring-group\", \"ringGroup\": \"desk\"}}").status());
        TestPhone carol = phone("carol");
        TestPhone bob = phone("101");
        TestPhone desk = phone("102");
        Call parked = parkedBy(bob, carol);

        Call answered = desk.awaitIncomingCall(RECALL);
        assertNotNull(answered, "the group's ring group is rung");
        assertTrue(bob.awaitIncomingCall(Duration.ofSeconds(1)) == null, "the parker is not");
        assertTrue(parked.awaitReceived("INVITE", 1, WAIT).isPresent());
        answered.bye();
        assertTrue(parked.awaitEnded(WAIT));
    }

    @Test
    void nobodyEverAnswersThenTheFinalDestinationThenAPoliteEnd() throws Exception {
        assertEquals(200, operator.patch(TENANT, "{\"recallAttempts\": 1, \"recallFinal\": \"105\"}").status());
        TestPhone carol = phone("carol");
        TestPhone bob = phone("101");
        TestPhone last = phone("105");
        TestPhone desk103 = phone("103");
        Call parked = parkedBy(bob, carol);
        bob.ringOnly(true);
        last.ringOnly(true);

        assertNotNull(bob.awaitCancelledCall(RECALL), "one attempt at the parker");
        assertNotNull(last.awaitCancelledCall(Duration.ofSeconds(20)), "then the final destination, unanswered");
        assertTrue(parked.awaitEnded(Duration.ofSeconds(20)), "then the caller is released, not left waiting");
        assertTrue(desk103.awaitNotify(b -> isParkInfo(b, "expired", "103"), WAIT).isPresent(),
                "and 103's devices clear the call");
        assertTrue(bob.awaitCancelledCall(Duration.ofSeconds(8)) == null, "no further ringing");
    }

    @Test
    void theCallerPressesTheReturnKeyToGoBackToTheParker() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone bob = phone("101");
        Call notListened = parkedBy(bob, carol);
        carol.rtp().pressKey('9', musicSource(notListened), 101);
        assertTrue(bob.awaitIncomingCall(Duration.ofSeconds(3)) == null, "the return key is off by default");
        notListened.bye();

        assertEquals(200, operator.patch(TENANT, "{\"dtmfReturnKey\": \"9\"}").status());
        Call parked = parkedBy(bob, carol);
        carol.rtp().pressKey('5', musicSource(parked), 101);
        assertTrue(bob.awaitIncomingCall(Duration.ofSeconds(3)) == null, "another key does nothing");
        carol.rtp().pressKey('9', musicSource(parked), 101);
        Call back = bob.awaitIncomingCall(WAIT);
        assertNotNull(back, "the return key rings the parker at once");
        assertTrue(back.invite().getHeader("From").toString().contains("Park return: CAROL"), back.invite()
                .getHeader("From").toString());
        Request join = parked.awaitReceived("INVITE", 1, WAIT).orElseThrow();
        assertTrue(TestPhone.body(join).contains("m=audio " + bob.rtp().port()), "carol is back with 101: "
                + TestPhone.body(join));
        assertTrue(nothingParked(), "the call left the park");
        assertEquals(200, back.bye().getStatusCode(), "101 hangs up");
        assertTrue(parked.awaitEnded(WAIT));
    }

    /** Until the tenant has no parked call (a join became a bridge): before that a phone's BYE is a phone leaving. */
    private boolean nothingParked() {
        return Wait.until(() -> {
            try {
                return operator.get(TENANT + "/parked").json().path("calls").isEmpty();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, WAIT);
    }

    @Test
    void aPhoneThatHangsUpAsItIsJoinedLeavesTheCallerParkedWithMusic() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone bob = phone("101");
        TestPhone reception = phone("102");
        Call parked = parkedBy(bob, carol);
        carol.holdReInvites(true);
        String id = operator.get(TENANT + "/parked").json().path("calls").get(0).path("parkId").asText();
        assertEquals(202, operator.post(TENANT + "/parked/" + id + "/retrieve", "{\"extension\": \"102\"}")
                .status());
        Call answered = reception.awaitIncomingCall(WAIT);
        assertNotNull(answered);
        assertTrue(parked.awaitReceived("INVITE", 1, WAIT).isPresent(), "the join reaches carol, who waits");
        assertEquals(200, answered.bye().getStatusCode(), "102 hangs up before carol took the join");
        carol.holdReInvites(false);
        assertTrue(carol.answerHeldReInvite(WAIT));
        Request music = parked.awaitReceived("INVITE", 2, WAIT).orElseThrow(
                () -> new AssertionError("carol is not offered the music again"));
        assertTrue(TestPhone.body(music).contains("s=callpark"), TestPhone.body(music));
        assertTrue(carol.rtp().awaitMore(25, WAIT), "carol hears music again");
        assertTrue(Wait.until(() -> stateIs(id, "parked"), WAIT), "and waits in the park again");
        assertTrue(!parked.isEnded(), "nobody hung up on carol");
    }

    private boolean stateIs(String id, String state) {
        try {
            return operator.get(TENANT + "/parked/" + id).json().path("state").asText().equals(state);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the node plays carol's music from (the c= and m= of its answer): where her key presses go. */
    private static InetSocketAddress musicSource(Call parked) {
        String sdp = parked.remoteSdp();
        String host = sdp.replaceFirst("(?s).*c=IN IP4 ([0-9.]+).*", "$1");
        int port = Integer.parseInt(sdp.replaceFirst("(?s).*m=audio ([0-9]+) .*", "$1"));
        return new InetSocketAddress(host, port);
    }

    @Test
    void aRetrieveRacingTheRecallJoinsTheCallerOnce() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone bob = phone("101");
        TestPhone desk103 = phone("103");
        Call parked = parkedBy(bob, carol);
        bob.ringOnly(true);
        assertTrue(desk103.awaitNotify(b -> isParkInfo(b, "recalling", "103"), RECALL).isPresent());

        Call retrieve = desk103.call("sip:*88@" + ACME);
        assertEquals(200, retrieve.status(), "103 takes the call while 101's recall rings");
        assertNotNull(bob.awaitCancelledCall(WAIT), "the recall stops");
        assertTrue(parked.awaitReceived("INVITE", 1, WAIT).isPresent());
        assertTrue(bob.awaitCancelledCall(Duration.ofSeconds(8)) == null, "and does not come back");
        assertEquals(1, parked.received().stream().filter(r -> r.getMethod().equals("INVITE")).count(),
                "carol is joined once");
        retrieve.bye();
        assertTrue(parked.awaitEnded(WAIT));
    }
}
