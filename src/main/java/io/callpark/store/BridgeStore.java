package io.callpark.store;

import io.callpark.park.Bridge;
import io.callpark.park.DialogLeg;
import io.callpark.park.DialogTag;
import io.callpark.store.schema.BridgeKey;
import io.callpark.store.schema.BridgeRef;
import io.callpark.store.schema.CallIdKey;
import io.callpark.store.schema.StoredBridge;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Joined calls ({@code bridges} cache). A bridge's id is the parked caller's tag, and our tag in its other leg
 * names it ({@link DialogTag}): an in-dialog request finds its bridge by the tag it carries. Only a leg whose tag
 * cannot (a bridge made by the release before) is indexed by Call-ID ({@code bridge-legs} cache).
 */
public final class BridgeStore {

    private final Table<BridgeKey, StoredBridge> bridges;
    private final Table<CallIdKey, BridgeRef> legs;

    public BridgeStore(Table<BridgeKey, StoredBridge> bridges, Table<CallIdKey, BridgeRef> legs) {
        this.bridges = bridges;
        this.legs = legs;
    }

    public void put(Bridge bridge) {
        bridges.put(new BridgeKey(bridge.id()), StoredBridge.of(bridge).withVersion(ConditionalUpdate.newVersion()));
        for (DialogLeg leg : untagged(bridge)) {
            legs.put(new CallIdKey(leg.callId()), new BridgeRef(bridge.id()));
        }
    }

    /** The legs whose tag does not lead to the bridge. */
    private static List<DialogLeg> untagged(Bridge bridge) {
        return Stream.of(bridge.parked(), bridge.retriever())
                .filter(leg -> !bridgeNamedBy(leg.localTag()).equals(bridge.id()))
                .toList();
    }

    /** The id of the bridge our tag in one of its legs leads to: the parked caller's tag is the id itself. */
    private static String bridgeNamedBy(String localTag) {
        return DialogTag.bridge(localTag).orElse(localTag);
    }

    /**
     * The bridge a request is in: the one its tag of ours names (or, for a bridge of the release before, the one
     * indexed by the Call-ID), if the request's Call-ID and both tags are one of that bridge's legs.
     *
     * @param localTag  our tag in the request (its To tag)
     * @param remoteTag the far end's tag (its From tag)
     */
    public Optional<Bridge> byDialog(String callId, String localTag, String remoteTag) {
        Optional<Bridge> named = localTag == null ? Optional.empty() : find(bridgeNamedBy(localTag));
        if (named.isEmpty()) {
            named = Optional.ofNullable(legs.get(new CallIdKey(callId))).flatMap(ref -> find(ref.bridgeId()));
        }
        return named.filter(bridge -> Stream.of(bridge.parked(), bridge.retriever())
                .anyMatch(leg -> leg.isDialogOf(callId, localTag, remoteTag)));
    }

    public Optional<Bridge> find(String bridgeId) {
        return Optional.ofNullable(bridges.get(new BridgeKey(bridgeId))).map(StoredBridge::bridge);
    }

    /** Updates one leg of the bridge (e.g. its CSeq after we sent a request); empty if the bridge is gone. */
    public Optional<Bridge> updateLeg(String bridgeId, String callId, UnaryOperator<DialogLeg> change) {
        AtomicReference<Bridge> written = new AtomicReference<>();
        ConditionalUpdate.apply(bridges, new BridgeKey(bridgeId), current -> {
            written.set(null);
            if (current.isEmpty()) {
                return current;
            }
            Bridge bridge = current.get().bridge();
            Bridge next = bridge.withLeg(change.apply(bridge.leg(callId)));
            written.set(next);
            return Optional.of(StoredBridge.of(next));
        });
        return Optional.ofNullable(written.get());
    }

    /** Removes the bridge; empty if another node already did (so only one side sends the BYE). */
    public Optional<Bridge> remove(String bridgeId) {
        StoredBridge removed = bridges.remove(new BridgeKey(bridgeId));
        if (removed == null) {
            return Optional.empty();
        }
        Bridge bridge = removed.bridge();
        for (DialogLeg leg : untagged(bridge)) {
            legs.remove(new CallIdKey(leg.callId()));
        }
        return Optional.of(bridge);
    }
}
