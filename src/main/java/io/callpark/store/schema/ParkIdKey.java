package io.callpark.store.schema;

import io.callpark.park.Shared;
import org.infinispan.protostream.annotations.ProtoField;

/** Key of a park id reserved in a tenant ({@code park-ids} cache). */
public record ParkIdKey(@ProtoField(1) String tenant, @ProtoField(2) String parkId) {

    public ParkIdKey {
        tenant = Shared.text(tenant);
        parkId = Shared.text(parkId);
    }
}
