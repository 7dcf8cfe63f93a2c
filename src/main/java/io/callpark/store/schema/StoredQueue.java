package io.callpark.store.schema;

import io.callpark.park.ParkedCall;
import org.infinispan.protostream.annotations.ProtoField;

import java.util.List;

/** The calls parked at one extension, oldest first: one entry, so its limit and order are one compare-and-set. */
public record StoredQueue(@ProtoField(number = 1, defaultValue = "0") long version, @ProtoField(2) List<ParkedCall> calls)
        implements Versioned<StoredQueue> {

    public StoredQueue {
        calls = List.copyOf(calls);
    }

    public static StoredQueue of(List<ParkedCall> calls) {
        return new StoredQueue(0, calls);
    }

    @Override
    public StoredQueue withVersion(long newVersion) {
        return new StoredQueue(newVersion, calls);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredQueue o && o.version == version;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version);
    }
}
