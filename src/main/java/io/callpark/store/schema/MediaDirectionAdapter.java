package io.callpark.store.schema;

import io.callpark.park.MediaDirection;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoEnumValue;

@ProtoAdapter(MediaDirection.class)
public enum MediaDirectionAdapter {
    @ProtoEnumValue(0) SENDRECV,
    @ProtoEnumValue(1) SENDONLY,
    @ProtoEnumValue(2) RECVONLY,
    @ProtoEnumValue(3) INACTIVE
}
