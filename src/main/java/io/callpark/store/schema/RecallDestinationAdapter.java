package io.callpark.store.schema;

import io.callpark.tenant.RecallDestination;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoEnumValue;

@ProtoAdapter(RecallDestination.class)
public enum RecallDestinationAdapter {
    @ProtoEnumValue(0) PARKER,
    @ProtoEnumValue(1) PARKER_THEN_RING_GROUP,
    @ProtoEnumValue(2) RING_GROUP
}
