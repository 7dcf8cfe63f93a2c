package io.callpark.store.schema;

import io.callpark.park.Bridge;
import io.callpark.park.DialogLeg;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

@ProtoAdapter(Bridge.class)
public final class BridgeAdapter {

    @ProtoFactory
    Bridge create(String id, String tenant, DialogLeg parked, DialogLeg retriever) {
        return new Bridge(id, tenant, parked, retriever);
    }

    @ProtoField(1)
    String getId(Bridge bridge) {
        return bridge.id();
    }

    @ProtoField(2)
    String getTenant(Bridge bridge) {
        return bridge.tenant();
    }

    @ProtoField(3)
    DialogLeg getParked(Bridge bridge) {
        return bridge.parked();
    }

    @ProtoField(4)
    DialogLeg getRetriever(Bridge bridge) {
        return bridge.retriever();
    }
}
