package io.callpark.store;

import io.callpark.park.ParkLimits;
import io.callpark.park.ParkState;
import io.callpark.park.DialogTag;
import io.callpark.park.ParkedCall;
import io.callpark.park.Shared;
import io.callpark.store.schema.CallIdKey;
import io.callpark.store.schema.CallLocator;
import io.callpark.store.schema.ExtensionKey;
import io.callpark.store.schema.ParkIdKey;
import io.callpark.store.schema.StoredQueue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Parked calls in the replicated caches. All calls parked at one extension are one entry (oldest first), so the
 * per-extension limit, the order and the claim of a retrieve are each decided by one compare-and-set. Two index
 * caches find a call by park id and (calls of the release before) by the caller's Call-ID; this node keeps, from
 * the changes it hears, which extensions of each tenant have calls, so a tenant's calls are listed without a scan.
 */
public final class ParkStore {

    public enum AddResult { ADDED, FULL, DUPLICATE }

    /** How the claim of a move starts (it holds the call while it is queued at its new extension). */
    public static final String MOVER = "move:";

    /** How a move ended: the call waits at the new extension, that one is full, or the call is not (or no longer) there to move. */
    public enum MoveResult { MOVED, FULL, GONE }

    private final Table<ExtensionKey, StoredQueue> parked;
    private final Table<CallIdKey, CallLocator> byCallId;
    private final Table<ParkIdKey, CallLocator> parkIds;
    /** tenant -> extensions that may have calls (a superset: an extension leaves it when its queue is gone) */
    private final Map<String, Set<String>> occupied = new ConcurrentHashMap<>();
    private final AutoCloseable queueWatch;
    private final List<BiConsumer<String, String>> queueListeners = new CopyOnWriteArrayList<>();

    public ParkStore(Table<ExtensionKey, StoredQueue> parked, Table<CallIdKey, CallLocator> byCallId,
                     Table<ParkIdKey, CallLocator> parkIds) {
        this.parked = parked;
        this.byCallId = byCallId;
        this.parkIds = parkIds;
        this.queueWatch = parked.watch((key, value) -> queueChanged(key));
        for (StoredQueue queue : parked.values()) {
            for (ParkedCall call : queue.calls()) {
                occupied(call.tenant()).add(call.extension());
                indexParkId(call);
            }
        }
    }

    /**
     * The park-id index is kept in memory only (a write to a file store for each park and its end cost more than
     * the index is worth): after a restart of the whole cluster the first node rebuilds it from the parked calls
     * its file store gave back. A node that joins a running cluster finds every id indexed already.
     */
    private void indexParkId(ParkedCall call) {
        if (byParkId(call.tenant(), call.parkId()).isPresent()) {
            return; // a read, not a write: a failed putIfAbsent is a round trip too
        }
        if (reserveParkId(call.tenant(), call.parkId(), call.extension()) && find(locator(call)).isEmpty()) {
            parkIds.remove(new ParkIdKey(call.tenant(), call.parkId()), locator(call)); // the call left meanwhile
        }
    }

    /** Stops hearing the cache's changes. */
    public void close() throws Exception {
        queueWatch.close();
    }

    /** The name of an extension's group of music streams (node-local). */
    public static String extensionKey(String tenant, String extension) {
        return Shared.text(tenant + "/" + extension); // kept by each of its music streams
    }

    /**
     * Tells {@code listener} the tenant and extension of every queue that changed, on any node, on the cache's
     * notification thread: it must hand any work on, never block.
     */
    public AutoCloseable watchQueues(BiConsumer<String, String> listener) {
        queueListeners.add(listener);
        return () -> queueListeners.remove(listener);
    }

    /** One listener on the cache for all: each would cost every write of a queue one more hand-off. */
    private void queueChanged(ExtensionKey key) {
        noteOccupancy(key);
        for (BiConsumer<String, String> listener : queueListeners) {
            listener.accept(key.tenant(), key.extension());
        }
    }

    private Set<String> occupied(String tenant) {
        return occupied.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet());
    }

    private void noteOccupancy(ExtensionKey key) {
        if (parked.get(key) != null) {
            occupied(key.tenant()).add(key.extension());
        } else {
            Set<String> extensions = occupied.get(key.tenant());
            if (extensions != null) {
                extensions.remove(key.extension());
                if (parked.get(key) != null) {
                    extensions.add(key.extension()); // filled again meanwhile
                }
            }
        }
    }

    /** Reserves a park id in the tenant; false if another call holds it. */
    public boolean reserveParkId(String tenant, String parkId, String extension) {
        return parkIds.putIfAbsent(new ParkIdKey(tenant, parkId), new CallLocator(tenant, extension, parkId)) == null;
    }

    public void freeParkId(String tenant, String parkId) {
        parkIds.remove(new ParkIdKey(tenant, parkId));
    }

    /**
     * Appends the call to its extension's queue unless {@code limit} calls already wait there. Its dialog is found
     * again by our tag ({@link DialogTag}): only a call whose tag names no call is indexed by Call-ID.
     */
    public AddResult add(ParkedCall call, int limit) {
        AddResult result = enqueue(call, limit);
        if (result == AddResult.ADDED) {
            occupied(call.tenant()).add(call.extension());
            if (indexedByCallId(call)) {
                byCallId.put(new CallIdKey(call.callId()), locator(call));
            }
        }
        return result;
    }

    /**
     * A call parked by a node of the release before {@link DialogTag} (its tag names nothing) is found by the
     * Call-ID index that node wrote, until it leaves.
     */
    private static boolean indexedByCallId(ParkedCall call) {
        return DialogTag.parkedCall(call.leg().localTag()).isEmpty();
    }

    /**
     * Moves a waiting call to another extension of its tenant, unless {@code limit} calls wait there already. The
     * call is claimed at its old extension first (no retrieve takes it meanwhile), queued at the new one, the index
     * pointed there, and only then taken out of the old queue.
     */
    public MoveResult move(ParkedCall call, String extension, int limit, String node) {
        String mover = MOVER + UUID.randomUUID();
        Optional<ParkedCall> claimed = take(call.tenant(), call.extension(), Optional.of(call.parkId()),
                c -> c.state() == ParkState.PARKED, ParkState.JOINING, mover, node);
        if (claimed.isEmpty()) {
            return MoveResult.GONE;
        }
        ParkedCall moved = claimed.get().movedTo(extension);
        AddResult added = enqueue(moved, limit);
        if (added != AddResult.ADDED) {
            release(claimed.get());
            return added == AddResult.FULL ? MoveResult.FULL : MoveResult.GONE;
        }
        occupied(moved.tenant()).add(moved.extension());
        CallLocator at = locator(moved);
        if (indexedByCallId(moved)) {
            byCallId.put(new CallIdKey(moved.callId()), at);
        }
        parkIds.put(new ParkIdKey(moved.tenant(), moved.parkId()), at);
        boolean left = dequeue(call.tenant(), call.extension(), call.parkId(), c -> mover.equals(c.claimedBy()))
                .isPresent();
        if (!left || find(locator(moved)).isEmpty()) {
            // the caller left while it moved (its BYE was handled on another node): nothing waits anywhere
            remove(moved.tenant(), moved.extension(), moved.parkId());
            return MoveResult.GONE;
        }
        return MoveResult.MOVED;
    }

    private AddResult enqueue(ParkedCall call, int limit) {
        AtomicReference<AddResult> result = new AtomicReference<>();
        ConditionalUpdate.apply(parked, new ExtensionKey(call.tenant(), call.extension()), current -> {
            List<ParkedCall> calls = new ArrayList<>(callsIn(current));
            if (calls.stream().anyMatch(c -> c.callId().equals(call.callId()))) {
                result.set(AddResult.DUPLICATE);
                return current;
            }
            if (calls.stream().filter(ParkLimits::counts).count() >= limit) {
                result.set(AddResult.FULL);
                return current;
            }
            calls.add(call);
            result.set(AddResult.ADDED);
            return Optional.of(StoredQueue.of(calls));
        });
        return result.get();
    }

    /**
     * Claims the oldest call at the extension (or the exact park id) that is not already being joined, for the
     * retrieve with Call-ID {@code claimer} on {@code node}; a call that only rings somewhere is taken from that
     * ringing. At most one retrieve in the cluster gets a given call.
     */
    public Optional<ParkedCall> claim(String tenant, String extension, Optional<String> parkId, String claimer,
                                      String node) {
        return take(tenant, extension, parkId, c -> c.state().retrievable(), ParkState.JOINING, claimer, node);
    }

    /** Holds a waiting (PARKED) call for a ringing {@code ringer} on {@code node}: it is RINGING, still retrievable. */
    public Optional<ParkedCall> ring(ParkedCall call, String ringer, String node) {
        return take(call.tenant(), call.extension(), Optional.of(call.parkId()), c -> c.state() == ParkState.PARKED,
                ParkState.RINGING, ringer, node);
    }

    /** A ringing phone answered: the call is JOINING for {@code ringer}, unless a retrieve took it meanwhile. */
    public Optional<ParkedCall> commit(ParkedCall ringing) {
        AtomicReference<Boolean> ours = new AtomicReference<>(false);
        Optional<ParkedCall> written = modify(ringing.tenant(), ringing.extension(), ringing.parkId(), stored -> {
            ours.set(stored.state() == ParkState.RINGING && Objects.equals(stored.claimedBy(), ringing.claimedBy()));
            return ours.get() ? stored.claimed(ParkState.JOINING, stored.claimedBy(), stored.claimedOn()) : stored;
        });
        return ours.get() ? written : Optional.empty();
    }

    private Optional<ParkedCall> take(String tenant, String extension, Optional<String> parkId,
                                      Predicate<ParkedCall> takeable, ParkState newState, String claimer, String node) {
        AtomicReference<ParkedCall> claimed = new AtomicReference<>();
        ConditionalUpdate.apply(parked, new ExtensionKey(tenant, extension), current -> {
            claimed.set(null);
            List<ParkedCall> calls = new ArrayList<>(callsIn(current));
            Predicate<ParkedCall> wanted = c -> takeable.test(c)
                    && parkId.map(id -> id.equals(c.parkId())).orElse(true);
            Optional<ParkedCall> oldest = calls.stream().filter(wanted)
                    .min(Comparator.comparingLong(ParkedCall::parkedAt));
            if (oldest.isEmpty()) {
                return current;
            }
            ParkedCall taken = oldest.get().claimed(newState, claimer, node);
            calls.set(calls.indexOf(oldest.get()), taken);
            claimed.set(taken);
            return Optional.of(StoredQueue.of(calls));
        });
        return Optional.ofNullable(claimed.get());
    }

    /**
     * Compare-and-set of one parked call: writes {@code next} only if the stored call is still exactly
     * {@code expected}; empty when another request or node changed it first.
     */
    public Optional<ParkedCall> replace(ParkedCall expected, ParkedCall next) {
        AtomicReference<Boolean> matched = new AtomicReference<>(false);
        Optional<ParkedCall> written = modify(expected.tenant(), expected.extension(), expected.parkId(), stored -> {
            matched.set(stored.equals(expected));
            return matched.get() ? next : stored;
        });
        return matched.get() ? written : Optional.empty();
    }

    /** Changes a call only while retrieve {@code claimed.claimedBy()} still holds it; empty otherwise. */
    public Optional<ParkedCall> updateClaimed(ParkedCall claimed, java.util.function.UnaryOperator<ParkedCall> change) {
        AtomicReference<Boolean> held = new AtomicReference<>(false);
        Optional<ParkedCall> written = modify(claimed.tenant(), claimed.extension(), claimed.parkId(), stored -> {
            held.set(Objects.equals(stored.claimedBy(), claimed.claimedBy()));
            return held.get() ? change.apply(stored) : stored;
        });
        return held.get() ? written : Optional.empty();
    }

    /** Gives up the claim of retrieve {@code claimed.claimedBy()}: the call waits again (PARKED). */
    public Optional<ParkedCall> release(ParkedCall claimed) {
        return updateClaimed(claimed, ParkedCall::released);
    }

    /** Applies {@code change} to the stored call with that park id; empty if it is gone. */
    public Optional<ParkedCall> modify(String tenant, String extension, String parkId,
                                       java.util.function.UnaryOperator<ParkedCall> change) {
        AtomicReference<ParkedCall> written = new AtomicReference<>();
        ConditionalUpdate.apply(parked, new ExtensionKey(tenant, extension), current -> {
            written.set(null);
            List<ParkedCall> calls = new ArrayList<>(callsIn(current));
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i).parkId().equals(parkId)) {
                    ParkedCall next = change.apply(calls.get(i));
                    written.set(next);
                    if (next == calls.get(i)) {
                        return current; // left as it is: nothing to replicate
                    }
                    calls.set(i, next);
                    return Optional.of(StoredQueue.of(calls));
                }
            }
            return current;
        });
        return Optional.ofNullable(written.get());
    }

    /** Takes the call out of the park; empty if another node already did. */
    public Optional<ParkedCall> remove(String tenant, String extension, String parkId) {
        return remove(tenant, extension, parkId, c -> true);
    }

    /** Takes the call out of the park if it still satisfies {@code onlyIf} (e.g. still claimed by us). */
    public Optional<ParkedCall> remove(String tenant, String extension, String parkId, Predicate<ParkedCall> onlyIf) {
        Optional<ParkedCall> removed = dequeue(tenant, extension, parkId, onlyIf);
        removed.ifPresent(call -> {
            if (indexedByCallId(call)) {
                byCallId.remove(new CallIdKey(call.callId()));
            }
            freeParkId(tenant, parkId);
        });
        return removed;
    }

    /** Takes the call out of its extension's queue only; the index still leads to it. */
    private Optional<ParkedCall> dequeue(String tenant, String extension, String parkId, Predicate<ParkedCall> onlyIf) {
        AtomicReference<ParkedCall> removed = new AtomicReference<>();
        ConditionalUpdate.apply(parked, new ExtensionKey(tenant, extension), current -> {
            removed.set(null);
            List<ParkedCall> calls = new ArrayList<>(callsIn(current));
            for (ParkedCall c : calls) {
                if (c.parkId().equals(parkId) && onlyIf.test(c)) {
                    removed.set(c);
                    calls.remove(c);
                    return calls.isEmpty() ? Optional.empty() : Optional.of(StoredQueue.of(calls));
                }
            }
            return current;
        });
        return Optional.ofNullable(removed.get());
    }

    /**
     * The parked call whose dialog a request is in: the call our tag names (or, for a call parked by the release
     * before, the one indexed by the Call-ID), if the request's Call-ID and both tags are that call's dialog's.
     *
     * @param localTag  our tag in the request (the To tag of a request from the caller)
     * @param remoteTag the caller's tag (its From tag)
     */
    public Optional<ParkedCall> byDialog(String callId, String localTag, String remoteTag) {
        Optional<ParkedCall> named = DialogTag.parkedCall(localTag)
                .map(ref -> callByParkId(ref.tenant(), ref.parkId()))
                .orElseGet(() -> Optional.ofNullable(byCallId.get(new CallIdKey(callId))).flatMap(this::find));
        return named.filter(call -> call.leg().isDialogOf(callId, localTag, remoteTag));
    }

    public Optional<CallLocator> byParkId(String tenant, String parkId) {
        return Optional.ofNullable(parkIds.get(new ParkIdKey(tenant, parkId)));
    }

    /** The call with this park id in the tenant, wherever it waits. */
    public Optional<ParkedCall> callByParkId(String tenant, String parkId) {
        return byParkId(tenant, parkId).flatMap(this::find);
    }

    /** The call a music stream plays to ({@link ParkedCall#streamKey()}: tenant/parkId). */
    public Optional<ParkedCall> callByStreamKey(String streamKey) {
        int slash = streamKey.lastIndexOf('/');
        return callByParkId(streamKey.substring(0, slash), streamKey.substring(slash + 1));
    }

    /** The tenant's parked calls, oldest first (the calls of one extension when given). */
    public List<ParkedCall> ofTenant(String tenant, Optional<String> extension) {
        List<ParkedCall> calls = new ArrayList<>();
        for (String at : extension.map(Set::of).orElseGet(() -> Set.copyOf(occupied(tenant)))) {
            calls.addAll(callsAt(tenant, at));
        }
        calls.sort(Comparator.comparingLong(ParkedCall::parkedAt));
        return calls;
    }

    /** The calls waiting at one extension, oldest first. */
    public List<ParkedCall> callsAt(String tenant, String extension) {
        return callsIn(Optional.ofNullable(parked.get(new ExtensionKey(tenant, extension))));
    }

    public Optional<ParkedCall> find(CallLocator locator) {
        return callsAt(locator.tenant(), locator.extension()).stream()
                .filter(c -> c.parkId().equals(locator.parkId())).findFirst();
    }

    /** Every parked call in the cluster (operator status, start-up and hand-over; a full scan). */
    public List<ParkedCall> all() {
        List<ParkedCall> all = new ArrayList<>();
        for (StoredQueue queue : parked.values()) {
            all.addAll(queue.calls());
        }
        return all;
    }

    private static List<ParkedCall> callsIn(Optional<StoredQueue> queue) {
        return queue.map(StoredQueue::calls).orElse(List.of());
    }

    private static CallLocator locator(ParkedCall call) {
        return new CallLocator(call.tenant(), call.extension(), call.parkId());
    }
}
