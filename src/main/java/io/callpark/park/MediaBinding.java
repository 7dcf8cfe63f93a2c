package io.callpark.park;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a parked call's music comes from and goes to; stored with the parked call.
 *
 * @param node           the node that plays the music (owns the local port)
 * @param localPort      our RTP port on that node
 * @param remoteHost     where the caller receives RTP
 * @param remotePort     its RTP port
 * @param codecs         the G.711 payload types the caller accepts; we send the first
 * @param telephoneEvent the caller's telephone-event payload type, or -1
 * @param callerSends    the direction the caller last wrote (it decides whether we send)
 */
public record MediaBinding(String node, int localPort, String remoteHost, int remotePort, List<Integer> codecs,
                           int telephoneEvent, MediaDirection callerSends) {

    public MediaBinding {
        node = Shared.text(node);
        remoteHost = Shared.text(remoteHost); // callers' media mostly comes from a few relays
        codecs = Shared.list(codecs);
    }

    public static MediaBinding of(String node, int localPort, AudioOffer offer) {
        return new MediaBinding(node, localPort, offer.host(), offer.port(), offer.codecs(), offer.telephoneEvent(),
                offer.direction());
    }

    /** The payload type we send. */
    public int codec() {
        return codecs.get(0);
    }

    /** Whether the caller wants to receive music in the current offer/answer state. */
    public boolean playing() {
        return callerSends == MediaDirection.SENDRECV || callerSends == MediaDirection.RECVONLY;
    }

    public MediaBinding updatedBy(AudioOffer offer) {
        List<Integer> accepted = new ArrayList<>(offer.codecs());
        if (accepted.remove(Integer.valueOf(codec()))) {
            accepted.add(0, codec()); // keep sending the law we started with
        }
        return new MediaBinding(node, localPort, offer.host(), offer.port(), accepted, offer.telephoneEvent(),
                offer.direction());
    }
}
