package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

/** Key of a joined call ({@code bridges} cache). */
public record BridgeKey(@ProtoField(1) String id) {
}
