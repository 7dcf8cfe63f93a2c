package io.callpark.flow;

import io.callpark.sip.Identity;
import io.callpark.sip.Responder;
import io.callpark.store.ParkStore;
import io.callpark.media.MusicOnHold;
import io.callpark.park.AudioOffer;
import io.callpark.park.MediaBinding;
import io.callpark.media.MediaRejectedException;
import io.callpark.media.SdpCodec;
import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import io.callpark.park.DialogLeg;
import io.callpark.sip.InboundRequest;
import io.callpark.sip.SipHeaders;

import javax.sip.message.Response;
import java.util.Optional;
import java.util.logging.Logger;

/** In-dialog requests from a caller who is parked: hanging up, and re-INVITEs (hold, unhold, refresh). */
final class ParkedLegFlow {

    private static final Logger LOG = Logger.getLogger(ParkedLegFlow.class.getName());

    private final ThisNode here;
    private final Responder responder;
    private final ParkStore parks;
    private final MusicOnHold music;
    private final ParkExit exit;

    ParkedLegFlow(ThisNode here, Responder responder, ParkStore parks, MusicOnHold music, ParkExit exit) {
        this.here = here;
        this.responder = responder;
        this.parks = parks;
        this.music = music;
        this.exit = exit;
    }

    void bye(InboundRequest in, ParkedCall call) {
        responder.respond(in, Response.OK, "OK");
        exit.abandon(call, false, "caller hung up");
    }

    void reInvite(InboundRequest in, ParkedCall call) {
        music.heard(call.streamKey()); // the caller is there, whatever its RTP did
        if (call.state() == ParkState.JOINING) {
            // our own re-INVITE (the join) is in flight on this dialog: RFC 3261 14.2 glare
            responder.respond(in, Response.REQUEST_PENDING, "Request Pending: call is being retrieved");
            return;
        }
        Optional<String> sdp = SipHeaders.sdpBody(in.request());
        MediaBinding media = call.media();
        if (sdp.isPresent()) {
            try {
                AudioOffer offer = SdpCodec.parse(sdp.get())
                        .sentFrom(Identity.sourceHost(in.request()).orElse(media.remoteHost()));
                media = media.updatedBy(offer);
            } catch (MediaRejectedException e) {
                responder.respond(in, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here: " + e.getMessage(),
                        e.getMessage());
                return;
            }
        }
        boolean changed = !media.equals(call.media());
        DialogLeg leg = changed ? call.leg().nextSdpVersion() : call.leg();
        String target = SipHeaders.contactUri(in.request())
                .orElse(leg.remoteTarget());
        ParkedCall updated = call.withMedia(media).withLeg(leg.refreshedBy(target, in.cseq()));
        if (parks.replace(call, updated).isEmpty()) {
            // a retrieve claimed the call (or it left) since we read it: the caller retries after 491
            responder.respond(in, Response.REQUEST_PENDING, "Request Pending: call is changing state");
            return;
        }
        MediaBinding answered = media;
        String answer = SdpCodec.musicSdp(here.address(), answered.localPort(), answered,
                answered.callerSends().answer(), leg.sdpSessionId(), leg.sdpVersion());
        responder.answer(in, updated.leg(), answer, () -> LOG.fine(call.describe() + ": re-INVITE not acknowledged"));
        music.play(updated.streamKey(), answered);
        LOG.info(call.describe() + ": caller re-INVITE, music " + (answered.playing() ? "playing" : "paused"));
    }
}
