package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

/** Key of a published park event ({@code events} cache). */
public record EventKey(@ProtoField(1) String tenant, @ProtoField(2) String id) {
}
