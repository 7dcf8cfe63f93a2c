package io.callpark.store;

import io.callpark.park.Watcher;
import io.callpark.store.schema.ExtensionKey;
import io.callpark.store.schema.StoredWatchers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The subscriber lists: the BLF keys watching each park slot, one entry per slot in the replicated, persisted
 * {@code slot-watchers} cache. A slot's change costs one read when nobody watches it, and one write for all its
 * watchers when somebody does.
 */
public final class WatcherStore {

    /** A watched slot: an extension, or a slot of a parking lot. */
    public record Slot(String tenant, String slot) {
    }

    /** A subscription that ended at its slot. */
    public record Ended(Slot slot, Watcher watcher) {
    }

    private final Table<ExtensionKey, StoredWatchers> table;

    public WatcherStore(Table<ExtensionKey, StoredWatchers> table) {
        this.table = table;
    }

    public List<Watcher> of(Slot slot) {
        StoredWatchers stored = table.get(key(slot));
        return stored == null ? List.of() : stored.watchers();
    }

    /**
     * Adds the watcher (in place of one of the same dialog) unless the slot has {@code limit} others already.
     *
     * @param shown the digest of the state the watcher is shown first: the slot's, when it is its first watcher
     */
    public boolean add(Slot slot, Watcher watcher, int limit, long shown) {
        AtomicReference<Boolean> added = new AtomicReference<>(false);
        ConditionalUpdate.apply(table, key(slot), current -> {
            List<Watcher> watchers = new ArrayList<>(watchers(current));
            watchers.removeIf(sameDialog(watcher));
            added.set(watchers.size() < limit);
            if (!added.get()) {
                return current;
            }
            watchers.add(watcher);
            return Optional.of(StoredWatchers.of(watchers, current.map(StoredWatchers::shownState).orElse(shown)));
        });
        return added.get();
    }

    /** Changes the watcher of that dialog; the watcher as written, empty when the slot has no such watcher. */
    public Optional<Watcher> update(Slot slot, String callId, String localTag, String remoteTag,
                                    UnaryOperator<Watcher> change) {
        AtomicReference<Watcher> written = new AtomicReference<>();
        ConditionalUpdate.apply(table, key(slot), current -> {
            written.set(null);
            List<Watcher> watchers = new ArrayList<>(watchers(current));
            for (int i = 0; i < watchers.size(); i++) {
                if (watchers.get(i).isDialogOf(callId, localTag, remoteTag)) {
                    written.set(change.apply(watchers.get(i)));
                    watchers.set(i, written.get());
                    return Optional.of(StoredWatchers.of(watchers, current.get().shownState()));
                }
            }
            return current;
        });
        return Optional.ofNullable(written.get());
    }

    /** Removes the watcher of that dialog; the watcher removed, empty when the slot had no such watcher. */
    public Optional<Watcher> remove(Slot slot, String callId, String localTag, String remoteTag) {
        return removeWhere(slot, w -> w.isDialogOf(callId, localTag, remoteTag)).stream().findFirst();
    }

    /**
     * When the slot's state ({@code state}, a digest of what its watchers are shown) is not the one they were last
     * told: every watcher as it is after one more NOTIFY, written at once. Empty when they know it already (another
     * node told them) or nobody watches.
     */
    public List<Watcher> advance(Slot slot, long state) {
        AtomicReference<List<Watcher>> advanced = new AtomicReference<>(List.of());
        ConditionalUpdate.apply(table, key(slot), current -> {
            advanced.set(List.of());
            if (current.isEmpty() || current.get().shownState() == state) {
                return current;
            }
            advanced.set(current.get().watchers().stream().map(Watcher::next).toList());
            return Optional.of(StoredWatchers.of(advanced.get(), state));
        });
        return advanced.get();
    }

    /** Marks the slot's state as told to nobody: the next sweep tells its keys again. */
    public void forgetTold(Slot slot) {
        ConditionalUpdate.apply(table, key(slot), current -> current.map(stored -> stored.shownState() == 0 ? stored
                : StoredWatchers.of(stored.watchers(), 0)));
    }

    /** The subscriptions expired at {@code nowMs} that this call removed (a sweep on another node removes others). */
    public List<Ended> expire(long nowMs) {
        List<Ended> ended = new ArrayList<>();
        for (ExtensionKey key : table.keys()) {
            StoredWatchers stored = table.get(key);
            if (stored != null && stored.watchers().stream().anyMatch(w -> w.hasExpired(nowMs))) {
                Slot slot = new Slot(key.tenant(), key.extension());
                removeWhere(slot, w -> w.hasExpired(nowMs)).forEach(w -> ended.add(new Ended(slot, w)));
            }
        }
        return ended;
    }

    /** Every slot somebody watches, from this node's copy. */
    public List<Slot> watched() {
        return table.keys().stream().map(k -> new Slot(k.tenant(), k.extension())).toList();
    }

    private List<Watcher> removeWhere(Slot slot, Predicate<Watcher> gone) {
        AtomicReference<List<Watcher>> removed = new AtomicReference<>(List.of());
        ConditionalUpdate.apply(table, key(slot), current -> {
            List<Watcher> watchers = new ArrayList<>(watchers(current));
            removed.set(watchers.stream().filter(gone).toList());
            if (removed.get().isEmpty()) {
                return current;
            }
            watchers.removeIf(gone);
            return watchers.isEmpty() ? Optional.empty()
                    : Optional.of(StoredWatchers.of(watchers, current.get().shownState()));
        });
        return removed.get();
    }

    private static Predicate<Watcher> sameDialog(Watcher watcher) {
        return w -> w.isDialogOf(watcher.dialog().callId(), watcher.dialog().localTag(),
                watcher.dialog().remoteTag());
    }

    private static List<Watcher> watchers(Optional<StoredWatchers> stored) {
        return stored.map(StoredWatchers::watchers).orElse(List.of());
    }

    private static ExtensionKey key(Slot slot) {
        return new ExtensionKey(slot.tenant(), slot.slot());
    }
}
