package io.callpark.store.schema;

import io.callpark.tenant.ParkingLot;
import org.infinispan.protostream.annotations.ProtoField;

import java.util.List;

/** All parking lots of a tenant: unique names, ranges that do not overlap and unique codes are one compare-and-set. */
public record StoredLots(@ProtoField(number = 1, defaultValue = "0") long version,
                         @ProtoField(2) List<ParkingLot> lots) implements Versioned<StoredLots> {

    public StoredLots {
        lots = List.copyOf(lots);
    }

    public static StoredLots of(List<ParkingLot> lots) {
        return new StoredLots(0, lots);
    }

    @Override
    public StoredLots withVersion(long newVersion) {
        return new StoredLots(newVersion, lots);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredLots o && o.version == version;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version);
    }
}
