package io.callpark.flow;

import io.callpark.event.ParkEventType;
import io.callpark.park.ParkedCall;
import io.callpark.sip.SipHeaders;
import io.callpark.testing.Wait;
import io.callpark.store.WatcherStore.Slot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.callpark.flow.FlowHarness.TENANT;
import static io.callpark.flow.FlowHarness.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BLF keys on park slots (RFC 6665 subscriptions to the dialog event package) on fakes of the store and SIP. */
class BlfKeysTest {

    private static final Slot SLOT_103 = new Slot(TENANT, "103");

    private final FlowHarness node = new FlowHarness();

    BlfKeysTest() throws Exception {
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void aKeyOnTheRetrieveCodeGetsItsSubscriptionAndAtOnceTheSlotsState() throws Exception {
        node.receive(node.subscribe("k1", "101", TENANT, "*88103", "dialog", 1800));
        FakeSip.Answer ok = node.sip.awaitAnswer("k1", "SUBSCRIBE");
        assertEquals(200, ok.status());
        assertEquals("1800", ok.headers().get("Expires"));
        assertEquals("watch/" + TENANT + "/103", ok.headers().get("Contact-user"));

        FakeSip.Sent first = awaitNotify("k1");
        assertEquals("active;expires=1800", header(first, "Subscription-State"));
        assertEquals("dialog", header(first, "Event"));
        assertEquals("sip:101@127.0.0.7:5070;transport=udp", first.request().getRequestURI().toString());
        assertEquals("<sip:127.0.0.1:5060;lr>", header(first, "Route"));
        assertEquals(ok.headers().get("To-tag"), SipHeaders.from(first.request()).getTag());
        assertEquals("key-k1", SipHeaders.to(first.request()).getTag());
        assertTrue(first.body().contains("version=\"0\""), first.body());
        assertFalse(first.body().contains("<dialog "), "nothing waits: the key is off\n" + first.body());
        first.answer(200, null);
        assertEquals(1, node.watchers.of(SLOT_103).size());
    }

    @Test
    void theKeyLightsWhileACallWaitsShowsWhoAndGoesOffWhenTheCallLeaves() throws Exception {
        subscribed("k1", "*88103");
        ParkedCall call = node.park("c1", "103");
        FakeSip.Sent lit = awaitNotify("k1");
        assertTrue(lit.body().contains("version=\"1\""), lit.body());
        assertTrue(lit.body().contains("<state>confirmed</state>"), lit.body());
        assertTrue(lit.body().contains("display=\"carol\">sip:carol@" + TENANT + "</identity>"), lit.body());
        assertTrue(lit.body().contains("<target uri=\"sip:*88*" + call.parkId() + "@" + TENANT + "\""), lit.body());
        assertTrue(lit.body().contains("<bw:parked>"), lit.body());
        assertEquals(SipHeaders.cseq(firstNotify) + 1, SipHeaders.cseq(lit.request()));
        lit.answer(200, null);

        node.receive(node.inDialog(call.leg(), "BYE", 2)); // the caller hangs up
        node.awaitEvent(ParkEventType.ABANDONED);
        FakeSip.Sent off = awaitNotify("k1");
        assertTrue(off.body().contains("version=\"2\""), off.body());
        assertFalse(off.body().contains("<dialog "), off.body());
    }

    @Test
    void theKeyFlashesWhilePhonesRingToTakeTheCallBack() throws Exception {
        subscribed("k1", "*88103");
        ParkedCall call = node.park("c1", "103");
        awaitNotify("k1").answer(200, null);
        node.parks.ring(call, "recall-ring", FlowHarness.NODE).orElseThrow(); // a recall starts ringing phones
        FakeSip.Sent ringing = awaitNotify("k1");
        assertTrue(ringing.body().contains("<state>early</state>"), ringing.body());
    }

    @Test
    void starEightyEightAloneWatchesTheUsersOwnExtension() throws Exception {
        node.receive(node.subscribe("k1", "103", TENANT, "*88", "dialog", null));
        FakeSip.Answer ok = node.sip.awaitAnswer("k1", "SUBSCRIBE");
        assertEquals(200, ok.status());
        assertEquals("3600", ok.headers().get("Expires"), "RFC 4235: an hour when the key names none");
        assertEquals(1, node.watchers.of(SLOT_103).size());
    }

    @Test
    void aRefreshRunsTheSubscriptionOnAndIsAnsweredWithTheState() throws Exception {
        FakeSip.Answer ok = subscribed("k1", "*88103");
        node.clock.addAndGet(1_000_000);
        node.receive(node.resubscribe("k1", "101", ok.headers().get("To-tag"), ok.headers().get("Contact-user"), 2,
                600));
        FakeSip.Answer refreshed = node.sip.awaitAnswer("k1", "SUBSCRIBE");
        assertEquals(200, refreshed.status());
        assertEquals("600", refreshed.headers().get("Expires"));
        FakeSip.Sent notify = awaitNotify("k1");
        assertEquals("active;expires=600", header(notify, "Subscription-State"));
        assertTrue(notify.body().contains("version=\"1\""), notify.body());
        assertEquals(node.clock.get() + 600_000, node.watchers.of(SLOT_103).get(0).expiresAtMs());
    }

    @Test
    void expiresZeroEndsTheSubscriptionWithATerminatedNotify() throws Exception {
        FakeSip.Answer ok = subscribed("k1", "*88103");
        node.receive(node.resubscribe("k1", "101", ok.headers().get("To-tag"), ok.headers().get("Contact-user"), 2,
                0));
        FakeSip.Answer ended = node.sip.awaitAnswer("k1", "SUBSCRIBE");
        assertEquals(200, ended.status());
        assertEquals("0", ended.headers().get("Expires"));
        assertEquals("terminated", header(awaitNotify("k1"), "Subscription-State"));
        assertTrue(node.watchers.of(SLOT_103).isEmpty());
        assertTrue(node.watcherTable.keys().isEmpty(), "no entry is left for a slot nobody watches");
    }

    @Test
    void anExpiredSubscriptionEndsWithTimeoutAtTheNextSweep() throws Exception {
        subscribed("k1", "*88103");
        node.clock.addAndGet(1_799_000);
        node.lamps.sweep();
        assertEquals(1, node.watchers.of(SLOT_103).size(), "a second before its end it still runs");
        node.clock.addAndGet(1_000);
        node.lamps.sweep();
        assertEquals("terminated;reason=timeout", header(awaitNotify("k1"), "Subscription-State"));
        assertTrue(node.watchers.of(SLOT_103).isEmpty());
    }

    @Test
    void aSubscriptionWhoseKeyIsGoneEndsWhenItsNotifyGets481() throws Exception {
        node.receive(node.subscribe("k1", "101", TENANT, "*88103", "dialog", 1800));
        assertEquals(200, node.sip.awaitAnswer("k1", "SUBSCRIBE").status());
        awaitNotify("k1").answer(481, null);
        Wait.until(() -> node.watchers.of(SLOT_103).isEmpty(), seconds(5));
    }

    @Test
    void aSlowNotifyOrOneOvertakenKeepsTheSubscription() throws Exception {
        node.receive(node.subscribe("k1", "101", TENANT, "*88103", "dialog", 1800));
        assertEquals(200, node.sip.awaitAnswer("k1", "SUBSCRIBE").status());
        awaitNotify("k1").answer(500, null);
        node.park("c1", "103");
        awaitNotify("k1").answer(200, null);
        assertEquals(1, node.watchers.of(SLOT_103).size());
    }

    @Test
    void refusedSubscriptionsSayWhy() throws Exception {
        record Case(String callId, String user, String tenant, String requestUser, String event, Integer expires,
                    int status, String reason) {
        }
        for (Case c : List.of(
                new Case("other-tenant", "mallory", "evil.test", "*88103", "dialog", 1800, 403,
                        "Forbidden: not your tenant"),
                new Case("no-such-ext", "101", TENANT, "*88999", "dialog", 1800, 404,
                        "Not Found: no park slot to watch there"),
                new Case("park-code", "101", TENANT, "*68103", "dialog", 1800, 404,
                        "Not Found: no park slot to watch there"),
                new Case("presence", "101", TENANT, "*88103", "presence", 1800, 489, "Bad Event"),
                new Case("too-brief", "101", TENANT, "*88103", "dialog", 30, 423, "Interval Too Brief"))) {
            var request = node.subscribe(c.callId(), c.user(), c.tenant(), c.requestUser(), c.event(), c.expires());
            if (c.callId().equals("no-such-ext")) {
                // the proxy vouches for no tail: 999 is no subscriber
                request = unvouched(request);
            }
            node.receive(request);
            FakeSip.Answer answer = node.sip.awaitAnswer(c.callId(), "SUBSCRIBE");
            assertEquals(c.status(), answer.status(), c.callId());
            assertEquals(c.reason(), answer.reason(), c.callId());
            if (c.status() == 423) {
                assertEquals("60", answer.headers().get("Min-Expires"));
            }
            if (c.status() == 489) {
                assertEquals("dialog", answer.headers().get("Allow-Events"));
            }
        }
        assertTrue(node.watcherTable.keys().isEmpty(), "no refused key is stored");
        assertTrue(node.sip.sent.stream().noneMatch(s -> s.method().equals("NOTIFY")), "and none is notified");
    }

    @Test
    void notifiesGoWhereTheSubscribeCameFromNeverToAThirdAddressItNames() throws Exception {
        var aimed = node.subscribe("k1", "101", TENANT, "*88103", "dialog", 0); // a fetch: one NOTIFY, not stored
        aimed.request().setHeader(node.sip.header("Contact", "<sip:victim@198.51.100.7:5060;transport=udp>"));
        node.receive(aimed);
        assertEquals(200, node.sip.awaitAnswer("k1", "SUBSCRIBE").status());
        assertEquals("sip:victim@127.0.0.7:5070;transport=udp",
                awaitNotify("k1").request().getRequestURI().toString(), "to the sealed source, not the Contact");

        var routed = node.subscribe("k2", "101", TENANT, "*88103", "dialog", 600);
        routed.request().addLast(node.sip.header("Record-Route", "<sip:198.51.100.7:5060;lr>"));
        node.receive(routed);
        FakeSip.Answer refused = node.sip.awaitAnswer("k2", "SUBSCRIBE");
        assertEquals(403, refused.status(), "a Record-Route of the key's own names a third hop");
        assertTrue(node.watchers.of(SLOT_103).isEmpty());
    }

    @Test
    void aRefreshInNoSubscriptionOfOursGets481() throws Exception {
        FakeSip.Answer ok = subscribed("k1", "*88103");
        node.receive(node.resubscribe("k1", "101", "not-our-tag", ok.headers().get("Contact-user"), 2, 600));
        assertEquals(481, node.sip.awaitAnswer("k1", "SUBSCRIBE").status());
        node.receive(node.resubscribe("k2", "101", ok.headers().get("To-tag"), ok.headers().get("Contact-user"), 2,
                0));
        assertEquals(481, node.sip.awaitAnswer("k2", "SUBSCRIBE").status());
        assertEquals(1, node.watchers.of(SLOT_103).size(), "a forged unsubscribe ends nothing");
    }

    @Test
    void aChangeTheKeysCannotSeeIsNotTold() throws Exception {
        subscribed("k1", "*88103");
        ParkedCall call = node.park("c1", "103");
        awaitNotify("k1").answer(200, null);
        long told = node.watchers.of(SLOT_103).get(0).version();
        node.parks.replace(call, call.withLeg(call.leg().nextCseq())); // a re-INVITE's CSeq: nothing a key shows
        node.lamps.sweep();
        Wait.until(() -> node.lanes.busy() == 0, seconds(5));
        assertEquals(told, node.watchers.of(SLOT_103).get(0).version());
        assertTrue(node.sip.sent.stream().noneMatch(s -> s.method().equals("NOTIFY")), "no NOTIFY for it");
    }

    @Test
    void oneNodeTellsEachChangeAndAChangeItsTellerDiedBeforeTellingIsToldByTheNextSweep() throws Exception {
        subscribed("k1", "*88103");
        for (int other = 2; node.lamps.owns(SLOT_103); other++) {
            node.members.clear();
            node.members.addAll(Set.of(FlowHarness.NODE, "node" + other));
        }
        node.park("c1", "103");
        Wait.until(() -> node.lanes.busy() == 0, seconds(5));
        assertTrue(node.sip.sent.stream().noneMatch(s -> s.method().equals("NOTIFY")),
                "the slot's owner, another node, tells the change");
        node.members.clear();
        node.members.add(FlowHarness.NODE); // the owner died before telling it
        node.lamps.sweep();
        FakeSip.Sent late = awaitNotify("k1");
        assertTrue(late.body().contains("<state>confirmed</state>"), late.body());
    }

    private javax.sip.message.Request firstNotify;

    /** A key of 101 subscribed to {@code requestUser} for 1800 s; its first NOTIFY answered. */
    private FakeSip.Answer subscribed(String callId, String requestUser) throws Exception {
        node.receive(node.subscribe(callId, "101", TENANT, requestUser, "dialog", 1800));
        FakeSip.Answer ok = node.sip.awaitAnswer(callId, "SUBSCRIBE");
        assertEquals(200, ok.status());
        FakeSip.Sent first = awaitNotify(callId);
        first.answer(200, null);
        firstNotify = first.request();
        return ok;
    }

    private FakeSip.Sent awaitNotify(String callId) throws InterruptedException {
        return node.sip.awaitSent(s -> s.method().equals("NOTIFY") && s.callId().equals(callId), seconds(5));
    }

    private static String header(FakeSip.Sent sent, String name) {
        return sent.request().getHeader(name).toString().substring(name.length() + 1).trim();
    }

    private io.callpark.sip.InboundRequest unvouched(io.callpark.sip.InboundRequest in) {
        FakeSip.PROXY.seal(in.request(), "id=101@" + TENANT + ";src=127.0.0.7:5070;subs=");
        return in;
    }
}
