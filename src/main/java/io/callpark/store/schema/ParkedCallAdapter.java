package io.callpark.store.schema;

import io.callpark.park.DialogLeg;
import io.callpark.park.MediaBinding;
import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import io.callpark.park.RecallState;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

import java.util.List;

/** The stored form of a parked call (the domain record knows nothing of it). */
@ProtoAdapter(ParkedCall.class)
public final class ParkedCallAdapter {

    @ProtoFactory
    ParkedCall create(String parkId, String tenant, String extension, Party parker, Party parked, long parkedAt,
                      ParkState state, String claimedBy, String claimedOn, DialogLeg leg, MediaBinding media,
                      List<String> notifyTargets, RecallState recall, boolean awaitingCaller) {
        return new ParkedCall(parkId, tenant, extension, parker, parked, parkedAt, state, claimedBy, claimedOn, leg,
                media, notifyTargets, recall, awaitingCaller);
    }

    @ProtoField(1)
    String getParkId(ParkedCall call) {
        return call.parkId();
    }

    @ProtoField(2)
    String getTenant(ParkedCall call) {
        return call.tenant();
    }

    @ProtoField(3)
    String getExtension(ParkedCall call) {
        return call.extension();
    }

    @ProtoField(4)
    Party getParker(ParkedCall call) {
        return call.parker();
    }

    @ProtoField(5)
    Party getParked(ParkedCall call) {
        return call.parked();
    }

    @ProtoField(number = 6, defaultValue = "0")
    long getParkedAt(ParkedCall call) {
        return call.parkedAt();
    }

    @ProtoField(7)
    ParkState getState(ParkedCall call) {
        return call.state();
    }

    @ProtoField(8)
    String getClaimedBy(ParkedCall call) {
        return call.claimedBy();
    }

    @ProtoField(9)
    String getClaimedOn(ParkedCall call) {
        return call.claimedOn();
    }

    @ProtoField(10)
    DialogLeg getLeg(ParkedCall call) {
        return call.leg();
    }

    @ProtoField(11)
    MediaBinding getMedia(ParkedCall call) {
        return call.media();
    }

    @ProtoField(12)
    List<String> getNotifyTargets(ParkedCall call) {
        return call.notifyTargets();
    }

    @ProtoField(13)
    RecallState getRecall(ParkedCall call) {
        return call.recall();
    }

    /** Absent (false) in a record of the release before: its calls were all heard from. */
    @ProtoField(number = 14, defaultValue = "false")
    boolean getAwaitingCaller(ParkedCall call) {
        return call.awaitingCaller();
    }
}
