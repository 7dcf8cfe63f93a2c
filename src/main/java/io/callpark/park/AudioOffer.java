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

    /**
     * The offer with its media sent to {@code signallingHost}, the address the party's signalling came from:
     * never to a third address its SDP names (which would make us a reflector for whoever wrote it).
     */
    public AudioOffer sentFrom(String signallingHost) {
        return new AudioOffer(signallingHost, port, codecs, telephoneEvent, direction);
    }
}
