package io.callpark.notify;

import io.callpark.park.Watcher;
import io.callpark.sip.CallLanes;
import io.callpark.store.WatcherStore;
import io.callpark.store.WatcherStore.Slot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Keeps every BLF key on a park slot showing what waits there. When a slot's calls change (on any node) one node,
 * the slot's owner among the cluster's members, tells its watchers; a sweep every {@link #SWEEP_SECONDS} ends the
 * subscriptions that expired and tells any slot whose watchers were last told something else (a change whose owner
 * died before telling it, a restart): a key that missed a change is right again within one sweep.
 */
public final class SlotLamps {

    public static final int SWEEP_SECONDS = 10;

    private static final Logger LOG = Logger.getLogger(SlotLamps.class.getName());

    private final String node;
    private final Supplier<Collection<String>> members;
    private final WatcherStore watchers;
    private final WatcherNotify notify;
    private final CallLanes lanes;
    private final LongSupplier clock;

    public SlotLamps(String node, Supplier<Collection<String>> members, WatcherStore watchers, WatcherNotify notify,
                     CallLanes lanes, LongSupplier clock) {
        this.node = node;
        this.members = members;
        this.watchers = watchers;
        this.notify = notify;
        this.lanes = lanes;
        this.clock = clock;
    }

    /** The calls at a slot changed (a store notification thread: the work is handed on). */
    public void changed(String tenant, String slot) {
        Slot changed = new Slot(tenant, slot);
        if (owns(changed)) {
            lanes.execute(lane(changed), () -> tell(changed));
        }
    }

    /** Ends expired subscriptions (on any node: the store lets one remove each) and re-tells slots told wrong. */
    public void sweep() {
        long now = clock.getAsLong();
        for (WatcherStore.Ended ended : watchers.expire(now)) {
            Watcher last = ended.watcher().next();
            LOG.info("watch " + last.dialog().callId() + " of " + ended.slot().tenant() + "/" + ended.slot().slot()
                    + " by " + last.user() + ": expired");
            lanes.execute(lane(ended.slot()), () -> notify.send(ended.slot(), last,
                    SubscriptionTerms.terminated(true), notify.stateOf(ended.slot())));
        }
        for (Slot slot : watchers.watched()) {
            if (owns(slot)) {
                lanes.execute(lane(slot), () -> tell(slot));
            }
        }
    }

    /** Tells the slot's watchers its state, unless they were told it already: one read when nobody watches. */
    void tell(Slot slot) {
        if (watchers.of(slot).isEmpty()) {
            return;
        }
        WatcherNotify.SlotState state = notify.stateOf(slot);
        long now = clock.getAsLong();
        for (Watcher watcher : watchers.advance(slot, state.digest())) {
            try {
                notify.send(slot, watcher, SubscriptionTerms.active(watcher.secondsLeft(now)), state);
            } catch (RuntimeException e) {
                // the slot counts as told: forget that, so the next sweep tells every key again
                LOG.warning("watch " + watcher.dialog().callId() + " of " + slot.tenant() + "/" + slot.slot()
                        + ": NOTIFY not sent: " + e.getMessage());
                watchers.forgetTold(slot);
            }
        }
    }

    /**
     * Whether this node tells the slot's watchers: the slot's name picks one of the members, so one node tells
     * each change. A node that is alone, or not yet in the view it reads, tells all.
     */
    public boolean owns(Slot slot) {
        List<String> names = new ArrayList<>(members.get());
        if (names.size() <= 1 || !names.contains(node)) {
            return true;
        }
        names.sort(null);
        return names.get(Math.floorMod((slot.tenant() + "/" + slot.slot()).hashCode(), names.size())).equals(node);
    }

    private static String lane(Slot slot) {
        return "watch:" + slot.tenant() + "/" + slot.slot();
    }
}
