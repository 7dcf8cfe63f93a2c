package io.callpark.store;

import io.callpark.tenant.Group;
import org.infinispan.Cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A tenant's ring groups or park groups: all groups of one kind of a tenant are one entry of the replicated,
 * persisted settings cache ({@code ringgroups:<domain>}, {@code parkgroups:<domain>}), so a unique name and (for
 * park groups) "an extension in at most one group" are each decided by one compare-and-set.
 */
public final class GroupStore {

    public static final int MAX_GROUPS = 100;

    /** Which groups: park groups have exclusive members. */
    public enum Kind {
        RING("ringgroups:", false), PARK("parkgroups:", true);

        private final String prefix;
        private final boolean exclusiveMembers;

        Kind(String prefix, boolean exclusiveMembers) {
            this.prefix = prefix;
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

    /** What a tenant's entry holds. */
    public record Groups(List<Group> groups) {
        public Groups {
            groups = List.copyOf(groups);
        }
    }

    private final Cache<String, String> settings;
    private final JsonCodec json;
    private final Kind kind;

    public GroupStore(Cache<String, String> settings, JsonCodec json, Kind kind) {
        this.settings = settings;
        this.json = json;
        this.kind = kind;
    }

    public List<Group> all(String tenant) {
        return groups(Optional.ofNullable(settings.get(kind.prefix + tenant)));
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
        ConditionalUpdate.apply(settings, kind.prefix + tenant, current -> {
            List<Group> groups = new ArrayList<>(groups(current));
            removed.set(groups.removeIf(g -> g.name().equals(name)));
            if (!removed.get()) {
                return current;
            }
            return groups.isEmpty() ? Optional.empty() : Optional.of(json.write(new Groups(groups)));
        });
        return removed.get();
    }

    public void deleteAll(String tenant) {
        settings.remove(kind.prefix + tenant);
    }

    /**
     * @param refuse a refusal given the group of that name as stored (null: go on)
     * @param next   the group to store, given the one stored
     */
    private Result write(String tenant, String name, java.util.function.Function<Optional<Group>, Result> refuse,
                         java.util.function.Function<Optional<Group>, Group> next) {
        AtomicReference<Result> result = new AtomicReference<>();
        ConditionalUpdate.apply(settings, kind.prefix + tenant, current -> {
            List<Group> groups = new ArrayList<>(groups(current));
            Optional<Group> existing = groups.stream().filter(g -> g.name().equals(name)).findFirst();
            Result refused = refuse.apply(existing);
            if (refused != null) {
                result.set(refused);
                return current;
            }
            if (existing.isEmpty() && groups.size() >= MAX_GROUPS) {
                result.set(Result.of(Outcome.TOO_MANY));
                return current;
            }
            Group written = next.apply(existing);
            Optional<String> taken = kind.exclusiveMembers ? memberElsewhere(groups, written) : Optional.empty();
            if (taken.isPresent()) {
                result.set(new Result(Outcome.MEMBER_ELSEWHERE, Optional.empty(), taken.get()));
                return current;
            }
            existing.ifPresentOrElse(e -> groups.set(groups.indexOf(e), written), () -> groups.add(written));
            result.set(new Result(Outcome.DONE, Optional.of(written), ""));
            return Optional.of(json.write(new Groups(groups)));
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

    private List<Group> groups(Optional<String> value) {
        return value.map(v -> json.read(v, Groups.class).groups()).orElse(List.of());
    }
}
