package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

/** The bridge a dialog (by Call-ID) is a leg of. */
public record BridgeRef(@ProtoField(1) String bridgeId) {
}
