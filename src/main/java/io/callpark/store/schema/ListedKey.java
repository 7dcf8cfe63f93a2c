package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

/** An issued API key in its tenant's list: public id, the SHA-256 it is found by, when it was issued. */
public record ListedKey(@ProtoField(1) String id, @ProtoField(2) String sha256, @ProtoField(number = 3, defaultValue = "0") long createdMs) {
}
