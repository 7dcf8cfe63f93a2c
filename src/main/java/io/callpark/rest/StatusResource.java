package io.callpark.rest;

import io.callpark.config.CallparkConfig;
import io.callpark.media.MusicOnHold;
import io.callpark.sip.CallLanes;
import io.callpark.sip.SipCounters;
import io.callpark.store.CacheCounters;
import io.callpark.store.ClusterMembers;
import io.callpark.store.ParkStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** Operator status of this node: what `./callpark status` prints. */
@Path("/status")
@RequestScoped
public class StatusResource {

    /**
     * @param parkedCalls parked calls in the whole cluster; musicStreams the ones this node plays
     * @param caches      reads and writes this node asked of each cache since it started
     * @param sipReceived SIP messages this node received since it started; {@code sipSent} the ones it sent
     * @param laneTasks   work handed to the calls' lanes since it started (each a hop between threads)
     * @param members     the nodes this node shares its caches with, itself included, sorted: two nodes that each
     *                    list only themselves are split, and each serves only its own calls
     */
    public record NodeStatus(String node, String sip, String proxy, int parkedCalls, int musicStreams,
                             Map<String, CacheCounters.Counts> caches, long sipReceived, long sipSent,
                             long laneTasks, List<String> members) {
    }

    @Inject
    CallparkConfig config;

    @Inject
    ParkStore parks;

    @Inject
    MusicOnHold music;

    @Inject
    CacheCounters counters;

    @Inject
    SipCounters sip;

    @Inject
    CallLanes lanes;

    @Inject
    ClusterMembers members;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public NodeStatus status() {
        return new NodeStatus(config.nodeName(), config.sipAddress() + ":" + config.sipPort(),
                config.proxy().toString(), parks.all().size(), music.streamCount(), counters.snapshot(),
                sip.receivedCount(), sip.sentCount(), lanes.tasksRun(), members.names().stream().sorted().toList());
    }
}
