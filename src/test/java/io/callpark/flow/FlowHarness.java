package io.callpark.flow;

import io.callpark.media.Prompts;
import io.callpark.notify.SlotLamps;
import io.callpark.notify.SubscribeRequests;
import io.callpark.notify.SubscriptionTerms;
import io.callpark.notify.WatcherNotify;
import io.callpark.store.LotStore;
import io.callpark.store.WatcherStore;
import io.callpark.store.schema.StoredWatchers;
import java.util.concurrent.atomic.AtomicLong;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.callpark.event.ParkEvent;
import io.callpark.event.ParkEventType;
import io.callpark.media.HoldMusic;
import io.callpark.media.MusicOnHold;
import io.callpark.media.RtpPortPool;
import io.callpark.park.FeatureCodes;
import io.callpark.park.ParkLimits;
import io.callpark.sip.CallLanes;
import io.callpark.sip.InboundRequest;
import io.callpark.sip.KamailioRpc;
import io.callpark.sip.ProxySeal;
import io.callpark.sip.Requests;
import io.callpark.store.BridgeStore;
import io.callpark.store.GroupStore;
import io.callpark.store.MemoryTable;
import io.callpark.store.FailingTable;
import io.callpark.store.schema.ExtensionKey;
import io.callpark.store.schema.ParkIdKey;
import io.callpark.store.schema.StoredQueue;
import io.callpark.store.schema.BridgeRef;
import io.callpark.store.schema.CallIdKey;
import io.callpark.store.schema.CallLocator;
import io.callpark.store.ParkStore;
import io.callpark.store.TenantStore;
import io.callpark.tenant.TenantSettings;

import javax.sip.message.Request;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One node's flows on in-memory fakes: the stores on in-memory tables, the SIP edge recorded by {@link FakeSip},
 * real lanes, timers and music (on loopback ports). Requests go in through the router as Kamailio would send them.
 */
final class FlowHarness implements AutoCloseable {

    static final String TENANT = "acme.test";
    static final String NODE = "node1";
    private static int nextPort = 47000;

    final FakeSip sip = new FakeSip();
    final ProxySeal seal = FakeSip.PROXY;
    final Requests requests = new Requests("127.0.0.1", 5080, seal);
    final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);
    final CallLanes lanes = new CallLanes(100, CallLanes.class.getClassLoader());
    /** The Call-ID indexes: a call of this release is found by its tags, and writes none. */
    final MemoryTable<CallIdKey, CallLocator> callIndex = new MemoryTable<>();
    final MemoryTable<CallIdKey, BridgeRef> bridgeLegs = new MemoryTable<>();
    /** The parked calls (one queue an extension), the park-id index and the bridges: their writes fail on demand. */
    final FailingTable<ExtensionKey, StoredQueue> parked = new FailingTable<>();
    final FailingTable<ParkIdKey, CallLocator> parkIds = new FailingTable<>();
    final FailingTable<io.callpark.store.schema.BridgeKey, io.callpark.store.schema.StoredBridge> bridgeTable =
            new FailingTable<>();
    final ParkStore parks = new ParkStore(parked, callIndex, parkIds);
    final BridgeStore bridges = new BridgeStore(bridgeTable, bridgeLegs);
    final TenantStore tenants = new TenantStore(new MemoryTable<>(),
            TenantSettings.defaults(new ParkLimits(2, 50, 500), new FeatureCodes("*68", "*88", "*58")));
    final GroupStore ringGroups = new GroupStore(new MemoryTable<>(), GroupStore.Kind.RING);
    final GroupStore parkGroups = new GroupStore(new MemoryTable<>(), GroupStore.Kind.PARK);
    final MusicOnHold music;
    final BlockingQueue<ParkEvent> events = new LinkedBlockingQueue<>();
    final Set<String> members = new HashSet<>(Set.of(NODE));
    final ThisNode here;
    final ParkExit exit;
    final RingAndJoin ringer;
    final RecallFlow recalls;
    final CallControl calls;
    final StaleClaims staleClaims;
    final Takeover takeover;
    final RequestRouter router;
    /** The subscriber lists, the BLF side, and the clock their expiries are read on (the test moves it). */
    final LotStore lots = new LotStore(new MemoryTable<>());
    final MemoryTable<ExtensionKey, StoredWatchers> watcherTable = new MemoryTable<>();
    final WatcherStore watchers = new WatcherStore(watcherTable);
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final WatcherNotify watcherNotify;
    final SlotLamps lamps;

    FlowHarness() throws java.io.IOException {
        this(1000, Duration.ZERO);
    }

    /**
     * @param mediaCapacity the calls this node may park at once
     * @param silence       how long a caller may send no RTP before it is asked whether it is there (zero: never)
     */
    FlowHarness(int mediaCapacity, Duration silence) throws java.io.IOException {
        here = new ThisNode(NODE, "127.0.0.1", mediaCapacity);
        int first;
        synchronized (FlowHarness.class) {
            first = nextPort;
            nextPort += 100;
        }
        music = new MusicOnHold(HoldMusic.of(new short[1600]), new RtpPortPool("127.0.0.1", first, first + 99),
                silence);
        exit = new ParkExit(sip, requests, parks, music, events::add);
        music.whenSilent(new GoneCallers(here, requests, sip, parks, music, lanes, exit, silence)::silent);
        CallerJoin joins = new CallerJoin(here, sip, requests, parks, bridges, music, lanes, timers, exit);
        ringer = new RingAndJoin(here, sip, requests, parks, lanes, timers, exit, joins);
        recalls = new RecallFlow(here, parks, tenants, ringGroups, parkGroups, lanes, timers, exit, ringer,
                events::add);
        calls = new CallControl(here, parks, tenants, lanes, events::add, exit, ringer);
        staleClaims = new StaleClaims(here, parks, lanes, joins, recalls);
        takeover = new Takeover(here, requests, sip, parks, tenants, music, lanes, timers, exit, () -> members,
                recalls);
        music.whenClosed(recalls::forget);
        music.start(timers, Executors.defaultThreadFactory(), recalls::keyPressed);
        // nothing listens there: group park finds every member "available" (Kamailio cannot tell)
        KamailioRpc kamailio = new KamailioRpc(URI.create("http://127.0.0.1:9/RPC"), seal);
        watcherNotify = new WatcherNotify(requests, sip, parks, tenants, watchers);
        lamps = new SlotLamps(NODE, () -> members, watchers, watcherNotify, lanes, clock::get);
        parks.watchQueues(lamps::changed);
        router = new RequestRouter(sip, parks, bridges, tenants,
                new ParkFlow(here, sip, parks, tenants, parkGroups, lots, kamailio, music, Prompts.load(), events::add,
                        exit, recalls),
                new ParkedLegFlow(here, sip, parks, music, exit),
                new RetrieveFlow(here, sip, sip, requests, parks, bridges, parkGroups, events::add, exit, joins),
                new BridgeFlow(here, sip, sip, requests, bridges, lanes), ringer,
                new SubscribeRequests(sip, watchers, tenants, lots, watcherNotify, SubscriptionTerms.DIALOG_PACKAGE,
                        clock::get), lots);
    }

    /**
     * An INVITE as Kamailio relays it, record-routed and sealed with the authenticated caller, its address, the
     * user whose REFER sent it ({@code referrer}, or null) and every tail of the code as a subscriber.
     */
    InboundRequest invite(String callId, String user, String requestUser, String referrer) throws Exception {
        String sdp = sdp(40000);
        String message = "INVITE sip:" + requestUser + "@" + TENANT + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-" + callId + "\r\n"
                + "Record-Route: <sip:127.0.0.1:5060;lr>\r\n"
                + "Max-Forwards: 69\r\n"
                + "From: \"" + user + "\" <sip:" + user + "@" + TENANT + ">;tag=from-" + callId + "\r\n"
                + "To: <sip:" + requestUser + "@" + TENANT + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:" + user + "@127.0.0.5:5070;transport=udp>\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        Request request = new MessageFactoryImpl().createRequest(message);
        seal.seal(request, "id=" + user + "@" + TENANT + ";src=127.0.0.5:5070;subs=" + tails(requestUser)
                + (referrer == null ? "" : ";by=" + referrer + "@" + TENANT));
        return new InboundRequest(request, null);
    }

    /**
     * An INVITE from a trusted trunk of {@code trunkTenant} as Kamailio relays it: no digest, so the seal claims no
     * {@code id}, only {@code trunk=<tenant>}, the trunk's address, the subscribers among the code's tails and the
     * user whose REFER sent the caller ({@code referrer}, or null). The From is the carrier's word ({@code from}).
     */
    InboundRequest trunkInvite(String callId, String from, String trunkTenant, String requestUser, String referrer)
            throws Exception {
        InboundRequest in = invite(callId, "carrier", requestUser, null);
        Request request = in.request();
        ((javax.sip.header.FromHeader) request.getHeader("From")).setAddress(
                new gov.nist.javax.sip.address.AddressFactoryImpl().createAddress("\"Carrier\" <sip:" + from + ">"));
        seal.seal(request, "trunk=" + trunkTenant + ";src=192.0.2.7:5060;subs=" + tails(requestUser)
                + (referrer == null ? "" : ";by=" + referrer + "@" + TENANT));
        return new InboundRequest(request, null);
    }

    /**
     * A BLF key's SUBSCRIBE as Kamailio relays it: record-routed, sealed with the authenticated user
     * ({@code user@userTenant}) and every tail of the Request-URI's user as a subscriber of the tenant.
     *
     * @param expires the Expires header, or null for none
     */
    InboundRequest subscribe(String callId, String user, String userTenant, String requestUser, String event,
                             Integer expires) throws Exception {
        String message = "SUBSCRIBE sip:" + requestUser + "@" + TENANT + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-sub-" + callId + "\r\n"
                + "Record-Route: <sip:127.0.0.1:5060;lr>\r\n"
                + "Max-Forwards: 69\r\n"
                + "From: <sip:" + user + "@" + userTenant + ">;tag=key-" + callId + "\r\n"
                + "To: <sip:" + requestUser + "@" + TENANT + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 SUBSCRIBE\r\n"
                + "Contact: <sip:" + user + "@127.0.0.7:5070;transport=udp>\r\n"
                + "Event: " + event + "\r\n"
                + (expires == null ? "" : "Expires: " + expires + "\r\n")
                + "Accept: application/dialog-info+xml\r\n"
                + "Content-Length: 0\r\n\r\n";
        Request request = new MessageFactoryImpl().createRequest(message);
        seal.seal(request, "id=" + user + "@" + userTenant + ";src=127.0.0.7:5070;subs=" + tails(requestUser));
        return new InboundRequest(request, null);
    }

    /** The watcher's SUBSCRIBE in its subscription: to the Contact {@code ourContactUser}, with our tag. */
    InboundRequest resubscribe(String callId, String user, String ourTag, String ourContactUser, long cseq,
                               int expires) throws Exception {
        String message = "SUBSCRIBE sip:" + ourContactUser + "@127.0.0.1:5080 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-resub-" + cseq + callId + "\r\n"
                + "Max-Forwards: 69\r\n"
                + "From: <sip:" + user + "@" + TENANT + ">;tag=key-" + callId + "\r\n"
                + "To: <sip:*88@" + TENANT + ">;tag=" + ourTag + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " SUBSCRIBE\r\n"
                + "Contact: <sip:" + user + "@127.0.0.7:5070;transport=udp>\r\n"
                + "Event: dialog\r\n"
                + "Expires: " + expires + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        Request request = new MessageFactoryImpl().createRequest(message);
        seal.seal(request, "src=127.0.0.1:5060");
        return new InboundRequest(request, null);
    }

    private static String tails(String requestUser) {
        StringBuilder subs = new StringBuilder();
        for (int i = 2; i <= 5 && i < requestUser.length(); i++) {
            subs.append('/').append(requestUser.substring(i));
        }
        return subs.toString();
    }

    /** An in-dialog request of the caller on the leg the flows answered it on. */
    InboundRequest inDialog(io.callpark.park.DialogLeg ourLeg, String method, long cseq) throws Exception {
        String message = method + " sip:park@127.0.0.1:5080 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-" + method + cseq + ourLeg.callId() + "\r\n"
                + "Max-Forwards: 69\r\n"
                + "From: " + ourLeg.remoteParty() + ";tag=" + ourLeg.remoteTag() + "\r\n"
                + "To: " + ourLeg.localParty() + ";tag=" + ourLeg.localTag() + "\r\n"
                + "Call-ID: " + ourLeg.callId() + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        return new InboundRequest(new MessageFactoryImpl().createRequest(message), null);
    }

    static String sdp(int port) {
        return "v=0\r\no=phone 1 1 IN IP4 127.0.0.5\r\ns=-\r\nc=IN IP4 127.0.0.5\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
    }

    /** Carol, transferred by 101, waits at {@code extension}: the call as parked. */
    io.callpark.park.ParkedCall park(String callId, String extension) throws Exception {
        receive(invite(callId, "carol", "*68" + extension, "101"));
        FakeSip.Answer ok = sip.awaitAnswer(callId);
        if (ok.status() != 200) {
            throw new AssertionError("park refused: " + ok);
        }
        return awaitEvent(ParkEventType.PARKED).call();
    }

    /** The request goes through the router on its Call-ID's lane, as the SIP stack hands it over. */
    void receive(InboundRequest in) {
        lanes.offer(in.callId(), () -> router.handle(in));
    }

    ParkEvent awaitEvent(ParkEventType type) throws InterruptedException {
        ParkEvent event;
        List<ParkEvent> others = new java.util.ArrayList<>();
        while ((event = events.poll(5, TimeUnit.SECONDS)) != null) {
            if (event.type() == type) {
                return event;
            }
            others.add(event);
        }
        throw new AssertionError("no " + type + " event; others: " + others.stream().map(ParkEvent::type).toList());
    }

    static Duration seconds(int seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Override
    public void close() {
        recalls.stop();
        music.stop();
        lanes.close();
        timers.shutdownNow();
    }
}
