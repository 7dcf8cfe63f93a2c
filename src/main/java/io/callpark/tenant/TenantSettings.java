package io.callpark.tenant;

import io.callpark.park.FeatureCodes;
import io.callpark.park.ParkLimits;

/**
 * Call park settings of one tenant (a SIP domain). Every field has a default, so a tenant that sets nothing parks
 * like the node's start-up configuration says.
 *
 * @param recallTime        seconds a call may stay parked before it is recalled (30-900)
 * @param recallDestination who rings on recall
 * @param ringGroup         name of the tenant's ring group used on recall, empty when none is set
 * @param ringGroupWait     seconds the parker rings before the ring group joins (parker-then-ring-group)
 * @param retryInterval     seconds between recall attempts when the parker does not answer
 * @param recallRingTime    seconds one recall attempt rings (the ring group's part of it, after ringGroupWait)
 * @param recallAttempts    recall attempts before the final destination (or the end)
 * @param recallFinal       extension rung once after the last attempt; empty: the caller is then released politely
 * @param callsPerExtension most calls that may wait at one extension
 * @param legacyMusicFile   a server path the tenant named for its music before music was uploaded (docs/security.md,
 *                          "Music on hold uploads"): never played, shown or taken from a client; a node clears it
 *                          at start-up, logging it. Empty in everything written since.
 * @param featureCodes      dial prefixes of this tenant
 * @param dtmfReturnKey     the key (RFC 4733 event) a parked caller presses to go back to the parker; empty: off
 * @param callsPerUser      most calls one user may have parked at once (as the parker), anywhere in the tenant
 * @param callsPerTenant    most calls parked in the tenant at once
 */
public record TenantSettings(
        int recallTime,
        RecallDestination recallDestination,
        String ringGroup,
        int ringGroupWait,
        int retryInterval,
        int recallRingTime,
        int recallAttempts,
        String recallFinal,
        int callsPerExtension,
        String legacyMusicFile,
        FeatureCodes featureCodes,
        String dtmfReturnKey,
        int callsPerUser,
        int callsPerTenant) {

    public TenantSettings {
        // absent from a record or a legacy import that never had it (read as null): no path
        legacyMusicFile = legacyMusicFile == null ? "" : legacyMusicFile;
    }

    public static final int RECALL_MIN = 30;
    public static final int RECALL_MAX = 900;

    /** What a tenant gets for every field it does not set. */
    public static TenantSettings defaults(ParkLimits limits, FeatureCodes codes) {
        return new TenantSettings(120, RecallDestination.PARKER, "", 20, 10, 20, 3, "", limits.perExtension(), "",
                codes, "", limits.perUser(), limits.perTenant());
    }

    /** These settings with a park group's own recall settings over them. */
    public TenantSettings with(GroupRecall group) {
        return group.over(this);
    }

    public ParkLimits limits() {
        return new ParkLimits(callsPerExtension, callsPerUser, callsPerTenant);
    }

    /** These settings with each limit a record of the release before did not have (read as 0) from {@code defaults}. */
    public TenantSettings withLimitsFrom(ParkLimits defaults) {
        return new TenantSettings(recallTime, recallDestination, ringGroup, ringGroupWait, retryInterval,
                recallRingTime, recallAttempts, recallFinal,
                callsPerExtension > 0 ? callsPerExtension : defaults.perExtension(), legacyMusicFile, featureCodes,
                dtmfReturnKey, callsPerUser > 0 ? callsPerUser : defaults.perUser(),
                callsPerTenant > 0 ? callsPerTenant : defaults.perTenant());
    }

    /** These settings without the legacy music file. */
    public TenantSettings withoutLegacyMusicFile() {
        return new TenantSettings(recallTime, recallDestination, ringGroup, ringGroupWait, retryInterval,
                recallRingTime, recallAttempts, recallFinal, callsPerExtension, "", featureCodes, dtmfReturnKey,
                callsPerUser, callsPerTenant);
    }
}
