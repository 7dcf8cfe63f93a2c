package io.callpark.recall;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where a group park puts the call: the first member of the park group, in member order, that is available
 * (registered and not in a call). When none is, the first member: the call is parked rather than refused, and
 * every member is told of it anyway.
 */
public final class GroupParkChoice {

    private GroupParkChoice() {
    }

    /** @param members the park group's extensions in order (not empty) */
    public static String extensionFor(List<String> members, Predicate<String> available) {
        Optional<String> free = members.stream().filter(available).findFirst();
        return free.orElse(members.get(0));
    }
}
