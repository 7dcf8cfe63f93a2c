package io.callpark.store.schema;

import io.callpark.park.FeatureCodes;
import io.callpark.tenant.RecallDestination;
import io.callpark.tenant.TenantSettings;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

@ProtoAdapter(TenantSettings.class)
public final class TenantSettingsAdapter {

    @ProtoFactory
    TenantSettings create(int recallTime, RecallDestination recallDestination, String ringGroup, int ringGroupWait,
                          int retryInterval, int recallRingTime, int recallAttempts, String recallFinal,
                          int callsPerExtension, String musicFile, FeatureCodes featureCodes, String dtmfReturnKey,
                          int callsPerUser, int callsPerTenant) {
        return new TenantSettings(recallTime, recallDestination, ringGroup, ringGroupWait, retryInterval,
                recallRingTime, recallAttempts, recallFinal, callsPerExtension, musicFile, featureCodes, dtmfReturnKey,
                callsPerUser, callsPerTenant);
    }

    @ProtoField(number = 1, defaultValue = "0")
    int getRecallTime(TenantSettings settings) {
        return settings.recallTime();
    }

    @ProtoField(2)
    RecallDestination getRecallDestination(TenantSettings settings) {
        return settings.recallDestination();
    }

    @ProtoField(3)
    String getRingGroup(TenantSettings settings) {
        return settings.ringGroup();
    }

    @ProtoField(number = 4, defaultValue = "0")
    int getRingGroupWait(TenantSettings settings) {
        return settings.ringGroupWait();
    }

    @ProtoField(number = 5, defaultValue = "0")
    int getRetryInterval(TenantSettings settings) {
        return settings.retryInterval();
    }

    @ProtoField(number = 6, defaultValue = "0")
    int getRecallRingTime(TenantSettings settings) {
        return settings.recallRingTime();
    }

    @ProtoField(number = 7, defaultValue = "0")
    int getRecallAttempts(TenantSettings settings) {
        return settings.recallAttempts();
    }

    @ProtoField(8)
    String getRecallFinal(TenantSettings settings) {
        return settings.recallFinal();
    }

    @ProtoField(number = 9, defaultValue = "0")
    int getCallsPerExtension(TenantSettings settings) {
        return settings.callsPerExtension();
    }

    /** A server path of the releases before music uploads; read so that a node can clear it (legacyMusicFile). */
    @ProtoField(10)
    String getMusicFile(TenantSettings settings) {
        return settings.legacyMusicFile();
    }

    @ProtoField(11)
    FeatureCodes getFeatureCodes(TenantSettings settings) {
        return settings.featureCodes();
    }

    @ProtoField(12)
    String getDtmfReturnKey(TenantSettings settings) {
        return settings.dtmfReturnKey();
    }

    /** 0 in a record of the release before: the node's default applies ({@link TenantSettings#withLimitsFrom}). */
    @ProtoField(number = 13, defaultValue = "0")
    int getCallsPerUser(TenantSettings settings) {
        return settings.callsPerUser();
    }

    @ProtoField(number = 14, defaultValue = "0")
    int getCallsPerTenant(TenantSettings settings) {
        return settings.callsPerTenant();
    }
}
