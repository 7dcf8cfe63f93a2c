package io.callpark.store;

import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import org.infinispan.Cache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Parked calls in the replicated cache. All calls parked at one extension are one entry (oldest first), so the
 * per-extension limit, the order and the claim of a retrieve are each decided by one compare-and-set.
 * The index cache finds a call by the caller's Call-ID or by park id.
 */
public final class ParkStore {

    /** The calls parked at one extension, oldest first. */
    public record ExtensionQueue(List<ParkedCall> calls) {
        public ExtensionQueue {
            calls = List.copyOf(calls);
        }
    }

    /** Where a Call-ID or park id leads. */
    public record Locator(String tenant, String extension, String parkId) {
    }

    public enum AddResult { ADDED, FULL, DUPLICATE }

    /** How a move ended: the call waits at the new extension, that one is full, or the call is not (or no longer) there to move. */
    public enum MoveResult { MOVED, FULL, GONE }

    private final Cache<String, String> parked;
    private final Cache<String, String> index;
    private final JsonCodec json;

    public ParkStore(Cache<String, String> parked, Cache<String, String> index, JsonCodec json) {
        this.parked = parked;
        this.index = index;
        this.json = json;
    }

    public static String extensionKey(String tenant, String extension) {
        return tenant + "/" + extension;
    }

    static String callKey(String callId) {
        return "call:" + callId;
    }

    static String parkIdKey(String tenant, String parkId) {
        return "park:" + tenant + "/" + parkId;
    }

    /** Reserves a park id in the tenant; false if another call holds it. */
    public boolean reserveParkId(String tenant, String parkId, String extension) {
        return index.putIfAbsent(parkIdKey(tenant, parkId),
                json.write(new Locator(tenant, extension, parkId))) == null;
    }

    public void freeParkId(String tenant, String parkId) {
        index.remove(parkIdKey(tenant, parkId));
    }

    /** Appends the call to its extension's queue unless {@code limit} calls already wait there. */
    public AddResult add(ParkedCall call, int limit) {
        AddResult result = enqueue(call, limit);
        if (result == AddResult.ADDED) {
            index.put(callKey(call.callId()), json.write(locator(call)));
        }
        return result;
    }

    /**
     * Moves a waiting call to another extension of its tenant, unless {@code limit} calls wait there already. The
     * call is claimed at its old extension first (no retrieve takes it meanwhile), queued at the new one, the index
     * pointed there, and only then taken out of the old queue.
     */
    public MoveResult move(ParkedCall call, String extension, int limit, String node) {
        String mover = "move:" + UUID.randomUUID();
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
        String at = json.write(locator(moved));
        index.put(callKey(moved.callId()), at);
        index.put(parkIdKey(moved.tenant(), moved.parkId()), at);
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
        ConditionalUpdate.apply(parked, extensionKey(call.tenant(), call.extension()), current -> {
            List<ParkedCall> calls = new ArrayList<>(queue(current).calls());
            if (calls.stream().anyMatch(c -> c.callId().equals(call.callId()))) {
                result.set(AddResult.DUPLICATE);
                return current;
            }
            if (calls.size() >= limit) {
                result.set(AddResult.FULL);
                return current;
            }
            calls.add(call);
            result.set(AddResult.ADDED);
            return Optional.of(json.write(new ExtensionQueue(calls)));
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
        ConditionalUpdate.apply(parked, extensionKey(tenant, extension), current -> {
            claimed.set(null);
            List<ParkedCall> calls = new ArrayList<>(queue(current).calls());
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
            return Optional.of(json.write(new ExtensionQueue(calls)));
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
        ConditionalUpdate.apply(parked, extensionKey(tenant, extension), current -> {
            written.set(null);
            List<ParkedCall> calls = new ArrayList<>(queue(current).calls());
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i).parkId().equals(parkId)) {
                    ParkedCall next = change.apply(calls.get(i));
                    calls.set(i, next);
                    written.set(next);
                    return Optional.of(json.write(new ExtensionQueue(calls)));
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
            index.remove(callKey(call.callId()));
            freeParkId(tenant, parkId);
        });
        return removed;
    }

    /** Takes the call out of its extension's queue only; the index still leads to it. */
    private Optional<ParkedCall> dequeue(String tenant, String extension, String parkId, Predicate<ParkedCall> onlyIf) {
        AtomicReference<ParkedCall> removed = new AtomicReference<>();
        ConditionalUpdate.apply(parked, extensionKey(tenant, extension), current -> {
            removed.set(null);
            List<ParkedCall> calls = new ArrayList<>(queue(current).calls());
            for (ParkedCall c : calls) {
                if (c.parkId().equals(parkId) && onlyIf.test(c)) {
                    removed.set(c);
                    calls.remove(c);
                    return calls.isEmpty() ? Optional.empty() : Optional.of(json.write(new ExtensionQueue(calls)));
                }
            }
            return current;
        });
        return Optional.ofNullable(removed.get());
    }

    public Optional<ParkedCall> byCallId(String callId) {
        return Optional.ofNullable(index.get(callKey(callId)))
                .map(s -> json.read(s, Locator.class))
                .flatMap(this::find);
    }

    public Optional<Locator> byParkId(String tenant, String parkId) {
        return Optional.ofNullable(index.get(parkIdKey(tenant, parkId))).map(s -> json.read(s, Locator.class));
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
        if (extension.isPresent()) {
            calls.addAll(decode(parked.get(extensionKey(tenant, extension.get()))));
        } else {
            PrefixScan.of(parked, tenant + "/").forEach(e -> calls.addAll(decode(e.getValue())));
        }
        calls.sort(Comparator.comparingLong(ParkedCall::parkedAt));
        return calls;
    }

    public Optional<ParkedCall> find(Locator locator) {
        return queue(Optional.ofNullable(parked.get(extensionKey(locator.tenant(), locator.extension()))))
                .calls().stream().filter(c -> c.parkId().equals(locator.parkId())).findFirst();
    }

    /** Every parked call in the cluster (operator status; a full scan). */
    public List<ParkedCall> all() {
        List<ParkedCall> all = new ArrayList<>();
        for (String value : parked.values()) {
            all.addAll(json.read(value, ExtensionQueue.class).calls());
        }
        return all;
    }

    /** The stored value of one extension's queue (the JSON the cache holds), or null. */
    public String raw(String extensionKey) {
        return parked.get(extensionKey);
    }

    /** The calls of one stored value (the JSON of an extension queue); none for null. */
    public List<ParkedCall> decode(String value) {
        return queue(Optional.ofNullable(value)).calls();
    }

    private ExtensionQueue queue(Optional<String> value) {
        return value.map(v -> json.read(v, ExtensionQueue.class)).orElse(new ExtensionQueue(List.of()));
    }

    private static Locator locator(ParkedCall call) {
        return new Locator(call.tenant(), call.extension(), call.parkId());
    }
}
