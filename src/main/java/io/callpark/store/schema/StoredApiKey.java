package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

/** What an API key (found by its hash) gives access to: one tenant. */
public record StoredApiKey(@ProtoField(1) String id, @ProtoField(2) String tenant, @ProtoField(number = 3, defaultValue = "0") long createdMs) {
}
