package io.callpark.park;

import java.util.List;

/**
 * What a party's SDP says about its audio stream, reduced to what music on hold needs.
 *
 * @param host            where the party receives RTP
 * @param port            its RTP port
 * @param codecs          the G.711 payload types it accepts, in its order of preference
 * @param telephoneEvent  its RFC 4733 payload type, or -1
 * @param direction       the direction the party wrote
 */
public record AudioOffer(String host, int port, List<Integer> codecs, int telephoneEvent, MediaDirection direction) {

    public AudioOffer {
        codecs = List.copyOf(codecs);
    }
}
