package io.callpark.park;

import java.util.List;
import java.util.Objects;

/**
 * Everything needed to send an in-dialog request on one leg, kept in the replicated state so that any node can
 * re-INVITE or BYE the party without a node-local dialog object.
 *
 * @param callId       the dialog's Call-ID
 * @param localTag     our tag
 * @param remoteTag    the party's tag
 * @param localParty   our name-addr without tag (From of the requests we send)
 * @param remoteParty  the party's name-addr without tag (To of the requests we send)
 * @param remoteTarget the party's Contact URI: Request-URI of the requests we send
 * @param routeSet     Route headers in sending order
 * @param localCseq    last CSeq number we used on this leg
 * @param sdpSessionId o= session id of the SDP we send on this leg
 * @param sdpVersion   o= version of the last SDP we sent on this leg
 * @param remoteCseq   highest CSeq number of a request the party sent on this leg (0: none yet): a lower one is
 *                     out of order (RFC 3261 12.2.2)
 */
public record DialogLeg(
        String callId,
        String localTag,
        String remoteTag,
        String localParty,
        String remoteParty,
        String remoteTarget,
        List<String> routeSet,
        long localCseq,
        long sdpSessionId,
        long sdpVersion,
        long remoteCseq) {

    public DialogLeg {
        localParty = Shared.text(localParty); // our side: the park's own address, the same for many calls
        remoteTarget = Shared.text(remoteTarget); // calls from a trunk or a media gateway share its Contact
        routeSet = Shared.texts(routeSet);
    }

    /**
     * Whether a request with this Call-ID, our tag {@code localTag} and the far end's {@code remoteTag} is in this
     * dialog (RFC 3261 12.2.2): what a node checks before it acts on an in-dialog request.
     */
    public boolean isDialogOf(String callId, String localTag, String remoteTag) {
        return this.callId.equals(callId) && this.localTag.equals(localTag)
                && Objects.equals(this.remoteTag, remoteTag);
    }

    /** The leg after we send one more request on it. */
    public DialogLeg nextCseq() {
        return new DialogLeg(callId, localTag, remoteTag, localParty, remoteParty, remoteTarget, routeSet,
                localCseq + 1, sdpSessionId, sdpVersion, remoteCseq);
    }

    /** The leg after we send a new SDP on it. */
    public DialogLeg nextSdpVersion() {
        return new DialogLeg(callId, localTag, remoteTag, localParty, remoteParty, remoteTarget, routeSet,
                localCseq, sdpSessionId, sdpVersion + 1, remoteCseq);
    }

    public DialogLeg withRemoteTarget(String target) {
        return refreshedBy(target, 0);
    }

    /** The leg after the party's request {@code cseq} (a re-INVITE) named {@code target} as its Contact. */
    public DialogLeg refreshedBy(String target, long cseq) {
        return new DialogLeg(callId, localTag, remoteTag, localParty, remoteParty, target, routeSet,
                localCseq, sdpSessionId, sdpVersion, Math.max(remoteCseq, cseq));
    }

    /** Whether the party's request {@code cseq} comes after one it sent later (RFC 3261 12.2.2: refused, 500). */
    public boolean isOutOfOrder(long cseq) {
        return remoteCseq > 0 && cseq < remoteCseq;
    }
}
