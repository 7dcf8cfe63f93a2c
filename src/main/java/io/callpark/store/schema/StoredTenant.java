package io.callpark.store.schema;

import io.callpark.tenant.TenantSettings;
import org.infinispan.protostream.annotations.ProtoField;

/** A configured tenant: its park settings and when it was created and last changed (epoch milliseconds). */
public record StoredTenant(@ProtoField(number = 1, defaultValue = "0") long version, @ProtoField(2) String domain,
                           @ProtoField(3) TenantSettings settings, @ProtoField(number = 4, defaultValue = "0") long createdMs,
                           @ProtoField(number = 5, defaultValue = "0") long updatedMs) implements Versioned<StoredTenant> {

    @Override
    public StoredTenant withVersion(long newVersion) {
        return new StoredTenant(newVersion, domain, settings, createdMs, updatedMs);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredTenant o && o.version == version;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version);
    }
}
