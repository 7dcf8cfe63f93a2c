package io.callpark.flow;

import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;

/** Hears JGroups view changes through Infinispan: when a node leaves, its parked calls are adopted. */
@Listener(sync = false)
public final class ClusterWatch {

    private final CallparkNode node;
    private final Takeover takeover;

    ClusterWatch(CallparkNode node, Takeover takeover) {
        this.node = node;
        this.takeover = takeover;
    }

    @ViewChanged
    public void viewChanged(ViewChangedEvent event) {
        node.lanes().execute("cluster-view", takeover::adoptAll);
    }
}
