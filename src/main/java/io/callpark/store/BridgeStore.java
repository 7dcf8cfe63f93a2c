package io.callpark.store;

import io.callpark.park.Bridge;
import io.callpark.park.DialogLeg;
import io.callpark.store.schema.BridgeKey;
import io.callpark.store.schema.BridgeRef;
import io.callpark.store.schema.CallIdKey;
import io.callpark.store.schema.StoredBridge;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** Joined calls ({@code bridges} cache), found by either leg's Call-ID ({@code bridge-legs} cache). */
public final class BridgeStore {

    private final Table<BridgeKey, StoredBridge> bridges;
    private final Table<CallIdKey, BridgeRef> legs;

    public BridgeStore(Table<BridgeKey, StoredBridge> bridges, Table<CallIdKey, BridgeRef> legs) {
        this.bridges = bridges;
        this.legs = legs;
    }

    public void put(Bridge bridge) {
        bridges.put(new BridgeKey(bridge.id()), StoredBridge.of(bridge).withVersion(ConditionalUpdate.newVersion()));
        legs.put(new CallIdKey(bridge.parked().callId()), new BridgeRef(bridge.id()));
        legs.put(new CallIdKey(bridge.retriever().callId()), new BridgeRef(bridge.id()));
    }

    public Optional<Bridge> byCallId(String callId) {
        return Optional.ofNullable(legs.get(new CallIdKey(callId)))
                .flatMap(ref -> Optional.ofNullable(bridges.get(new BridgeKey(ref.bridgeId()))))
                .map(StoredBridge::bridge);
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
        legs.remove(new CallIdKey(bridge.parked().callId()));
        legs.remove(new CallIdKey(bridge.retriever().callId()));
        return Optional.of(bridge);
    }
}
