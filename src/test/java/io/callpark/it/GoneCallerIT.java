package io.callpark.it;

import io.callpark.testing.ApiClient;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import io.callpark.testing.Wait;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10: a parked caller whose phone vanishes without a BYE is released within a stated bound (silence, then two
 * in-dialog OPTIONS Kamailio answers 408 after its FR_TIMER), and its extension's devices are told; a caller that
 * is there (it answers, though it sends no RTP) stays parked with its music.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GoneCallerIT extends PhonesOnTestNetwork {

    private static final int SILENCE_SECONDS = 2;
    /** silence + at most a second to notice + Kamailio's FR_TIMER (5 s) for each of two OPTIONS, and slack */
    private static final Duration BOUND = Duration.ofSeconds(SILENCE_SECONDS + 1 + 2 * 5 + 7);

    @ArquillianResource
    private ManagementClient management;

    private static boolean parked(String extension) {
        try {
            return ApiClient.operator().get("/tenants/" + ACME + "/parked?extension=" + extension).json()
                    .path("calls").size() == 1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCallerWhosePhoneVanishedIsReleasedAndTheDevicesToldWhileALiveOneStays() throws Exception {
        try (NodeSettings node = new NodeSettings(management)
                .set("callpark.media.silence", String.valueOf(SILENCE_SECONDS))) {
            TestPhone desk105 = phone("105");
            TestPhone carol = phone("carol");
            TestPhone dave = phone("dave");
            Call live = carol.call("sip:*68104@" + ACME);
            assertEquals(200, live.status());
            Call vanishing = dave.call("sip:*68105@" + ACME);
            assertEquals(200, vanishing.status());
            assertTrue(parked("105"));

            long gone = System.nanoTime();
            dave.close(); // its stack stops, no BYE: as a phone that lost power (its socket now refuses)
            assertTrue(desk105.awaitNotify(b -> isParkInfo(b, "abandoned", "105"), BOUND).isPresent(),
                    "105's devices are told the caller left, within " + BOUND);
            long releasedMs = (System.nanoTime() - gone) / 1_000_000;
            assertTrue(Wait.until(() -> !parked("105"), Duration.ofSeconds(5)), "and 105 is empty");
            System.out.println("gone caller released " + releasedMs + " ms after its phone vanished (silence "
                    + SILENCE_SECONDS + " s)");

            assertTrue(live.awaitReceived("OPTIONS", 1, Duration.ofSeconds(SILENCE_SECONDS + 5)).isPresent(),
                    "carol, who sends no RTP either, was asked too");
            assertTrue(parked("104"), "and answered: she stays parked");
            assertTrue(carol.rtp().awaitMore(10, WAIT), "with her music");
            live.bye();
        }
    }
}
