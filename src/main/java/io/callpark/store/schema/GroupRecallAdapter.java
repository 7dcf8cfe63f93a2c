package io.callpark.store.schema;

import io.callpark.tenant.GroupRecall;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

/** A park group's own recall settings: an absent field means "as the tenant says". */
@ProtoAdapter(GroupRecall.class)
public final class GroupRecallAdapter {

    @ProtoFactory
    GroupRecall create(Integer recallTime, String recallDestination, String ringGroup, Integer ringGroupWait,
                       Integer retryInterval, Integer recallRingTime, Integer recallAttempts, String recallFinal) {
        return new GroupRecall(recallTime, recallDestination, ringGroup, ringGroupWait, retryInterval, recallRingTime,
                recallAttempts, recallFinal);
    }

    @ProtoField(1)
    Integer getRecallTime(GroupRecall recall) {
        return recall.recallTime();
    }

    @ProtoField(2)
    String getRecallDestination(GroupRecall recall) {
        return recall.recallDestination();
    }

    @ProtoField(3)
    String getRingGroup(GroupRecall recall) {
        return recall.ringGroup();
    }

    @ProtoField(4)
    Integer getRingGroupWait(GroupRecall recall) {
        return recall.ringGroupWait();
    }

    @ProtoField(5)
    Integer getRetryInterval(GroupRecall recall) {
        return recall.retryInterval();
    }

    @ProtoField(6)
    Integer getRecallRingTime(GroupRecall recall) {
        return recall.recallRingTime();
    }

    @ProtoField(7)
    Integer getRecallAttempts(GroupRecall recall) {
        return recall.recallAttempts();
    }

    @ProtoField(8)
    String getRecallFinal(GroupRecall recall) {
        return recall.recallFinal();
    }
}
