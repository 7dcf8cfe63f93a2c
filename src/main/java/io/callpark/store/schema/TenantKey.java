package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

/** Key of what a tenant has one of: its settings, ring groups, park groups, webhooks, API key list. */
public record TenantKey(@ProtoField(1) String domain) {
}
