package io.callpark.flow;

import io.callpark.config.CallparkConfig;
import io.callpark.config.ConfigLoader;
import io.callpark.config.InvalidConfigurationException;
import io.callpark.event.EventFeed;
import io.callpark.event.ParkEvent;
import io.callpark.event.WebhookSender;
import io.callpark.media.DefaultMelody;
import io.callpark.media.HoldMusic;
import io.callpark.media.MusicOnHold;
import io.callpark.media.RtpPortPool;
import io.callpark.sip.CallLanes;
import io.callpark.sip.KamailioRpc;
import io.callpark.sip.SipEndpoint;
import io.callpark.store.ApiKeyStore;
import io.callpark.store.BridgeStore;
import io.callpark.store.EventJournal;
import io.callpark.store.GroupStore;
import io.callpark.store.JsonCodec;
import io.callpark.store.ParkStore;
import io.callpark.store.TenantStore;
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
import org.infinispan.context.Flag;
import org.infinispan.remoting.transport.Address;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The composition root of a node: when the application starts it reads and validates the configuration (a bad one
 * fails the deployment with every problem named), then builds and starts the parts in order, each handing the next
 * only what it uses; on undeploy the parts stop in the reverse order. The API, event and notify beans get their
 * parts from the producers here.
 */
@ApplicationScoped
public class NodeAssembly {

    private static final Logger LOG = Logger.getLogger(NodeAssembly.class.getName());
    private static final int LANES = 16;
    private static final int LANE_INBOUND_LIMIT = 2000;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/parked")
    Cache<String, String> parkedCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/index")
    Cache<String, String> indexCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/dialogs")
    Cache<String, String> dialogsCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/settings")
    Cache<String, String> settingsCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/events")
    Cache<String, String> eventsCache;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    Event<ParkEvent> events;

    /** What start did, undone in reverse order by stop. */
    private final Deque<Runnable> stops = new ArrayDeque<>();
    private final EventFeed eventFeed = new EventFeed();
    private CallparkConfig config;
    private ScheduledExecutorService timers;
    private ParkStore parks;
    private TenantStore tenants;
    private GroupStore ringGroups;
    private GroupStore parkGroups;
    private ApiKeyStore apiKeys;
    private WebhookStore webhooks;
    private WebhookSender webhookSender;
    private EventJournal journal;
    private MusicOnHold music;
    private SipEndpoint sip;
    private CallControl calls;

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
        JsonCodec json = new JsonCodec();
        stops.push(() -> closeQuietly(json));
        // WildFly picks an application cache's encoding from the calling thread's context class loader on every
        // call of the injected cache: resolve the caches once, here, and give our threads the deployment's loader,
        // or a thread started from an Infinispan listener writes a second, unwrapped copy of an entry.
        // Memory holds every entry (the file stores are preloaded at start and nothing is evicted): a miss is a
        // real miss, so no operation reads the store (a miss would otherwise wait behind the store's writes)
        Cache<String, String> parked = inMemory(parkedCache);
        Cache<String, String> settings = inMemory(settingsCache);
        requireClusterName(parked);
        ThreadFactory deploymentThreads = withContextLoader(threads, Thread.currentThread().getContextClassLoader());
        timers = Executors.newScheduledThreadPool(2, deploymentThreads);
        stops.push(timers::shutdownNow);
        CallLanes lanes = new CallLanes(LANES, LANE_INBOUND_LIMIT, deploymentThreads);
        stops.push(lanes::shutdown);

        parks = new ParkStore(parked, inMemory(indexCache), json);
        BridgeStore bridges = new BridgeStore(inMemory(dialogsCache), json);
        tenants = new TenantStore(settings, json, TenantSettings.defaults(config.parkLimit(), config.featureCodes()));
        ringGroups = new GroupStore(settings, json, GroupStore.Kind.RING);
        parkGroups = new GroupStore(settings, json, GroupStore.Kind.PARK);
        apiKeys = new ApiKeyStore(settings, json);
        webhooks = new WebhookStore(settings, json);
        webhookSender = new WebhookSender(Executors.newFixedThreadPool(2, deploymentThreads), timers);
        stops.push(webhookSender::close);
        Cache<String, String> journalCache = eventsCache.getAdvancedCache();
        journal = new EventJournal(journalCache, config.nodeName());
        journalCache.addListener(eventFeed);
        stops.push(() -> journalCache.removeListener(eventFeed)); // the container outlives this deployment

        ThisNode here = new ThisNode(config.nodeName(), config.sipAddress());
        Consumer<ParkEvent> publish = events::fire;
        sip = new SipEndpoint(config, lanes, timers);
        music = new MusicOnHold(nodeMusic,
                new RtpPortPool(config.sipAddress(), config.rtpPorts().first(), config.rtpPorts().last()));
        ParkExit exit = new ParkExit(sip, parks, music, publish);
        CallerJoin joins = new CallerJoin(here, sip, parks, bridges, music, lanes, timers, exit);
        RingAndJoin ringer = new RingAndJoin(here, sip, parks, lanes, timers, exit, joins);
        RecallFlow recalls = new RecallFlow(here, parks, tenants, ringGroups, parkGroups, lanes, timers, exit, ringer,
                publish);
        stops.push(recalls::stop);
        calls = new CallControl(here, parks, tenants, lanes, publish, exit, ringer);
        music.start(timers, deploymentThreads, recalls::keyPressed);
        stops.push(music::stop);

        Takeover takeover = new Takeover(here, sip, parks, tenants, music, lanes, timers, exit,
                () -> members(parked), recalls);
        RequestRouter router = new RequestRouter(sip, parks, bridges, tenants,
                new ParkFlow(here, sip, parks, tenants, parkGroups, new KamailioRpc(config.kamailioRpc()), music, publish,
                        exit, recalls),
                new ParkedLegFlow(here, sip, parks, music, exit),
                new RetrieveFlow(here, sip, parks, bridges, parkGroups, publish, exit, joins),
                new BridgeFlow(here, sip, bridges, lanes), ringer);
        sip.start(router);
        stops.push(sip::stop);
        // once this node hears no more of the store (below), the calls it plays go to the nodes that stay
        stops.push(() -> {
            if (members(parked).size() > 1) {
                takeover.handOver();
            }
        });
        MusicFollowsStore musicFollowsStore = new MusicFollowsStore(here, parks, music, lanes, takeover);
        parked.addListener(musicFollowsStore);
        stops.push(() -> parked.removeListener(musicFollowsStore)); // the container outlives this deployment
        ClusterWatch clusterWatch = new ClusterWatch(lanes, takeover);
        parked.getCacheManager().addListener(clusterWatch);
        stops.push(() -> parked.getCacheManager().removeListener(clusterWatch));
        lanes.execute("cluster-view", takeover::adoptAll); // calls whose node is gone, or was this one
        LOG.info("callpark node " + config.nodeName() + " started: sip " + config.sipAddress() + ":"
                + config.sipPort() + ", proxy " + config.proxy() + ", rtp " + config.rtpPorts().first() + "-"
                + config.rtpPorts().last() + ", park limit " + config.parkLimit());
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

    private static Cache<String, String> inMemory(Cache<String, String> cache) {
        return cache.getAdvancedCache().withFlags(Flag.SKIP_CACHE_LOAD);
    }

    /** Names of the live cluster members (this node alone without a transport). */
    private Set<String> members(Cache<?, ?> cache) {
        List<Address> addresses = cache.getCacheManager().getMembers();
        if (addresses == null) {
            return Set.of(config.nodeName());
        }
        return addresses.stream().map(Address::toString).collect(Collectors.toSet());
    }

    /** Music ownership is recorded by node name: it must be the name the cluster knows this node by. */
    private void requireClusterName(Cache<?, ?> cache) {
        Address self = cache.getCacheManager().getAddress();
        if (self != null && !self.toString().equals(config.nodeName())) {
            throw new InvalidConfigurationException(List.of("callpark.node=" + config.nodeName()
                    + " must equal this node's cluster name " + self + " (jboss.node.name)"));
        }
    }

    private static ThreadFactory withContextLoader(ThreadFactory factory, ClassLoader loader) {
        return task -> {
            Thread thread = factory.newThread(task);
            thread.setContextClassLoader(loader);
            return thread;
        };
    }

    private static HoldMusic loadMusic(CallparkConfig config) throws IOException {
        if (config.mohFile().isPresent()) {
            return HoldMusic.fromWav(config.mohFile().get());
        }
        return HoldMusic.of(DefaultMelody.render());
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
    WebhookStore webhooks() {
        return webhooks;
    }

    @Produces
    WebhookSender webhookSender() {
        return webhookSender;
    }

    @Produces
    EventJournal journal() {
        return journal;
    }

    /** Every event of the cluster as it enters the journal, on this node. */
    @Produces
    EventFeed eventFeed() {
        return eventFeed;
    }

    @Produces
    MusicOnHold music() {
        return music;
    }

    @Produces
    SipEndpoint sip() {
        return sip;
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
