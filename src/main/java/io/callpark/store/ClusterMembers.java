package io.callpark.store;

import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The nodes of the cluster that share the caches, as JGroups (through Infinispan) sees them. */
public final class ClusterMembers {

    private final EmbeddedCacheManager manager;
    private final String self;

    /** @param self this node's name, used when there is no transport (a node alone) */
    public ClusterMembers(EmbeddedCacheManager manager, String self) {
        this.manager = manager;
        this.self = self;
    }

    /** Names of the live members, this node included. */
    public Set<String> names() {
        List<Address> addresses = manager.getMembers();
        if (addresses == null) {
            return Set.of(self);
        }
        return addresses.stream().map(Address::toString).collect(Collectors.toSet());
    }

    /** The name the cluster knows this node by (none without a transport). */
    public Optional<String> clusterName() {
        return Optional.ofNullable(manager.getAddress()).map(Address::toString);
    }

    /** Runs {@code changed} (on a thread of Infinispan's) after each change of the members; the handle stops it. */
    public AutoCloseable watch(Runnable changed) {
        ViewWatch watch = new ViewWatch(changed);
        manager.addListener(watch);
        return () -> manager.removeListener(watch);
    }

    @Listener(sync = false)
    public static final class ViewWatch {

        private final Runnable changed;

        ViewWatch(Runnable changed) {
            this.changed = changed;
        }

        @ViewChanged
        public void viewChanged(ViewChangedEvent event) {
            changed.run();
        }
    }
}
