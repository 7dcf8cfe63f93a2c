package io.callpark.store;

import io.callpark.tenant.Group;
import io.callpark.store.schema.StoredGroups;
import io.callpark.store.schema.TenantKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A tenant's ring groups or park groups: all groups of one kind of a tenant are one entry of a replicated,
 * persisted cache ({@code ring-groups}, {@code park-groups}), so a unique name and (for park groups) "an extension
 * in at most one group" are each decided by one compare-and-set.
 */
public final class GroupStore {

    public static final int MAX_GROUPS = 100;

    /** Which groups: park groups have exclusive members. */
    public enum Kind {
        RING(false), PARK(true);

        private final boolean exclusiveMembers;

        Kind(boolean exclusiveMembers) {
            this.exclusiveMembers = exclusiveMembers;
        }
    }

    public enum Outcome { DONE, NAME_TAKEN, NOT_FOUND, MEMBER_ELSEWHERE, TOO_MANY }

    /**
     * @param group    the group as written (DONE)
     * @param conflict for MEMBER_ELSEWHERE: the member and the group that has it
     */
    public record Result(Outcome outcome, Optional<Group> group, String conflict) {
        static Result of(Outcome outcome) {
            return new Result(outcome, Optional.empty(), "");
        }
    }

    private final Table<TenantKey, StoredGroups> groups;
    private final Kind kind;

    public GroupStore(Table<TenantKey, StoredGroups> groups, Kind kind) {
        this.groups = groups;
        this.kind = kind;
    }

    public List<Group> all(String tenant) {
        return groups(Optional.ofNullable(groups.get(new TenantKey(tenant))));
    }

    public Optional<Group> find(String tenant, String name) {
        return all(tenant).stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** The park group an extension is a member of. */
    public Optional<Group> of(String tenant, String extension) {
        return all(tenant).stream().filter(g -> g.members().contains(extension)).findFirst();
    }

    public Result create(String tenant, Group group) {
        return write(tenant, group.name(), existing -> existing.isPresent() ? Result.of(Outcome.NAME_TAKEN) : null,
                existing -> group);
    }

    /** Changes an existing group; {@code change} gets it as stored now. */
    public Result update(String tenant, String name, UnaryOperator<Group> change) {
        return write(tenant, name, existing -> existing.isEmpty() ? Result.of(Outcome.NOT_FOUND) : null,
                existing -> change.apply(existing.orElseThrow()));
    }

    public boolean delete(String tenant, String name) {
        AtomicReference<Boolean> removed = new AtomicReference<>(false);
        ConditionalUpdate.apply(groups, new TenantKey(tenant), current -> {
            List<Group> kept = new ArrayList<>(groups(current));
            removed.set(kept.removeIf(g -> g.name().equals(name)));
            if (!removed.get()) {
                return current;
            }
            return kept.isEmpty() ? Optional.empty() : Optional.of(StoredGroups.of(kept));
        });
        return removed.get();
    }

    public void deleteAll(String tenant) {
        groups.remove(new TenantKey(tenant));
    }

    /**
     * @param refuse a refusal given the group of that name as stored (null: go on)
     * @param next   the group to store, given the one stored
     */
    private Result write(String tenant, String name, java.util.function.Function<Optional<Group>, Result> refuse,
                         java.util.function.Function<Optional<Group>, Group> next) {
        AtomicReference<Result> result = new AtomicReference<>();
        ConditionalUpdate.apply(groups, new TenantKey(tenant), current -> {
            List<Group> all = new ArrayList<>(groups(current));
            Optional<Group> existing = all.stream().filter(g -> g.name().equals(name)).findFirst();
            Result refused = refuse.apply(existing);
            if (refused != null) {
                result.set(refused);
                return current;
            }
            if (existing.isEmpty() && all.size() >= MAX_GROUPS) {
                result.set(Result.of(Outcome.TOO_MANY));
                return current;
            }
            Group written = next.apply(existing);
            Optional<String> taken = kind.exclusiveMembers ? memberElsewhere(all, written) : Optional.empty();
            if (taken.isPresent()) {
                result.set(new Result(Outcome.MEMBER_ELSEWHERE, Optional.empty(), taken.get()));
                return current;
            }
            existing.ifPresentOrElse(e -> all.set(all.indexOf(e), written), () -> all.add(written));
            result.set(new Result(Outcome.DONE, Optional.of(written), ""));
            return Optional.of(StoredGroups.of(all));
        });
        return result.get();
    }

    private static Optional<String> memberElsewhere(List<Group> groups, Group written) {
        for (Group other : groups) {
            if (other.name().equals(written.name())) {
                continue;
            }
            for (String member : written.members()) {
                if (other.members().contains(member)) {
                    return Optional.of(member + " is a member of park group '" + other.name() + "'");
                }
            }
        }
        return Optional.empty();
    }

    private static List<Group> groups(Optional<StoredGroups> value) {
        return value.map(StoredGroups::groups).orElse(List.of());
    }
}
