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
import jakarta.inject.Inject;
import org.infinispan.Cache;
import org.infinispan.context.Flag;
import org.infinispan.remoting.transport.Address;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Starts the node when the application starts: reads and validates the configuration (a bad one fails the
 * deployment with every problem named), loads the music, opens the SIP endpoint; stops it all on undeploy.
 */
@ApplicationScoped
public class CallparkBootstrap {

    private static final Logger LOG = Logger.getLogger(CallparkBootstrap.class.getName());
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

    private JsonCodec json;
    private Cache<String, String> parked;
    private CallparkNode node;
    private MusicFollowsStore musicFollowsStore;
    private ClusterWatch clusterWatch;
    private Takeover takeover;
    private ApiKeyStore apiKeys;
    private WebhookStore webhooks;
    private RecallFlow recalls;
    private WebhookSender webhookSender;
    private EventJournal journal;
    private final EventFeed eventFeed = new EventFeed();
    private Cache<String, String> journalCache;
    private CallControl callControl;

    void start(@Observes Startup startup) throws Exception {
        CallparkConfig config = ConfigLoader.fromSystemProperties();
        HoldMusic music = loadMusic(config);
        json = new JsonCodec();
        // WildFly picks an application cache's encoding from the calling thread's context class loader on every
        // call of the injected cache: resolve the caches once, here, and give our threads the deployment's loader,
        // or a thread started from an Infinispan listener writes a second, unwrapped copy of an entry.
        // Memory holds every entry (the file stores are preloaded at start and nothing is evicted): a miss is a
        // real miss, so no operation reads the store (a miss would otherwise wait behind the store's writes)
        parked = inMemory(parkedCache);
        Cache<String, String> index = inMemory(indexCache);
        Cache<String, String> dialogs = inMemory(dialogsCache);
        Cache<String, String> settings = inMemory(settingsCache);
        ThreadFactory deploymentThreads = withContextLoader(threads, Thread.currentThread().getContextClassLoader());
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, deploymentThreads);
        CallLanes lanes = new CallLanes(LANES, LANE_INBOUND_LIMIT, deploymentThreads);
        SipEndpoint sip = new SipEndpoint(config, lanes, timers);
        MusicOnHold moh = new MusicOnHold(music,
                new RtpPortPool(config.sipAddress(), config.rtpPorts().first(), config.rtpPorts().last()));
        TenantSettings defaults = TenantSettings.defaults(config.parkLimit(), config.featureCodes());
        node = new CallparkNode(config, sip, lanes, timers, new ParkStore(parked, index, json),
                new BridgeStore(dialogs, json), new TenantStore(settings, json, defaults),
                new GroupStore(settings, json, GroupStore.Kind.RING), new GroupStore(settings, json, GroupStore.Kind.PARK),
                new KamailioRpc(config.kamailioRpc()), moh);
        apiKeys = new ApiKeyStore(settings, json);
        webhooks = new WebhookStore(settings, json);
        webhookSender = new WebhookSender(Executors.newFixedThreadPool(2, deploymentThreads), timers);
        journalCache = eventsCache.getAdvancedCache();
        journal = new EventJournal(journalCache, config.nodeName());
        journalCache.addListener(eventFeed);
        requireClusterName(config);
        ParkExit exit = new ParkExit(node, events::fire);
        RingAndJoin ringer = new RingAndJoin(node, exit);
        recalls = new RecallFlow(node, exit, ringer, events::fire);
        callControl = new CallControl(node, events::fire, exit, ringer);
        moh.start(timers, deploymentThreads, recalls::keyPressed);
        takeover = new Takeover(node, exit, this::members, recalls);
        musicFollowsStore = new MusicFollowsStore(node, takeover);
        clusterWatch = new ClusterWatch(node, takeover);
        parked.addListener(musicFollowsStore);
        parked.getCacheManager().addListener(clusterWatch);
        sip.start(new RequestRouter(node, events::fire, exit, recalls, ringer));
        lanes.execute("cluster-view", takeover::adoptAll); // calls whose node is gone, or was this one
        LOG.info("callpark node " + config.nodeName() + " started: sip " + config.sipAddress() + ":"
                + config.sipPort() + ", proxy " + config.proxy() + ", rtp " + config.rtpPorts().first() + "-"
                + config.rtpPorts().last() + ", park limit " + config.parkLimit());
    }

    private static Cache<String, String> inMemory(Cache<String, String> cache) {
        return cache.getAdvancedCache().withFlags(Flag.SKIP_CACHE_LOAD);
    }

    /** Names of the live cluster members (this node alone without a transport). */
    private Set<String> members() {
        List<Address> addresses = parked.getCacheManager().getMembers();
        if (addresses == null) {
            return Set.of(node.config().nodeName());
        }
        return addresses.stream().map(Address::toString).collect(Collectors.toSet());
    }

    /** Music ownership is recorded by node name: it must be the name the cluster knows this node by. */
    private void requireClusterName(CallparkConfig config) {
        Address self = parked.getCacheManager().getAddress();
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

    @PreDestroy
    void stop() {
        if (node == null) {
            return;
        }
        // the cache container outlives this deployment: leave it no listener of ours
        parked.removeListener(musicFollowsStore);
        journalCache.removeListener(eventFeed);
        parked.getCacheManager().removeListener(clusterWatch);
        if (members().size() > 1) {
            takeover.handOver();
        }
        recalls.stop();
        node.sip().stop();
        node.music().stop();
        node.lanes().shutdown();
        node.timers().shutdownNow();
        webhookSender.close();
        try {
            json.close();
        } catch (Exception e) {
            LOG.fine("JSON codec close: " + e.getMessage());
        }
        LOG.info("callpark node " + node.config().nodeName() + " stopped");
    }

    public CallparkNode node() {
        return node;
    }

    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    public WebhookStore webhooks() {
        return webhooks;
    }

    public GroupStore ringGroups() {
        return node.ringGroups();
    }

    public GroupStore parkGroups() {
        return node.parkGroups();
    }

    public WebhookSender webhookSender() {
        return webhookSender;
    }

    public EventJournal journal() {
        return journal;
    }

    /** Every event of the cluster as it enters the journal, on this node. */
    public EventFeed eventFeed() {
        return eventFeed;
    }

    public CallControl calls() {
        return callControl;
    }
}
