package io.callpark.rest;

import io.callpark.tenant.TenantSettings;
import io.callpark.tenant.GroupRecall;
import io.callpark.park.ParkLimits;
import io.callpark.tenant.RecallDestination;

import io.callpark.park.FeatureCodes;
import jakarta.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a client's JSON settings object into {@link TenantSettings}, or into the list of every rule it breaks:
 * a change is taken whole or not at all. Fields left out keep the value of the settings it starts from.
 */
public final class SettingsReader {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
    static final String NAME_RULE = "1-40 letters, digits, '.', '_' or '-' starting with a letter or digit";
    private static final Set<String> FIELDS = Set.of("recallTime", "recallDestination", "ringGroup",
            "ringGroupWait", "retryInterval", "recallRingTime", "recallAttempts", "recallFinal", "callsPerExtension",
            "musicFile", "featureCodes", "dtmfReturnKey", "callsPerUser", "callsPerTenant");
    static final Pattern DTMF_KEY = Pattern.compile("[0-9*#]?");
    private static final Set<String> CODE_FIELDS = Set.of("park", "retrieve", "groupPark");

    /** The outcome: settings when {@code violations} is empty. */
    public record Result(TenantSettings settings, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    private final JsonFields fields;

    private SettingsReader(JsonFields fields) {
        this.fields = fields;
    }

    public static Result read(JsonObject json, TenantSettings base) {
        return new SettingsReader(new JsonFields(json, FIELDS)).apply(base);
    }

    /**
     * A park group's recall settings: only the recall fields may be given; the ones left out stay the tenant's.
     * Violations are reported into {@code fields}.
     */
    static GroupRecall readRecall(JsonFields recall, TenantSettings tenant) {
        Result read = new SettingsReader(recall).apply(tenant);
        return read.valid() ? GroupRecall.of(recall.keys(), read.settings()) : GroupRecall.NONE;
    }

    private Result apply(TenantSettings base) {
        int recallTime = fields.integer("recallTime", base.recallTime(), TenantSettings.RECALL_MIN,
                TenantSettings.RECALL_MAX);
        RecallDestination destination = destination(base.recallDestination());
        String ringGroup = ringGroup(base.ringGroup());
        int ringGroupWait = fields.integer("ringGroupWait", base.ringGroupWait(), 0, 300);
        int retryInterval = fields.integer("retryInterval", base.retryInterval(), 5, 300);
        int recallRingTime = fields.integer("recallRingTime", base.recallRingTime(), 5, 120);
        int recallAttempts = fields.integer("recallAttempts", base.recallAttempts(), 1, 10);
        String recallFinal = fields.string("recallFinal", false, "an extension of the tenant, or empty").map(e -> {
            if (!e.isEmpty() && !JsonFields.EXTENSION.matcher(e).matches()) {
                fields.violation("recallFinal", "pattern", "must be empty or " + JsonFields.EXTENSION_RULE
                        + " (got '" + e + "')");
                return base.recallFinal();
            }
            return e;
        }).orElse(base.recallFinal());
        int callsPerExtension = fields.integer("callsPerExtension", base.callsPerExtension(), 1,
                ParkLimits.EXTENSION_MAX);
        int callsPerUser = fields.integer("callsPerUser", base.callsPerUser(), 1, ParkLimits.USER_MAX);
        int callsPerTenant = fields.integer("callsPerTenant", base.callsPerTenant(), 1, ParkLimits.TENANT_MAX);
        refuseMusicFile();
        FeatureCodes codes = featureCodes(base.featureCodes());
        String dtmfReturnKey = fields.matching("dtmfReturnKey", false, DTMF_KEY,
                "empty (off) or one key: 0-9, * or #").orElse(base.dtmfReturnKey());
        if (destination != RecallDestination.PARKER && ringGroup.isEmpty() && !fields.broken("ringGroup")) {
            fields.violation("ringGroup", "required", "recallDestination " + destination.json()
                    + " needs a ringGroup");
        }
        List<Violation> violations = fields.violations();
        TenantSettings settings = new TenantSettings(recallTime, destination, ringGroup, ringGroupWait,
                retryInterval, recallRingTime, recallAttempts, recallFinal, callsPerExtension, "", codes,
                dtmfReturnKey, callsPerUser, callsPerTenant);
        return new Result(violations.isEmpty() ? settings : null, violations);
    }

    private RecallDestination destination(RecallDestination fallback) {
        String allowed = "one of " + RecallDestination.allowed();
        return fields.string("recallDestination", false, allowed).map(name -> RecallDestination.fromJson(name)
                .orElseGet(() -> {
                    fields.violation("recallDestination", "enum", "must be " + allowed + " (got '" + name + "')");
                    return fallback;
                })).orElse(fallback);
    }

    private String ringGroup(String fallback) {
        String rule = "empty, or " + NAME_RULE;
        return fields.string("ringGroup", false, rule).map(name -> {
            if (!name.isEmpty() && !NAME.matcher(name).matches()) {
                fields.violation("ringGroup", "pattern", "must be " + rule + " (got '" + name + "')");
                return fallback;
            }
            return name;
        }).orElse(fallback);
    }

    /**
     * A tenant no longer names a file on the server for its music: it uploads the music (any path it sends is
     * refused the same way, whether such a file exists or not).
     */
    private void refuseMusicFile() {
        if (fields.has("musicFile")) {
            fields.violation("musicFile", "upload-instead", "a server path is not taken: upload the music as a WAV"
                    + " file with PUT /tenants/{domain}/music (Content-Type audio/wav)");
        }
    }

    private FeatureCodes featureCodes(FeatureCodes fallback) {
        return fields.object("featureCodes", CODE_FIELDS, "park, retrieve, groupPark").map(codes -> {
            FeatureCodes result = new FeatureCodes(
                    codes.matching("park", false, FeatureCodes.CODE, FeatureCodes.CODE_RULE).orElse(fallback.park()),
                    codes.matching("retrieve", false, FeatureCodes.CODE, FeatureCodes.CODE_RULE)
                            .orElse(fallback.retrieve()),
                    codes.matching("groupPark", false, FeatureCodes.CODE, FeatureCodes.CODE_RULE)
                            .orElse(fallback.groupPark()));
            result.ambiguity().ifPresent(why -> fields.violation("featureCodes", "distinct", why));
            return result;
        }).orElse(fallback);
    }
}
