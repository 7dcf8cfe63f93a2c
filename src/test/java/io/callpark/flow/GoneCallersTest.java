package io.callpark.flow;

import io.callpark.event.ParkEventType;
import io.callpark.park.ParkedCall;
import io.callpark.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.callpark.flow.FlowHarness.TENANT;
import static io.callpark.flow.FlowHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A parked caller that vanished without a BYE is found out and released; one that is there stays. */
class GoneCallersTest {

    /** How long a parked caller of these tests may send no RTP before it is asked whether it is there. */
    private static final Duration SILENCE = Duration.ofMillis(1500);
    private final FlowHarness node = new FlowHarness(1000, SILENCE);

    GoneCallersTest() throws Exception {
    }

    @AfterEach
    void close() {
        node.close();
    }

    private FakeSip.Sent awaitProbe(String callId) throws InterruptedException {
        return node.sip.awaitSent(s -> s.method().equals("OPTIONS") && s.callId().equals(callId), seconds(5));
    }

    @Test
    void aSilentCallerThatDoesNotAnswerIsReleasedAndItsDevicesTold() throws Exception {
        ParkedCall call = node.park("c1", "103");
        FakeSip.Sent probe = awaitProbe("c1");
        assertTrue(probe.request().getHeader("From").toString().contains(call.leg().localTag())
                && probe.request().getHeader("To").toString().contains(call.leg().remoteTag()),
                "asked in the caller's dialog: " + probe.request());
        probe.answer(408, null);
        FakeSip.Sent again = awaitProbe("c1");
        assertTrue(node.parks.callsAt(TENANT, "103").size() == 1, "one 408 may be a blip: asked again first");
        again.answer(408, null);
        assertEquals(call.parkId(), node.awaitEvent(ParkEventType.ABANDONED).call().parkId(),
                "ABANDONED: the devices and subscribers are told");
        assertTrue(node.parks.callsAt(TENANT, "103").isEmpty());
        assertFalse(node.music.has(call.streamKey()), "its media port is free again");
        node.sip.awaitSent(s -> s.method().equals("BYE") && s.callId().equals("c1"), seconds(5));
    }

    @Test
    void aCallerWhoseDialogIsGoneIsReleasedWithoutABye() throws Exception {
        ParkedCall call = node.park("c1", "103");
        awaitProbe("c1").answer(481, null);
        assertEquals(call.parkId(), node.awaitEvent(ParkEventType.ABANDONED).call().parkId());
        assertTrue(node.sip.sent.stream().noneMatch(s -> s.method().equals("BYE")), "481: nothing to say BYE to");
    }

    @Test
    void aSilentCallerThatAnswersStaysAndIsAskedAgainOnlyAfterAnotherSilence() throws Exception {
        ParkedCall call = node.park("c1", "103");
        FakeSip.Sent first = awaitProbe("c1");
        long answered = System.nanoTime();
        first.answer(200, null);
        awaitProbe("c1");
        assertTrue(System.nanoTime() - answered >= SILENCE.toNanos(), "not before another silence");
        assertEquals(1, node.parks.callsAt(TENANT, "103").size(), "still parked");
        assertTrue(node.music.has(call.streamKey()));
    }

    @Test
    void aCallerWhoseRtpKeepsComingIsNotAsked() throws Exception {
        ParkedCall call = node.park("c1", "103");
        AtomicBoolean sending = new AtomicBoolean(true);
        // the caller's phone, at the address its INVITE came from (127.0.0.5), sends to our port
        Thread phone = new Thread(() -> {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.5", 0))) {
                byte[] rtp = new byte[172];
                rtp[0] = (byte) 0x80;
                InetSocketAddress ours = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        call.media().localPort());
                while (sending.get()) {
                    socket.send(new DatagramPacket(rtp, rtp.length, ours));
                    Thread.sleep(20); // the phone's packet clock, not a wait for a condition
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        phone.start();
        try {
            Wait.until(() -> node.sip.sent.stream().anyMatch(s -> s.method().equals("OPTIONS")),
                    SILENCE.multipliedBy(3));
            assertTrue(node.sip.sent.stream().noneMatch(s -> s.method().equals("OPTIONS")),
                    "heard all along: never asked in " + SILENCE.multipliedBy(3).toMillis() + " ms");
        } finally {
            sending.set(false);
            phone.join();
        }
    }

    @Test
    void aCallerThatAnswersTheSecondAskingStays() throws Exception {
        ParkedCall call = node.park("c1", "103");
        awaitProbe("c1").answer(408, null);
        awaitProbe("c1").answer(200, null);
        assertTrue(Wait.until(() -> node.lanes.busy() == 0, seconds(5)));
        assertEquals(1, node.parks.callsAt(TENANT, "103").size(), "still parked");
        assertTrue(node.music.has(call.streamKey()));
    }

    @Test
    void anOptionsThisNodeCouldNotSendReleasesNobody() throws Exception {
        ParkedCall call = node.park("c1", "103");
        awaitProbe("c1").outcome().completeExceptionally(new javax.sip.SipException("no route to the proxy"));
        awaitProbe("c1"); // asked again after another silence
        assertEquals(1, node.parks.callsAt(TENANT, "103").size());
        assertTrue(node.music.has(call.streamKey()));
    }

    @Test
    void aCallerRetrievedWhileItWasAskedIsNotReleased() throws Exception {
        ParkedCall call = node.park("c1", "103");
        FakeSip.Sent first = awaitProbe("c1");
        first.answer(408, null);
        FakeSip.Sent second = awaitProbe("c1");
        node.receive(node.invite("retriever", "102", "*88103", null)); // the join claims it meanwhile
        node.sip.awaitSent(s -> s.method().equals("INVITE") && s.callId().equals("c1"), seconds(5));
        second.answer(408, null);
        assertTrue(Wait.until(() -> node.lanes.busy() == 0, seconds(5)));
        assertEquals(io.callpark.park.ParkState.JOINING, node.parks.callByParkId(TENANT, call.parkId())
                .orElseThrow().state(), "the join goes on: it finds out whether the caller is there");
    }
}
