package io.callpark.flow;

import io.callpark.config.CallparkConfig;
import io.callpark.config.ConfigLoader;
import io.callpark.config.InvalidConfigurationException;
import io.callpark.event.ParkEvent;
import io.callpark.event.WebhookDestinations;
import io.callpark.event.WebhookSender;
import io.callpark.media.DefaultMelody;
import io.callpark.media.HoldMusic;
import io.callpark.media.MusicOnHold;
import io.callpark.media.Prompts;
import io.callpark.media.UploadedMusic;
import io.callpark.media.RtpPortPool;
import io.callpark.notify.SlotLamps;
import io.callpark.notify.SubscribeRequests;
import io.callpark.notify.SubscriptionTerms;
import io.callpark.notify.WatcherNotify;
import io.callpark.sip.CallLanes;
import io.callpark.sip.KamailioRpc;
import io.callpark.sip.ProxySeal;
import io.callpark.sip.Requests;
import io.callpark.sip.Responder;
import io.callpark.sip.SipCounters;
import io.callpark.sip.SipStack;
import io.callpark.sip.Transactions;
import io.callpark.store.ApiKeyStore;
import io.callpark.store.OperatorKeyStore;
import io.callpark.store.BridgeStore;
import io.callpark.store.CacheCounters;
import io.callpark.store.Table;
import io.callpark.store.ClusterMembers;
import io.callpark.store.DeploymentEncoding;
import io.callpark.store.InfinispanTable;
import io.callpark.store.LegacyImport;
import io.callpark.store.schema.BridgeKey;
import io.callpark.store.schema.BridgeRef;
import io.callpark.store.schema.CallIdKey;
import io.callpark.store.schema.CallLocator;
import io.callpark.store.schema.EventKey;
import io.callpark.store.schema.ExtensionKey;
import io.callpark.store.schema.JournalEntry;
import io.callpark.store.schema.KeyHash;
import io.callpark.store.schema.ParkIdKey;
import io.callpark.store.schema.StoredApiKey;
import io.callpark.store.schema.StoredAudio;
import io.callpark.store.schema.StoredMusic;
import io.callpark.store.schema.StoredBridge;
import io.callpark.store.schema.StoredGroups;
import io.callpark.store.schema.StoredKeyList;
import io.callpark.store.schema.StoredQueue;
import io.callpark.store.schema.StoredTenant;
import io.callpark.store.schema.StoredLots;
import io.callpark.store.schema.StoredWatchers;
import io.callpark.store.schema.StoredWebhooks;
import io.callpark.store.schema.TenantKey;
import io.callpark.store.EventJournal;
import io.callpark.store.GroupStore;
import io.callpark.store.ParkStore;
import io.callpark.store.TenantStore;
import io.callpark.store.LotStore;
import io.callpark.store.MusicStore;
import io.callpark.store.WatcherStore;
import io.callpark.store.WebhookStore;
import io.callpark.tenant.TenantSettings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.infinispan.Cache;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The composition root of a node: when the application starts it reads and validates the configuration (a bad one
 * fails the deployment with every problem named), then builds and starts the parts in order, each handing the next
 * only what it uses; on undeploy the parts stop in the reverse order. The API, event and notify beans get their
 * parts from the producers here.
 */
@ApplicationScoped
public class NodeAssembly {

    private static final Logger LOG = Logger.getLogger(NodeAssembly.class.getName());
    /**
     * New SIP requests in progress beyond which the node answers 503: seconds of its highest rate, and far below
     * what fills its heap (each holds its message and its transaction). At 20000 an overload of 650 parks/s
     * filled a 1 GiB heap and the SIP stack's reader thread died of it.
     */
    private static final int INBOUND_LIMIT = 2_000;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/parked-calls")
    Cache<ExtensionKey, StoredQueue> parkedCalls;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/call-index")
    Cache<CallIdKey, CallLocator> callIndex;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/park-ids")
    Cache<ParkIdKey, CallLocator> parkIds;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/bridges")
    Cache<BridgeKey, StoredBridge> bridgesCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/bridge-legs")
    Cache<CallIdKey, BridgeRef> bridgeLegs;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/tenants")
    Cache<TenantKey, StoredTenant> tenantsCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/ring-groups")
    Cache<TenantKey, StoredGroups> ringGroupsCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/park-groups")
    Cache<TenantKey, StoredGroups> parkGroupsCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/webhooks")
    Cache<TenantKey, StoredWebhooks> webhooksCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/tenant-keys")
    Cache<TenantKey, StoredKeyList> tenantKeys;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/api-keys")
    Cache<KeyHash, StoredApiKey> apiKeysCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/park-events")
    Cache<EventKey, JournalEntry> parkEvents;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/slot-watchers")
    Cache<ExtensionKey, StoredWatchers> slotWatchers;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/parking-lots")
    Cache<TenantKey, StoredLots> parkingLots;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/hold-music")
    Cache<TenantKey, StoredMusic> holdMusic;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/hold-music-audio")
    Cache<TenantKey, StoredAudio> holdMusicAudio;

    /** What the release before typed records kept: JSON text, read once to import it. */
    @Resource(lookup = "java:jboss/infinispan/cache/callpark/settings")
    Cache<String, String> legacySettings;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    Event<ParkEvent> events;

    private final CacheCounters counters = new CacheCounters();
    /** What start did, undone in reverse order by stop. */
    private final Deque<Runnable> stops = new ArrayDeque<>();
    private CallparkConfig config;
    private ClusterMembers members;
    private ScheduledExecutorService timers;
    private ParkStore parks;
    private TenantStore tenants;
    private GroupStore ringGroups;
    private GroupStore parkGroups;
    private ApiKeyStore apiKeys;
    private OperatorKeyStore operatorKeys;
    private WebhookStore webhooks;
    private LotStore lots;
    private MusicStore uploads;
    private KamailioRpc kamailio;
    private WebhookSender webhookSender;
    private WebhookDestinations webhookDestinations;
    private EventJournal journal;
    private MusicOnHold music;
    private Requests requests;
    private Transactions transactions;
    private CallControl calls;
    private SipCounters sipCounters;
    private CallLanes lanes;

    void start(@Observes Startup startup) throws Exception {
        try {
            assemble();
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    private void assemble() throws Exception {
        config = ConfigLoader.fromSystemProperties();
        HoldMusic nodeMusic = loadMusic(config);
        // WildFly picks an application cache's encoding from the calling thread's context class loader on every
        // call of the injected cache: the tables resolve their caches once, here, and our threads get the
        // deployment's loader, or a thread started from an Infinispan listener would write a second, unwrapped
        // copy of an entry.
        stops.push(() -> DeploymentEncoding.release(parkedCalls)); // last: no cache of ours is used after it
        members = new ClusterMembers(parkedCalls.getCacheManager(), config.nodeName());
        requireClusterName(members);
        ThreadFactory deploymentThreads = withContextLoader(threads, Thread.currentThread().getContextClassLoader());
        timers = Executors.newScheduledThreadPool(2, deploymentThreads);
        stops.push(timers::shutdownNow);
        lanes = new CallLanes(INBOUND_LIMIT, Thread.currentThread().getContextClassLoader());
        stops.push(lanes::close);

        parks = new ParkStore(table("parked-calls", parkedCalls), table("call-index", callIndex),
                table("park-ids", parkIds));
        stops.push(() -> closeQuietly(parks::close));
        BridgeStore bridges = new BridgeStore(table("bridges", bridgesCache), table("bridge-legs", bridgeLegs));
        tenants = new TenantStore(table("tenants", tenantsCache),
                TenantSettings.defaults(config.parkLimits(), config.featureCodes()));
        ringGroups = new GroupStore(table("ring-groups", ringGroupsCache), GroupStore.Kind.RING);
        parkGroups = new GroupStore(table("park-groups", parkGroupsCache), GroupStore.Kind.PARK);
        Table<TenantKey, StoredKeyList> keyLists = table("tenant-keys", tenantKeys);
        apiKeys = new ApiKeyStore(table("api-keys", apiKeysCache), keyLists);
        operatorKeys = new OperatorKeyStore(keyLists);
        if (!operatorKeys.seed(config.apiKey())) {
            LOG.warning("the configured operator key (callpark.api.key, fingerprint "
                    + OperatorKeyStore.fingerprint(ApiKeyStore.sha256(config.apiKey()))
                    + ") was retired: it is not accepted; the cluster's operator keys are");
        }
        webhooks = new WebhookStore(table("webhooks", webhooksCache));
        lots = new LotStore(table("parking-lots", parkingLots));
        new LegacyImport(tenants, ringGroups, parkGroups, apiKeys, webhooks)
                .importFrom(new InfinispanTable<>(legacySettings));
        tenants.clearLegacyMusicFiles((tenant, path) -> LOG.warning("tenant " + tenant + ": the music file it named"
                + " before uploads (" + path + ") is no longer played; the built-in music plays until the tenant"
                + " uploads its music (PUT /tenants/" + tenant + "/music)"));
        uploads = new MusicStore(table("hold-music", holdMusic), table("hold-music-audio", holdMusicAudio));
        webhookDestinations = new WebhookDestinations(config.webhooks(), hostAddresses(),
                WebhookDestinations.Resolver.system());
        webhookSender = new WebhookSender(
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("callpark-webhook-", 0).factory()), timers,
                webhookDestinations);
        stops.push(webhookSender::close);
        journal = new EventJournal(table("park-events", parkEvents), config.nodeName(), timers);
        stops.push(() -> closeQuietly(journal::close)); // the container outlives this deployment

        ThisNode here = new ThisNode(config.nodeName(), config.sipAddress(), config.mediaCapacity());
        Consumer<ParkEvent> publish = events::fire;
        ProxySeal seal = new ProxySeal(config.sipSecret());
        requests = new Requests(config.sipAddress(), config.sipPort(), seal);
        SipStack sip = new SipStack(config, lanes, timers, requests, seal);
        Responder responder = sip.responder();
        transactions = sip.transactions();
        sipCounters = sip.counters();
        music = new MusicOnHold(nodeMusic, tenant -> uploads.find(tenant).map(m -> new UploadedMusic(m.sha256(),
                        () -> uploads.ulaw(tenant, m.sha256()))),
                new RtpPortPool(config.sipAddress(), config.rtpPorts().first(), config.rtpPorts().last()),
                config.callerSilence());
        ParkExit exit = new ParkExit(transactions, requests, parks, music, publish);
        GoneCallers gone = new GoneCallers(here, requests, transactions, parks, music, lanes, exit,
                config.callerSilence());
        music.whenSilent(gone::silent);
        CallerJoin joins = new CallerJoin(here, transactions, requests, parks, bridges, music, lanes, timers, exit);
        RingAndJoin ringer = new RingAndJoin(here, transactions, requests, parks, lanes, timers, exit, joins);
        RecallFlow recalls = new RecallFlow(here, parks, tenants, ringGroups, parkGroups, lanes, timers, exit, ringer,
                publish);
        stops.push(recalls::stop);
        music.whenClosed(recalls::forget); // a recall timer goes with its call's music
        calls = new CallControl(here, parks, tenants, lanes, publish, exit, ringer);
        StaleClaims staleClaims = new StaleClaims(here, parks, lanes, joins, recalls);
        ScheduledFuture<?> sweeps = timers.scheduleWithFixedDelay(() -> lanes.execute("stale-claims",
                staleClaims::sweep), StaleClaims.SWEEP_SECONDS, StaleClaims.SWEEP_SECONDS, TimeUnit.SECONDS);
        stops.push(() -> sweeps.cancel(false));
        music.start(timers, deploymentThreads, recalls::keyPressed);
        stops.push(music::stop);

        Takeover takeover = new Takeover(here, requests, transactions, parks, tenants, music, lanes, timers, exit,
                members::names, recalls);
        WatcherStore watchers = new WatcherStore(table("slot-watchers", slotWatchers));
        WatcherNotify watcherNotify = new WatcherNotify(requests, transactions, parks, tenants, watchers);
        SlotLamps lamps = new SlotLamps(config.nodeName(), members::names, watchers, watcherNotify, lanes,
                System::currentTimeMillis);
        kamailio = new KamailioRpc(config.kamailioRpc(), seal);
        RequestRouter router = new RequestRouter(responder, parks, bridges, tenants,
                new ParkFlow(here, responder, parks, tenants, parkGroups, lots, kamailio, music,
                        Prompts.load(config.promptsDir()),
                        publish, exit, recalls),
                new ParkedLegFlow(here, responder, parks, music, exit),
                new RetrieveFlow(here, responder, transactions, requests, parks, bridges, parkGroups, publish, exit,
                        joins),
                new BridgeFlow(here, responder, transactions, requests, bridges, lanes), ringer,
                new SubscribeRequests(responder, watchers, tenants, lots, watcherNotify,
                        SubscriptionTerms.DIALOG_PACKAGE, System::currentTimeMillis), lots);
        sip.start(router);
        stops.push(sip::stop);
        // once this node hears no more of the store (below), the calls it plays go to the nodes that stay
        stops.push(() -> {
            if (members.names().size() > 1) {
                takeover.handOver();
            }
        });
        MusicFollowsStore musicFollowsStore = new MusicFollowsStore(here, parks, music, lanes, takeover);
        AutoCloseable queueWatch = parks.watchQueues(musicFollowsStore::queueChanged);
        AutoCloseable lampWatch = parks.watchQueues(lamps::changed);
        stops.push(() -> closeQuietly(lampWatch));
        ScheduledFuture<?> lampSweeps = timers.scheduleWithFixedDelay(() -> lanes.execute("slot-lamps",
                lamps::sweep), SlotLamps.SWEEP_SECONDS, SlotLamps.SWEEP_SECONDS, TimeUnit.SECONDS);
        stops.push(() -> lampSweeps.cancel(false));
        stops.push(() -> closeQuietly(queueWatch)); // the container outlives this deployment
        // when a node leaves, its parked calls are adopted
        AutoCloseable viewWatch = members.watch(() -> lanes.execute("cluster-view", takeover::adoptAll));
        stops.push(() -> closeQuietly(viewWatch));
        lanes.execute("cluster-view", takeover::adoptAll); // calls whose node is gone, or was this one
        LOG.info("callpark node " + config.nodeName() + " started: sip " + config.sipAddress() + ":"
                + config.sipPort() + ", proxy " + config.proxy() + ", rtp " + config.rtpPorts().first() + "-"
                + config.rtpPorts().last() + ", park limits " + config.parkLimits()
                + ", media capacity " + config.mediaCapacity() + ", caller silence " + config.callerSilence());
    }

    @PreDestroy
    void stop() {
        boolean started = !stops.isEmpty();
        while (!stops.isEmpty()) {
            try {
                stops.pop().run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stopping a part of the node failed", e);
            }
        }
        if (started && config != null) {
            LOG.info("callpark node " + config.nodeName() + " stopped");
        }
    }

    /** Music ownership is recorded by node name: it must be the name the cluster knows this node by. */
    private void requireClusterName(ClusterMembers members) {
        members.clusterName().filter(name -> !name.equals(config.nodeName())).ifPresent(name -> {
            throw new InvalidConfigurationException(List.of("callpark.node=" + config.nodeName()
                    + " must equal this node's cluster name " + name + " (jboss.node.name)"));
        });
    }

    private static ThreadFactory withContextLoader(ThreadFactory factory, ClassLoader loader) {
        return task -> {
            Thread thread = factory.newThread(task);
            thread.setContextClassLoader(loader);
            return thread;
        };
    }

    /** This host's own addresses: its ports there are as much its own as on loopback. */
    private static java.util.Set<java.net.InetAddress> hostAddresses() throws java.net.SocketException {
        return java.net.NetworkInterface.networkInterfaces().flatMap(java.net.NetworkInterface::inetAddresses)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static HoldMusic loadMusic(CallparkConfig config) throws IOException {
        if (config.mohFile().isPresent()) {
            return HoldMusic.fromWav(config.mohFile().get());
        }
        return HoldMusic.of(DefaultMelody.render());
    }

    /** One of our caches as the stores use it, its reads and writes counted. */
    private <K, V> Table<K, V> table(String name, Cache<K, V> cache) {
        return counters.counted(name, new InfinispanTable<>(cache));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.fine("close: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------ what the API, event and notify beans use

    @Produces
    CallparkConfig config() {
        return config;
    }

    @Produces
    ClusterMembers members() {
        return members;
    }

    @Produces
    ParkStore parks() {
        return parks;
    }

    @Produces
    TenantStore tenants() {
        return tenants;
    }

    @Produces
    @Named("ring")
    GroupStore ringGroups() {
        return ringGroups;
    }

    @Produces
    @Named("park")
    GroupStore parkGroups() {
        return parkGroups;
    }

    @Produces
    ApiKeyStore apiKeys() {
        return apiKeys;
    }

    @Produces
    OperatorKeyStore operatorKeys() {
        return operatorKeys;
    }

    @Produces
    KamailioRpc kamailio() {
        return kamailio;
    }

    @Produces
    LotStore lots() {
        return lots;
    }

    @Produces
    MusicStore uploads() {
        return uploads;
    }

    @Produces
    WebhookStore webhooks() {
        return webhooks;
    }

    @Produces
    WebhookDestinations webhookDestinations() {
        return webhookDestinations;
    }

    @Produces
    WebhookSender webhookSender() {
        return webhookSender;
    }

    @Produces
    EventJournal journal() {
        return journal;
    }

    @Produces
    SipCounters sipCounters() {
        return sipCounters;
    }

    @Produces
    CallLanes lanes() {
        return lanes;
    }

    @Produces
    CacheCounters counters() {
        return counters;
    }

    @Produces
    MusicOnHold music() {
        return music;
    }

    @Produces
    Requests requests() {
        return requests;
    }

    @Produces
    Transactions transactions() {
        return transactions;
    }

    @Produces
    CallControl calls() {
        return calls;
    }

    @Produces
    @Named("timers")
    ScheduledExecutorService timers() {
        return timers;
    }
}
