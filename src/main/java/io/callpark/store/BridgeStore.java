package io.callpark.store;

import io.callpark.park.Bridge;
import io.callpark.park.DialogLeg;
import org.infinispan.Cache;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** Joined calls in the replicated "dialogs" cache, found by either leg's Call-ID. */
public final class BridgeStore {

    private final Cache<String, String> dialogs;
    private final JsonCodec json;

    public BridgeStore(Cache<String, String> dialogs, JsonCodec json) {
        this.dialogs = dialogs;
        this.json = json;
    }

    private static String bridgeKey(String id) {
        return "bridge:" + id;
    }

    private static String legKey(String callId) {
        return "leg:" + callId;
    }

    public void put(Bridge bridge) {
        dialogs.put(bridgeKey(bridge.id()), json.write(bridge));
        dialogs.put(legKey(bridge.parked().callId()), bridge.id());
        dialogs.put(legKey(bridge.retriever().callId()), bridge.id());
    }

    public Optional<Bridge> byCallId(String callId) {
        return Optional.ofNullable(dialogs.get(legKey(callId)))
                .flatMap(id -> Optional.ofNullable(dialogs.get(bridgeKey(id))))
                .map(s -> json.read(s, Bridge.class));
    }

    /** Updates one leg of the bridge (e.g. its CSeq after we sent a request); empty if the bridge is gone. */
    public Optional<Bridge> updateLeg(String bridgeId, String callId, UnaryOperator<DialogLeg> change) {
        AtomicReference<Bridge> written = new AtomicReference<>();
        ConditionalUpdate.apply(dialogs, bridgeKey(bridgeId), current -> {
            written.set(null);
            if (current.isEmpty()) {
                return current;
            }
            Bridge bridge = json.read(current.get(), Bridge.class);
            Bridge next = bridge.withLeg(change.apply(bridge.leg(callId)));
            written.set(next);
            return Optional.of(json.write(next));
        });
        return Optional.ofNullable(written.get());
    }

    /** Removes the bridge; empty if another node already did (so only one side sends the BYE). */
    public Optional<Bridge> remove(String bridgeId) {
        String removed = dialogs.remove(bridgeKey(bridgeId));
        if (removed == null) {
            return Optional.empty();
        }
        Bridge bridge = json.read(removed, Bridge.class);
        dialogs.remove(legKey(bridge.parked().callId()));
        dialogs.remove(legKey(bridge.retriever().callId()));
        return Optional.of(bridge);
    }
}
