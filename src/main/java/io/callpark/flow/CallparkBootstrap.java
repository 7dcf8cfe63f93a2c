package io.callpark.flow;

import io.callpark.config.CallparkConfig;
import io.callpark.config.ConfigLoader;
import io.callpark.event.ParkEvent;
import io.callpark.media.DefaultMelody;
import io.callpark.media.HoldMusic;
import io.callpark.media.MusicOnHold;
import io.callpark.media.RtpPortPool;
import io.callpark.sip.CallLanes;
import io.callpark.sip.SipEndpoint;
import io.callpark.store.BridgeStore;
import io.callpark.store.JsonCodec;
import io.callpark.store.ParkStore;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import org.infinispan.Cache;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

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

    @Resource
    ManagedThreadFactory threads;

    @Inject
    Event<ParkEvent> events;

    private JsonCodec json;
    private CallparkNode node;
    private MusicFollowsStore musicFollowsStore;

    void start(@Observes Startup startup) throws Exception {
        CallparkConfig config = ConfigLoader.fromSystemProperties();
        HoldMusic music = loadMusic(config);
        json = new JsonCodec();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, threads);
        CallLanes lanes = new CallLanes(LANES, LANE_INBOUND_LIMIT, threads);
        SipEndpoint sip = new SipEndpoint(config, lanes, timers);
        MusicOnHold moh = new MusicOnHold(music,
                new RtpPortPool(config.sipAddress(), config.rtpPorts().first(), config.rtpPorts().last()));
        node = new CallparkNode(config, sip, lanes, timers, new ParkStore(parkedCache, indexCache, json),
                new BridgeStore(dialogsCache, json), moh);
        moh.start(timers);
        musicFollowsStore = new MusicFollowsStore(node);
        parkedCache.addListener(musicFollowsStore);
        sip.start(new RequestRouter(node, events::fire));
        LOG.info("callpark node " + config.nodeName() + " started: sip " + config.sipAddress() + ":"
                + config.sipPort() + ", proxy " + config.proxy() + ", rtp " + config.rtpPorts().first() + "-"
                + config.rtpPorts().last() + ", park limit " + config.parkLimit());
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
        parkedCache.removeListener(musicFollowsStore);
        node.sip().stop();
        node.music().stop();
        node.lanes().shutdown();
        node.timers().shutdownNow();
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
}
