package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

import java.util.List;

/** The API keys issued to a tenant, by id and hash, so they can be listed and revoked without a scan. */
public record StoredKeyList(@ProtoField(number = 1, defaultValue = "0") long version, @ProtoField(2) List<ListedKey> keys)
        implements Versioned<StoredKeyList> {

    public StoredKeyList {
        keys = List.copyOf(keys);
    }

    public static StoredKeyList of(List<ListedKey> keys) {
        return new StoredKeyList(0, keys);
    }

    @Override
    public StoredKeyList withVersion(long newVersion) {
        return new StoredKeyList(newVersion, keys);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredKeyList o && o.version == version;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version);
    }
}
