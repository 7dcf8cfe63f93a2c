package io.callpark.store.schema;

import io.callpark.park.Shared;
import org.infinispan.protostream.annotations.ProtoField;

/** Where a Call-ID or a park id leads: the extension queue a call waits in, and its park id there. */
public record CallLocator(@ProtoField(1) String tenant, @ProtoField(2) String extension,
                          @ProtoField(3) String parkId) {

    public CallLocator {
        tenant = Shared.text(tenant);
        extension = Shared.text(extension);
        parkId = Shared.text(parkId);
    }


    public ExtensionKey queue() {
        return new ExtensionKey(tenant, extension);
    }
}
