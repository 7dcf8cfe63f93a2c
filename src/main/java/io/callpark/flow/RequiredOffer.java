package io.callpark.flow;

import io.callpark.sip.Responder;
import io.callpark.sip.InboundRequest;
import io.callpark.sip.SipHeaders;

import javax.sip.message.Response;
import java.util.Optional;

/**
 * Park and retrieve need the phone's SDP in its INVITE; an INVITE without one (delayed offer) is refused with
 * 488 and a Warning that says so.
 */
final class RequiredOffer {

    private RequiredOffer() {
    }

    /** The SDP offer of the INVITE, or empty after the 488 went out. */
    static Optional<String> of(Responder responder, InboundRequest in) {
        Optional<String> sdp = SipHeaders.sdpBody(in.request());
        if (sdp.isEmpty()) {
            responder.respond(in, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here: SDP offer required",
                    "send the INVITE with an SDP offer (PCMU or PCMA)");
        }
        return sdp;
    }
}
