package io.callpark.flow;

import io.callpark.sip.CallLanes;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;

/** Hears JGroups view changes through Infinispan: when a node leaves, its parked calls are adopted. */
@Listener(sync = false)
public final class ClusterWatch {

    private final CallLanes lanes;
    private final Takeover takeover;

    ClusterWatch(CallLanes lanes, Takeover takeover) {
        this.lanes = lanes;
        this.takeover = takeover;
    }

    @ViewChanged
    public void viewChanged(ViewChangedEvent event) {
        lanes.execute("cluster-view", takeover::adoptAll);
    }
}
