package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

/** Key of an API key: the SHA-256 of the key, hex ({@code api-keys} cache); the key itself is never stored. */
public record KeyHash(@ProtoField(1) String sha256) {
}
