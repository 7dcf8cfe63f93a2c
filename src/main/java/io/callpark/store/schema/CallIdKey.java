package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

/** Key of a dialog by its Call-ID: where a parked caller waits ({@code call-index}), or which bridge a leg is in ({@code bridge-legs}). */
public record CallIdKey(@ProtoField(1) String callId) {
}
