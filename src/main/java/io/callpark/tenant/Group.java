package io.callpark.tenant;

import java.util.List;

/**
 * A named, ordered list of a tenant's extensions: a ring group (who rings on recall) or a park group (a team that
 * shares its parked calls; an extension is in at most one, and the group may have its own recall settings).
 *
 * @param recall the park group's recall settings; {@link GroupRecall#NONE} for a ring group
 */
public record Group(String name, List<String> members, GroupRecall recall) {

    public static final int MAX_MEMBERS = 50;

    public Group {
        members = List.copyOf(members);
        recall = recall == null ? GroupRecall.NONE : recall;
    }

    public Group withMembers(List<String> newMembers) {
        return new Group(name, newMembers, recall);
    }
}
