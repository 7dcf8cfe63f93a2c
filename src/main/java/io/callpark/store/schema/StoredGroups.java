package io.callpark.store.schema;

import io.callpark.tenant.Group;
import org.infinispan.protostream.annotations.ProtoField;

import java.util.List;

/** All ring groups (or all park groups) of a tenant: unique names and exclusive members are one compare-and-set. */
public record StoredGroups(@ProtoField(number = 1, defaultValue = "0") long version, @ProtoField(2) List<Group> groups)
        implements Versioned<StoredGroups> {

    public StoredGroups {
        groups = List.copyOf(groups);
    }

    public static StoredGroups of(List<Group> groups) {
        return new StoredGroups(0, groups);
    }

    @Override
    public StoredGroups withVersion(long newVersion) {
        return new StoredGroups(newVersion, groups);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredGroups o && o.version == version;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version);
    }
}
