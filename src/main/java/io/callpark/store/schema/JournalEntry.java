package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

/** A published park event: its id (time, node, sequence), its tenant, its JSON as the API shows it. */
public record JournalEntry(@ProtoField(1) String id, @ProtoField(2) String tenant, @ProtoField(3) String json) {
}
