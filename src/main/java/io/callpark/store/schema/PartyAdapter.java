package io.callpark.store.schema;

import io.callpark.park.Party;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

@ProtoAdapter(Party.class)
public final class PartyAdapter {

    @ProtoFactory
    Party create(String uri, String displayName) {
        return new Party(uri, displayName);
    }

    @ProtoField(1)
    String getUri(Party party) {
        return party.uri();
    }

    @ProtoField(2)
    String getDisplayName(Party party) {
        return party.displayName();
    }
}
