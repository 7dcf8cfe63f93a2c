package io.callpark.tenant;

import java.util.Set;

/**
 * A park group's own recall settings: each field set here overrides the tenant's; a null field means "as the
 * tenant says", so a later change of the tenant still reaches the group.
 */
public record GroupRecall(Integer recallTime, String recallDestination, String ringGroup, Integer ringGroupWait,
                          Integer retryInterval, Integer recallRingTime, Integer recallAttempts, String recallFinal) {

    public static final Set<String> FIELDS = Set.of("recallTime", "recallDestination", "ringGroup", "ringGroupWait",
            "retryInterval", "recallRingTime", "recallAttempts", "recallFinal");
    public static final GroupRecall NONE = new GroupRecall(null, null, null, null, null, null, null, null);

    /** The fields {@code present} in a client's object, taken from the settings read from it. */
    public static GroupRecall of(Set<String> present, TenantSettings read) {
        return new GroupRecall(
                present.contains("recallTime") ? read.recallTime() : null,
                present.contains("recallDestination") ? read.recallDestination().json() : null,
                present.contains("ringGroup") ? read.ringGroup() : null,
                present.contains("ringGroupWait") ? read.ringGroupWait() : null,
                present.contains("retryInterval") ? read.retryInterval() : null,
                present.contains("recallRingTime") ? read.recallRingTime() : null,
                present.contains("recallAttempts") ? read.recallAttempts() : null,
                present.contains("recallFinal") ? read.recallFinal() : null);
    }

    /** The settings a call parked in this group uses, given its tenant's. */
    TenantSettings over(TenantSettings tenant) {
        return new TenantSettings(
                recallTime != null ? recallTime : tenant.recallTime(),
                recallDestination != null ? RecallDestination.fromJson(recallDestination).orElseThrow()
                        : tenant.recallDestination(),
                ringGroup != null ? ringGroup : tenant.ringGroup(),
                ringGroupWait != null ? ringGroupWait : tenant.ringGroupWait(),
                retryInterval != null ? retryInterval : tenant.retryInterval(),
                recallRingTime != null ? recallRingTime : tenant.recallRingTime(),
                recallAttempts != null ? recallAttempts : tenant.recallAttempts(),
                recallFinal != null ? recallFinal : tenant.recallFinal(),
                tenant.callsPerExtension(), tenant.legacyMusicFile(), tenant.featureCodes(), tenant.dtmfReturnKey(),
                tenant.callsPerUser(), tenant.callsPerTenant());
    }
}
