package io.callpark.it;

import io.callpark.testing.Baresip;
import io.callpark.testing.Kamailio;
import io.callpark.testing.TestNetwork;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import io.callpark.testing.Wait;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sdp.Connection;
import javax.sdp.MediaDescription;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;
import javax.sip.header.EventHeader;
import javax.sip.message.Request;
import java.net.InetSocketAddress;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real SIP client parks a call: baresip, registered as 101, answers carol and blind-transfers her to *68103 with
 * its own transfer command (REFER). Carol's phone follows the transfer into the park, hears music, and 103 is told.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BaresipTransferIT extends PhonesOnTestNetwork {

    private Baresip baresip;

    @AfterEach
    void stopBaresip() {
        if (baresip != null) {
            baresip.close();
        }
    }

    @Test
    void baresipBlindTransfersItsCallerIntoThePark() throws Exception {
        Kamailio kamailio = TestNetwork.kamailio();
        baresip = Baresip.start("101", ACME, TestNetwork.PASSWORD, kamailio.address, kamailio.port);
        TestPhone carol = phone("carol");
        TestPhone ext103 = phone("103");

        Call talk = carol.call(baresip.aor());
        assertEquals(200, talk.status(), "baresip answers carol's call by itself; see " + baresip.log());
        assertTrue(baresip.awaitEvent("CALL_ESTABLISHED", WAIT).isPresent(), "baresip reports the call up");
        assertTrue(carol.rtp().awaitMore(10, WAIT), "baresip's tone reaches carol");
        InetSocketAddress baresipMedia = carol.rtp().lastSender();

        baresip.command("transfer", "sip:*68" + ext103.user + "@" + ACME);
        Call parked = carol.awaitTransferredCall(WAIT);
        assertNotNull(parked, "carol followed baresip's REFER; see " + baresip.log());
        assertEquals(200, parked.status(), "the park answers carol");
        assertFalse(baresip.events().stream().anyMatch(e -> Baresip.type(e).equals("TRANSFER_FAILED")),
                "baresip saw no transfer failure: " + baresip.events());

        // Carol ends her first call now that she is in the park. Not baresip's "hangup": baresip 1.0 follows its
        // BYE at once with an un-SUBSCRIBE (Event: refer, Expires: 0) in the same dialog, and when JAIN-SIP RI in
        // TestPhone handles that SUBSCRIBE first it answers the BYE "500 Request out of order" itself.
        assertEquals(200, talk.bye().getStatusCode(), "baresip accepts carol's BYE");
        assertTrue(baresip.awaitEvent("CALL_CLOSED", WAIT).isPresent(), "baresip reports its call closed");

        InetSocketAddress parkMedia = mediaAddress(parked.remoteSdp());
        assertNotEquals(baresipMedia, parkMedia);
        assertTrue(Wait.until(() -> parkMedia.equals(carol.rtp().lastSender()), WAIT),
                "music comes from the park's media address " + parkMedia + ", last sender "
                        + carol.rtp().lastSender());
        assertTrue(carol.rtp().awaitMore(25, WAIT), "music on hold reaches carol's RTP port");
        assertEquals(parkMedia, carol.rtp().lastSender(), "only the park sends to carol now");

        Request notify = ext103.awaitNotify(b -> b.contains("state=\"parked\""), WAIT)
                .orElseThrow(() -> new AssertionError("103 got no park-info NOTIFY: " + ext103.allNotifies()));
        assertEquals("park-info", ((EventHeader) notify.getHeader(EventHeader.NAME)).getEventType());
        String body = TestPhone.body(notify);
        assertTrue(body.contains("extension=\"103\""), body);
        assertTrue(body.matches("(?s).*<parker[^>]*>sip:101@acme\\.test</parker>.*"),
                "baresip is the parker: " + body);
        assertTrue(body.matches("(?s).*<parked[^>]*>sip:carol@acme\\.test</parked>.*"),
                "carol is parked: " + body);

        assertEquals(200, parked.bye().getStatusCode(), "carol hangs up in the park");
        String gone = TestPhone.body(ext103.awaitNotify(b -> b.contains("state=\"abandoned\""), WAIT)
                .orElseThrow(() -> new AssertionError("103 not told the parked call was abandoned: "
                        + ext103.allNotifies().stream().map(TestPhone::body).toList())));
        assertTrue(gone.contains("extension=\"103\""), gone);

        // quit takes ~4-5 s: baresip first waits for its un-SUBSCRIBE to carol's ended dialog, which TestPhone
        // never answers, until Kamailio gives up on it (408 after FR_TIMER)
        ProcessHandle process = baresip.process();
        assertTrue(baresip.quit(WAIT), "baresip ends on its quit command; see " + baresip.log());
        assertFalse(process.isAlive(), "baresip process " + process.pid() + " is gone");
    }

    /** The address and port of the first audio stream an SDP announces. */
    private static InetSocketAddress mediaAddress(String sdp) throws Exception {
        SessionDescription session = SdpFactory.getInstance().createSessionDescription(sdp);
        MediaDescription audio = (MediaDescription) session.getMediaDescriptions(false).get(0);
        Connection connection = audio.getConnection() != null ? audio.getConnection() : session.getConnection();
        return new InetSocketAddress(connection.getAddress(), audio.getMedia().getMediaPort());
    }
}
