package io.callpark.rest;

import io.callpark.tenant.TenantSettings;
import io.callpark.tenant.Group;
import io.callpark.tenant.GroupRecall;

import jakarta.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a client's JSON group object into a {@link Group}, or into every rule it breaks. Fields left out keep the
 * value of the group it starts from (a new group starts empty).
 */
public final class GroupReader {

    /** The outcome: the group when {@code violations} is empty. */
    public record Result(Group group, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    private GroupReader() {
    }

    /**
     * @param json       the body
     * @param base       the group as it is (for PUT and PATCH), or a new one named by the body
     * @param parkGroup  whether it is a park group (which may have recall settings)
     * @param tenant     the tenant's settings, which a park group's recall fields override
     */
    public static Result read(JsonObject json, Optional<Group> base, boolean parkGroup, TenantSettings tenant) {
        Set<String> known = parkGroup ? Set.of("name", "members", "recall") : Set.of("name", "members");
        JsonFields fields = new JsonFields(json, known);
        String rule = SettingsReader.NAME_RULE;
        Optional<String> name = fields.matching("name", base.isEmpty(), SettingsReader.NAME, rule);
        if (base.isPresent() && name.isPresent() && !name.get().equals(base.get().name())) {
            fields.violation("name", "immutable", "a group keeps its name ('" + base.get().name()
                    + "'); create another group to use another name");
        }
        List<String> members = members(fields).orElse(base.map(Group::members).orElse(List.of()));
        GroupRecall recall = base.map(Group::recall).orElse(GroupRecall.NONE);
        if (parkGroup) {
            recall = fields.object("recall", GroupRecall.FIELDS, "recall settings of the group")
                    .map(r -> SettingsReader.readRecall(r, tenant)).orElse(recall);
        }
        Group group = new Group(base.map(Group::name).or(() -> name).orElse(""), members, recall);
        List<Violation> violations = fields.violations();
        return new Result(violations.isEmpty() ? group : null, violations);
    }

    /** An ordered list of distinct extensions of the tenant, at most {@link Group#MAX_MEMBERS}. */
    public static Optional<List<String>> members(JsonFields fields) {
        return fields.strings("members", "extensions of this tenant, in order").map(list -> {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String member = list.get(i);
                if (!JsonFields.EXTENSION.matcher(member).matches()) {
                    fields.violation("members[" + i + "]", "pattern", "must be " + JsonFields.EXTENSION_RULE
                            + " (got '" + member + "')");
                } else if (!seen.add(member)) {
                    fields.violation("members[" + i + "]", "duplicate", member + " is listed twice");
                }
            }
            if (list.size() > Group.MAX_MEMBERS) {
                fields.violation("members", "size", "at most " + Group.MAX_MEMBERS + " members (got "
                        + list.size() + ")");
            }
            return list;
        });
    }
}
