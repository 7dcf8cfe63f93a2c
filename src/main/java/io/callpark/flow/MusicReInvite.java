package io.callpark.flow;

import io.callpark.sip.Transactions;
import io.callpark.sip.Requests;
import io.callpark.park.MediaBinding;
import io.callpark.park.MediaDirection;
import io.callpark.media.SdpCodec;
import io.callpark.park.DialogLeg;
import io.callpark.sip.SipHeaders;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Offers a parked caller our music with a re-INVITE (after a join that failed, or when a node adopts the call)
 * and ACKs a 2xx; the caller decides what the outcome means for the stored call.
 */
final class MusicReInvite {

    /**
     * @param status the final status (408 when nothing came back)
     * @param leg    the leg after the answer (remote target refreshed by a 2xx Contact)
     * @param media  the stream as the caller's answer left it
     */
    record Outcome(int status, DialogLeg leg, MediaBinding media) {
        boolean accepted() {
            return status / 100 == 2;
        }
    }

    private MusicReInvite() {
    }

    /** Sends the offer on {@code leg} (its CSeq and SDP version already advanced and stored). */
    static CompletableFuture<Outcome> send(Requests requests, Transactions transactions, String address, DialogLeg leg,
                                           MediaBinding media) {
        Request reInvite = requests.inDialog(leg, Request.INVITE, SdpCodec.musicSdp(address, media.localPort(), media,
                MediaDirection.SENDRECV, leg.sdpSessionId(), leg.sdpVersion()));
        return transactions.send(reInvite).handle((response, error) -> {
            if (response == null || response.getStatusCode() / 100 != 2) {
                return new Outcome(response == null ? Response.REQUEST_TIMEOUT : response.getStatusCode(), leg, media);
            }
            DialogLeg refreshed = Legs.refreshTarget(leg, response);
            transactions.ack(refreshed, Optional.empty());
            // the music keeps going to the address the caller's signalling came from, whatever its answer names
            MediaBinding answered = SipHeaders.sdpBody(response).flatMap(SdpCodec::tryParse)
                    .map(offer -> media.updatedBy(offer.sentFrom(media.remoteHost()))).orElse(media);
            return new Outcome(response.getStatusCode(), refreshed, answered);
        });
    }
}
