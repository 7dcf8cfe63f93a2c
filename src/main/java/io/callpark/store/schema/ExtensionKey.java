package io.callpark.store.schema;

import io.callpark.park.Shared;
import org.infinispan.protostream.annotations.ProtoField;

/** Key of an extension's park queue ({@code parked} cache). */
public record ExtensionKey(@ProtoField(1) String tenant, @ProtoField(2) String extension) {

    public ExtensionKey {
        tenant = Shared.text(tenant);
        extension = Shared.text(extension);
    }
}
