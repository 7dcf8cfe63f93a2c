package io.callpark.store.schema;

import io.callpark.park.DialogLeg;
import io.callpark.park.Watcher;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

@ProtoAdapter(Watcher.class)
public final class WatcherAdapter {

    @ProtoFactory
    Watcher create(DialogLeg dialog, String entity, String eventId, String user, long version, long expiresAtMs) {
        return new Watcher(dialog, entity, eventId, user, version, expiresAtMs);
    }

    @ProtoField(1)
    DialogLeg getDialog(Watcher watcher) {
        return watcher.dialog();
    }

    @ProtoField(2)
    String getEntity(Watcher watcher) {
        return watcher.entity();
    }

    @ProtoField(3)
    String getEventId(Watcher watcher) {
        return watcher.eventId();
    }

    @ProtoField(4)
    String getUser(Watcher watcher) {
        return watcher.user();
    }

    @ProtoField(number = 5, defaultValue = "0")
    long getVersion(Watcher watcher) {
        return watcher.version();
    }

    @ProtoField(number = 6, defaultValue = "0")
    long getExpiresAtMs(Watcher watcher) {
        return watcher.expiresAtMs();
    }
}
