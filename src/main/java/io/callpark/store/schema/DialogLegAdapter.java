package io.callpark.store.schema;

import io.callpark.park.DialogLeg;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

import java.util.List;

@ProtoAdapter(DialogLeg.class)
public final class DialogLegAdapter {

    @ProtoFactory
    DialogLeg create(String callId, String localTag, String remoteTag, String localParty, String remoteParty,
                     String remoteTarget, List<String> routeSet, long localCseq, long sdpSessionId, long sdpVersion,
                     long remoteCseq) {
        return new DialogLeg(callId, localTag, remoteTag, localParty, remoteParty, remoteTarget, routeSet, localCseq,
                sdpSessionId, sdpVersion, remoteCseq);
    }

    @ProtoField(1)
    String getCallId(DialogLeg leg) {
        return leg.callId();
    }

    @ProtoField(2)
    String getLocalTag(DialogLeg leg) {
        return leg.localTag();
    }

    @ProtoField(3)
    String getRemoteTag(DialogLeg leg) {
        return leg.remoteTag();
    }

    @ProtoField(4)
    String getLocalParty(DialogLeg leg) {
        return leg.localParty();
    }

    @ProtoField(5)
    String getRemoteParty(DialogLeg leg) {
        return leg.remoteParty();
    }

    @ProtoField(6)
    String getRemoteTarget(DialogLeg leg) {
        return leg.remoteTarget();
    }

    @ProtoField(7)
    List<String> getRouteSet(DialogLeg leg) {
        return leg.routeSet();
    }

    @ProtoField(number = 8, defaultValue = "0")
    long getLocalCseq(DialogLeg leg) {
        return leg.localCseq();
    }

    @ProtoField(number = 9, defaultValue = "0")
    long getSdpSessionId(DialogLeg leg) {
        return leg.sdpSessionId();
    }

    @ProtoField(number = 10, defaultValue = "0")
    long getSdpVersion(DialogLeg leg) {
        return leg.sdpVersion();
    }

    /** Added after the first release: legs stored before read 0, "none yet". */
    @ProtoField(number = 11, defaultValue = "0")
    long getRemoteCseq(DialogLeg leg) {
        return leg.remoteCseq();
    }
}
