package io.callpark.store.schema;

import io.callpark.park.Bridge;
import org.infinispan.protostream.annotations.ProtoField;

/** A joined call as stored. */
public record StoredBridge(@ProtoField(number = 1, defaultValue = "0") long version, @ProtoField(2) Bridge bridge)
        implements Versioned<StoredBridge> {

    public static StoredBridge of(Bridge bridge) {
        return new StoredBridge(0, bridge);
    }

    @Override
    public StoredBridge withVersion(long newVersion) {
        return new StoredBridge(newVersion, bridge);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredBridge o && o.version == version;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version);
    }
}
