package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

import java.util.List;

/** The webhooks of a tenant: one read finds every hook an event goes to. */
public record StoredWebhooks(@ProtoField(number = 1, defaultValue = "0") long version, @ProtoField(2) List<StoredWebhook> hooks)
        implements Versioned<StoredWebhooks> {

    public StoredWebhooks {
        hooks = List.copyOf(hooks);
    }

    public static StoredWebhooks of(List<StoredWebhook> hooks) {
        return new StoredWebhooks(0, hooks);
    }

    @Override
    public StoredWebhooks withVersion(long newVersion) {
        return new StoredWebhooks(newVersion, hooks);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredWebhooks o && o.version == version;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version);
    }
}
