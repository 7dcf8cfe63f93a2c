package io.callpark.store.schema;

import io.callpark.tenant.Group;
import io.callpark.tenant.GroupRecall;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

import java.util.List;

@ProtoAdapter(Group.class)
public final class GroupAdapter {

    @ProtoFactory
    Group create(String name, List<String> members, GroupRecall recall) {
        return new Group(name, members, recall);
    }

    @ProtoField(1)
    String getName(Group group) {
        return group.name();
    }

    @ProtoField(2)
    List<String> getMembers(Group group) {
        return group.members();
    }

    @ProtoField(3)
    GroupRecall getRecall(Group group) {
        return group.recall();
    }
}
