package io.callpark.it;

import io.callpark.testing.BlfKey;
import io.callpark.testing.TestNetwork;
import io.callpark.testing.TestPhone;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sip.header.ExpiresHeader;
import javax.sip.message.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.callpark.testing.TestNetwork.ACME;
import static io.callpark.testing.TestNetwork.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BLF keys on park slots through Kamailio (issue 11): a key SUBSCRIBEs to Event: dialog on the code it dials to
 * retrieve and follows the slot from the NOTIFYs, as a desk phone does.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BlfIT extends PhonesOnTestNetwork {

    private final List<BlfKey> keys = new ArrayList<>();

    @AfterEach
    void closeKeys() {
        keys.forEach(BlfKey::close);
        keys.clear();
    }

    @Test
    void aKeyOnTheRetrieveCodeLightsWhileACallWaitsShowsWhoAndRetrievesIt() throws Exception {
        BlfKey key = key("102", ACME);
        Response ok = key.subscribe("sip:*88103@" + ACME, 1800);
        assertEquals(200, ok.getStatusCode(), ok.getReasonPhrase());
        assertEquals(1800, ((ExpiresHeader) ok.getHeader(ExpiresHeader.NAME)).getExpires());
        BlfKey.Notify first = key.awaitNotify(n -> true, WAIT).orElseThrow(() -> new AssertionError("no NOTIFY"));
        assertEquals("active;expires=1800", first.subscriptionState());
        assertEquals(0, first.version());
        assertTrue(first.off(), "nothing waits at 103 yet:\n" + first.body());

        TestPhone carol = phone("carol");
        transferred(phone("101"), carol, "*68103");
        BlfKey.Notify lit = key.awaitNotify(BlfKey.Notify::lit, WAIT)
                .orElseThrow(() -> new AssertionError("the key never lit: " + key.allNotifies()));
        assertTrue(lit.version() > first.version());
        assertTrue(lit.body().contains(">sip:carol@" + ACME + "</identity>"), lit.body());
        assertTrue(lit.body().contains("display=\"CAROL\""), "who waits, by name: " + lit.body());
        assertTrue(lit.body().contains("<bw:parked>"), "BroadWorks' call park element: " + lit.body());
        Matcher target = Pattern.compile("<target uri=\"(sip:\\*88\\*[0-9]{6}@" + ACME + ")\"").matcher(lit.body());
        assertTrue(target.find(), lit.body());

        TestPhone desk = phone("102");
        TestPhone.Call retrieved = desk.call(target.group(1)); // the key's press dials the dialog's target
        assertEquals(200, retrieved.status(), "the URI in the NOTIFY retrieves the call");
        BlfKey.Notify off = key.awaitNotify(BlfKey.Notify::off, WAIT)
                .orElseThrow(() -> new AssertionError("the key stayed lit: " + key.allNotifies()));
        assertTrue(off.version() > lit.version());
        assertTrue(off.cseq() > lit.cseq());
        retrieved.bye();
    }

    @Test
    void aKeyRefreshesAndEndsItsSubscriptionInItsDialog() throws Exception {
        BlfKey key = key("102", ACME);
        assertEquals(200, key.subscribe("sip:*88104@" + ACME, 600).getStatusCode());
        key.awaitNotify(n -> true, WAIT).orElseThrow(() -> new AssertionError("no first NOTIFY"));

        Response refreshed = key.refresh(900);
        assertEquals(200, refreshed.getStatusCode(), refreshed.getReasonPhrase());
        assertEquals(900, ((ExpiresHeader) refreshed.getHeader(ExpiresHeader.NAME)).getExpires());
        assertTrue(key.awaitNotify(n -> n.subscriptionState().equals("active;expires=900"), WAIT).isPresent(),
                "a refresh is answered with the state: " + key.allNotifies());

        assertEquals(423, key.refresh(10).getStatusCode(), "Interval Too Brief");

        Response ended = key.refresh(0);
        assertEquals(200, ended.getStatusCode());
        assertTrue(key.awaitNotify(n -> n.subscriptionState().equals("terminated"), WAIT).isPresent(),
                "the last NOTIFY says terminated: " + key.allNotifies());
        assertEquals(481, key.refresh(600).getStatusCode(), "the subscription is gone");
    }

    @Test
    void onlyUsersOfTheTenantMayWatchItsSlotsAndOnlyWithTheirPassword() throws Exception {
        BlfKey stranger = key("101", GLOBEX);
        Response foreign = stranger.subscribe("sip:*88103@" + ACME, 600);
        assertEquals(403, foreign.getStatusCode());
        assertEquals("Forbidden: not your tenant", foreign.getReasonPhrase());

        BlfKey guesser = new BlfKey("102", ACME, "not-the-password", "127.0.0.249",
                TestNetwork.kamailio().address, TestNetwork.kamailio().port);
        keys.add(guesser);
        assertEquals(403, guesser.subscribe("sip:*88103@" + ACME, 600).getStatusCode(), "a wrong digest");

        BlfKey neighbour = key("102", ACME);
        assertEquals(404, neighbour.subscribe("sip:*88999@" + ACME, 600).getStatusCode(),
                "999 is no extension of acme");
        assertTrue(stranger.allNotifies().isEmpty() && guesser.allNotifies().isEmpty()
                && neighbour.allNotifies().isEmpty(), "none of them is told anything");
    }

    private BlfKey key(String user, String domain) throws Exception {
        BlfKey key = TestNetwork.blfKey(user, domain);
        keys.add(key);
        return key;
    }
}
