package io.callpark.store.schema;

import io.callpark.park.ParkState;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoEnumValue;

@ProtoAdapter(ParkState.class)
public enum ParkStateAdapter {
    @ProtoEnumValue(0) PARKED,
    @ProtoEnumValue(1) RINGING,
    @ProtoEnumValue(2) JOINING
}
