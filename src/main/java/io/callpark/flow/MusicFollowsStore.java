package io.callpark.flow;

import io.callpark.media.MusicOnHold;
import io.callpark.park.ParkedCall;
import io.callpark.sip.CallLanes;
import io.callpark.store.ParkStore;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Keeps this node's music in step with the replicated park state: when a call this node plays to leaves the
 * park on any node (retrieved or abandoned there), or another node takes it over, the stream here stops; a
 * call moved to another extension keeps its stream; a call left without an owner is adopted. It hears every
 * change of an extension's queue, on whichever node it was written; the work goes to the extension's lane.
 */
final class MusicFollowsStore {

    private static final Logger LOG = Logger.getLogger(MusicFollowsStore.class.getName());

    private final ThisNode here;
    private final ParkStore parks;
    private final MusicOnHold music;
    private final CallLanes lanes;
    private final Takeover takeover;

    MusicFollowsStore(ThisNode here, ParkStore parks, MusicOnHold music, CallLanes lanes,
                      Takeover takeover) {
        this.here = here;
        this.parks = parks;
        this.music = music;
        this.lanes = lanes;
        this.takeover = takeover;
    }

    /** The queue of an extension changed somewhere in the cluster. */
    void queueChanged(String tenant, String extension) {
        String group = ParkStore.extensionKey(tenant, extension);
        lanes.execute(group, () -> reconcile(tenant, extension, group));
    }

    private void reconcile(String tenant, String extension, String group) {
        List<ParkedCall> calls = parks.callsAt(tenant, extension);
        takeover.adopt(calls); // a node handing its calls over before it stops leaves them ownerless
        Set<String> playedHere = calls.stream()
                .filter(c -> here.name().equals(c.media().node()))
                .map(ParkedCall::streamKey)
                .collect(Collectors.toSet());
        for (String stream : music.playedIn(group)) {
            if (!playedHere.contains(stream)) {
                followOrClose(stream);
            }
        }
    }

    /** A stream whose call left this extension: it goes on if the call was moved and is still ours, else it stops. */
    private void followOrClose(String streamKey) {
        Optional<ParkedCall> now = parks.callByStreamKey(streamKey);
        if (now.isPresent() && here.name().equals(now.get().media().node())) {
            music.regroup(streamKey, ParkStore.extensionKey(now.get().tenant(), now.get().extension()));
        } else {
            music.close(streamKey);
            // a call that left the park is logged where it left; one another node took over only here
            LOG.log(now.isPresent() ? Level.INFO : Level.FINE, () -> "stream " + streamKey + ": music stopped here, "
                    + "its call " + now.map(c -> "is played by node " + c.media().node()).orElse("left the park"));
        }
    }
}
