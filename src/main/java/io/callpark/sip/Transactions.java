package io.callpark.sip;

import io.callpark.park.DialogLeg;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Requests this node sends and their outcomes: every request ends, with its final response or a local 408. */
public interface Transactions {

    /**
     * Sends a request in a new client transaction; the future completes on the Call-ID's lane with the final
     * response, within 64*T1 in any case (a local 408 when nothing final came back).
     */
    CompletableFuture<Response> send(Request request);

    /** Sends an out-of-dialog INVITE that may ring a while; {@link OutgoingInvite#cancel()} CANCELs it. */
    OutgoingInvite sendInvite(Request invite);

    /** ACKs a 2xx to an INVITE we sent on the leg (the leg's CSeq is that INVITE's), with an SDP answer if any. */
    void ack(DialogLeg leg, Optional<String> sdp);
}
