package io.callpark.store.schema;

import io.callpark.park.RecallState;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

@ProtoAdapter(RecallState.class)
public final class RecallStateAdapter {

    @ProtoFactory
    RecallState create(long at, int attempt, String group) {
        return new RecallState(at, attempt, group);
    }

    @ProtoField(number = 1, defaultValue = "0")
    long getAt(RecallState recall) {
        return recall.at();
    }

    @ProtoField(number = 2, defaultValue = "0")
    int getAttempt(RecallState recall) {
        return recall.attempt();
    }

    @ProtoField(3)
    String getGroup(RecallState recall) {
        return recall.group();
    }
}
