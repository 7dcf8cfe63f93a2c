package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

import java.util.List;

/**
 * One webhook: where it posts, the secret it signs with (kept as issued: the sender needs it), the event types it
 * wants (wire names; empty for all), when it was registered (epoch milliseconds).
 */
public record StoredWebhook(@ProtoField(1) String id, @ProtoField(2) String url, @ProtoField(3) String secret,
                            @ProtoField(4) List<String> events, @ProtoField(number = 5, defaultValue = "0") long createdMs) {

    public StoredWebhook {
        events = List.copyOf(events);
    }
}
