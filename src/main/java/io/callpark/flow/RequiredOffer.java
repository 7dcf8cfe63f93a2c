package io.callpark.flow;

import io.callpark.media.MediaRejectedException;
import io.callpark.media.SdpCodec;
import io.callpark.sip.Identity;
import io.callpark.sip.Responder;
import io.callpark.sip.InboundRequest;
import io.callpark.sip.SipHeaders;

import javax.sip.message.Message;
import javax.sip.message.Response;
import java.util.Optional;

/**
 * Park and retrieve need the phone's SDP offer in its INVITE, and the address the proxy saw it come from (media goes
 * only there). An INVITE without an offer (delayed offer) or with a hostile one is refused with 488 and a Warning
 * that says why.
 */
final class RequiredOffer {

    /** What a flow makes of the offer, given the address its INVITE came from. */
    interface Use<T> {
        T apply(String sdp, String sourceHost) throws MediaRejectedException;
    }

    private RequiredOffer() {
    }

    /**
     * SDP a party sent (an offer, or an answer in a response or an ACK) with every address pointed at where the
     * proxy saw the message come from: what the other party's phone gets, so it sends its RTP to that party and
     * never to a third address the SDP names.
     */
    static String pointedAtSender(String sdp, Message from) throws MediaRejectedException {
        Optional<String> source = Identity.sourceHost(from);
        if (source.isEmpty()) {
            throw new MediaRejectedException("the proxy named no address the SDP came from");
        }
        return SdpCodec.pointedAt(sdp, source.get());
    }

    /** The INVITE's offer as {@code use} makes it, or empty after the refusal went out. */
    static <T> Optional<T> of(Responder responder, InboundRequest in, Use<T> use) {
        Optional<String> sdp = SipHeaders.sdpBody(in.request());
        if (sdp.isEmpty()) {
            responder.respond(in, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here: SDP offer required",
                    "send the INVITE with an SDP offer (PCMU or PCMA)");
            return Optional.empty();
        }
        Optional<String> source = Identity.sourceHost(in.request());
        if (source.isEmpty()) {
            responder.respond(in, Response.FORBIDDEN, "Forbidden: the proxy named no source address");
            return Optional.empty();
        }
        try {
            return Optional.of(use.apply(sdp.get(), source.get()));
        } catch (MediaRejectedException e) {
            responder.respond(in, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here: " + e.getMessage(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
