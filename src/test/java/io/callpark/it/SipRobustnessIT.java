package io.callpark.it;

import io.callpark.testing.Sipp;
import io.callpark.testing.TestNetwork;
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

/** Behaviour 11 of issue 2: lost and reordered messages, CANCEL, glare, and re-INVITEs across a join. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SipRobustnessIT extends PhonesOnTestNetwork {

    @Test
    void okIsRetransmittedUntilTheLateAckAndTheCallStaysParked() throws Exception {
        TestPhone device = phone("104");
        Sipp.Result run = Sipp.run("park_late_ack", "*68104", "carol", ACME, "127.0.0.60",
                TestNetwork.kamailio());
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(3, run.invite200s(2), "200 OK at 0, 0.5 and 1.5 s, none after the ACK at 2.2 s");
        assertTrue(device.awaitNotify(b -> isParkInfo(b, "parked", "104"), WAIT).isPresent());
        assertTrue(device.awaitNotify(b -> isParkInfo(b, "abandoned", "104"), WAIT).isPresent(),
                "the BYE after the ACK ends the park");
    }

    @Test
    void aRetransmittedInviteParksOneCall() throws Exception {
        TestPhone device = phone("104");
        Sipp.Result run = Sipp.run("park_retransmitted_invite", "*68104", "carol", ACME, "127.0.0.62",
                TestNetwork.kamailio());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(device.awaitNotify(b -> isParkInfo(b, "abandoned", "104"), WAIT).isPresent());
        long parkedNotifies = device.allNotifies().stream()
                .filter(n -> isParkInfo(TestPhone.body(n), "parked", "104")).count();
        assertEquals(1, parkedNotifies, "one INVITE sent twice is one parked call");
    }

    @Test
    void byeOvertakingTheAckEndsTheParkAndTheRetransmissions() throws Exception {
        TestPhone device = phone("104");
        Sipp.Result run = Sipp.run("park_bye_before_ack", "*68104", "carol", ACME, "127.0.0.61",
                TestNetwork.kamailio());
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(1, run.invite200s(2), "no 200 OK retransmission once the BYE arrived");
        assertTrue(device.awaitNotify(b -> isParkInfo(b, "abandoned", "104"), WAIT).isPresent());
    }

    @Test
    void cancelledParkLeavesNothingParked() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone ext105 = phone("105");
        Call call = carol.callAsync("sip:*68105@" + ACME);
        call.cancel();
        int status = call.awaitFinal(WAIT).getStatusCode();
        assertTrue(status == 487 || status == 200, "CANCEL before or after the answer: " + status);
        if (status == 200) {
            call.bye(); // the answer crossed the CANCEL: a phone ACKs and hangs up (RFC 3261 9.1)
            assertTrue(ext105.awaitNotify(b -> isParkInfo(b, "abandoned", "105"), WAIT).isPresent());
        }
        assertEquals(404, ext105.call("sip:*88@" + ACME).status(), "nothing stays parked");
    }

    @Test
    void glareOnTheJoinIsRetriedAndTheCallerJoinedOnce() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone ext103 = phone("103");
        Call parked = carol.call("sip:*68103@" + ACME);
        assertEquals(200, parked.status());
        carol.rejectReInvitesWithGlare(1);
        Call retrieve = ext103.call("sip:*88@" + ACME);
        assertEquals(200, retrieve.status(), "the join is retried after 491");
        assertTrue(parked.awaitReceived(Request.INVITE, 2, WAIT).isPresent(), "second re-INVITE after the 491");
        assertTrue(TestPhone.body(parked.received().get(1)).contains("m=audio " + ext103.rtp().port()));
        retrieve.bye();
        assertTrue(parked.awaitEnded(WAIT));
    }

    @Test
    void callerReInviteWhileTheJoinIsPendingGets491AndTheCallSurvives() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone ext103 = phone("103");
        Call parked = carol.call("sip:*68103@" + ACME);
        assertEquals(200, parked.status());
        carol.holdReInvites(true);
        Call retrieve = ext103.callAsync("sip:*88@" + ACME);
        assertTrue(parked.awaitReceived(Request.INVITE, 1, WAIT).isPresent(), "the join re-INVITE arrived");
        assertEquals(491, parked.reInvite("sendonly").getStatusCode(), "our re-INVITE meets the pending join");
        assertTrue(carol.answerHeldReInvite(WAIT));
        assertEquals(200, retrieve.awaitFinal(WAIT).getStatusCode(), "the join still completes");
        carol.holdReInvites(false);
        retrieve.bye();
        assertTrue(parked.awaitEnded(WAIT));
    }

    @Test
    void holdAndUnholdPassThroughAJoinedCall() throws Exception {
        TestPhone carol = phone("carol");
        TestPhone ext103 = phone("103");
        Call parked = carol.call("sip:*68103@" + ACME);
        Call retrieve = ext103.call("sip:*88@" + ACME);
        assertEquals(200, retrieve.status());

        assertEquals(200, retrieve.reInvite("sendonly").getStatusCode(), "103 puts carol on hold");
        Request hold = parked.awaitReceived(Request.INVITE, 2, WAIT).orElseThrow();
        assertTrue(TestPhone.body(hold).contains("a=sendonly"), TestPhone.body(hold));

        assertEquals(200, parked.reInvite("sendrecv").getStatusCode(), "carol's re-INVITE reaches 103");
        Request unhold = retrieve.awaitReceived(Request.INVITE, 1, WAIT).orElseThrow();
        assertTrue(TestPhone.body(unhold).contains("a=sendrecv"));
        assertTrue(TestPhone.body(unhold).contains("m=audio " + carol.rtp().port()));

        parked.bye();
        assertTrue(retrieve.awaitEnded(WAIT));
    }
}
