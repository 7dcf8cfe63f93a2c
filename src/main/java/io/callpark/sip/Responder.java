package io.callpark.sip;

import io.callpark.park.DialogLeg;
import io.callpark.park.Party;

import java.util.Optional;

/** Answers to the requests this node received. */
public interface Responder {

    void respond(InboundRequest in, int status, String reason);

    /** A response whose {@code warning} goes into a Warning header (code 399) too, for phones that hide reasons. */
    void respond(InboundRequest in, int status, String reason, String warning);

    /**
     * 503 with Retry-After: this node cannot take the request now, another node (Kamailio tries the next on a 5xx)
     * or this one later may.
     */
    void unavailable(InboundRequest in, String why, int retryAfterSeconds);

    /**
     * Answers an INVITE with 200 OK and SDP (empty: none) on the leg, retransmitted until the ACK arrives.
     * False if the 200 could not be sent (the transaction was ended by a CANCEL).
     *
     * @param onNoAck runs on the call's lane when no ACK came within 64*T1
     */
    default boolean answer(InboundRequest in, DialogLeg leg, String sdp, Runnable onNoAck) {
        return answer(in, leg, sdp, Optional.empty(), onNoAck);
    }

    /**
     * {@link #answer(InboundRequest, DialogLeg, String, Runnable)} naming who answers: the P-Asserted-Identity (RFC
     * 3325) of the party on the other side (the parked caller, to the retriever).
     */
    boolean answer(InboundRequest in, DialogLeg leg, String sdp, Optional<Party> identity, Runnable onNoAck);

    /**
     * Accepts a SUBSCRIBE with 200 OK (RFC 6665 4.2.1.1): our tag, our Contact with {@code contactUser} (which the
     * watcher's refreshes carry back) and the granted Expires.
     */
    void subscribed(InboundRequest in, String localTag, String contactUser, int expires);

    /** 423 Interval Too Brief with Min-Expires (RFC 6665 4.2.1.1). */
    void intervalTooBrief(InboundRequest in, int minExpires);

    /** 489 Bad Event with Allow-Events naming the event packages served (RFC 6665 8.3.1). */
    void badEvent(InboundRequest in, String allowEvents);
}
