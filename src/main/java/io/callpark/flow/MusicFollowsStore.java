package io.callpark.flow;

import io.callpark.sip.CallLanes;
import io.callpark.media.MusicOnHold;
import io.callpark.park.ParkedCall;
import io.callpark.store.ParkStore;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryCreatedEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryModifiedEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryRemovedEvent;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps this node's music in step with the replicated park state: when a call this node plays to leaves the
 * park on any node (retrieved or abandoned there), or another node takes it over, the stream here stops; a
 * call moved to another extension keeps its stream; a call left without an owner is adopted.
 * Infinispan calls it on every node that applies the write; the work goes to the extension's lane.
 */
@Listener(sync = false)
public final class MusicFollowsStore {

    private final ThisNode here;
    private final ParkStore parks;
    private final MusicOnHold music;
    private final CallLanes lanes;
    private final Takeover takeover;

    MusicFollowsStore(ThisNode here, ParkStore parks, MusicOnHold music, CallLanes lanes, Takeover takeover) {
        this.here = here;
        this.parks = parks;
        this.music = music;
        this.lanes = lanes;
        this.takeover = takeover;
    }

    @CacheEntryCreated
    public void created(CacheEntryCreatedEvent<String, String> event) {
        changed(event);
    }

    @CacheEntryModified
    public void modified(CacheEntryModifiedEvent<String, String> event) {
        changed(event);
    }

    @CacheEntryRemoved
    public void removed(CacheEntryRemovedEvent<String, String> event) {
        changed(event);
    }

    private void changed(CacheEntryEvent<String, String> event) {
        if (event.isPre()) {
            return;
        }
        String extensionKey = event.getKey();
        lanes.execute(extensionKey, () -> reconcile(extensionKey));
    }

    private void reconcile(String extensionKey) {
        String me = here.name();
        List<ParkedCall> calls = parks.decode(parks.raw(extensionKey));
        takeover.adopt(calls); // a node handing its calls over before it stops leaves them ownerless
        Set<String> playedHere = calls.stream()
                .filter(c -> me.equals(c.media().node()))
                .map(ParkedCall::streamKey)
                .collect(Collectors.toSet());
        for (String stream : music.playedIn(extensionKey)) {
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
        }
    }
}
