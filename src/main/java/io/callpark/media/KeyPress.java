package io.callpark.media;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A key pressed by a parked caller, read from an RFC 4733 telephone-event RTP packet. A key is sent as several
 * packets with the same RTP timestamp (and the end packet three times): the timestamp tells one press from the
 * next.
 *
 * @param key       '0'-'9', '*' or '#'
 * @param timestamp the RTP timestamp of the event
 */
public record KeyPress(char key, long timestamp) {

    private static final String KEYS = "0123456789*#";
    private static final int RTP_HEADER = 12;

    /** The key in an RTP packet of the caller's telephone-event payload type; empty for anything else. */
    public static Optional<KeyPress> of(ByteBuffer packet, int telephoneEvent) {
        if (telephoneEvent < 0 || packet.remaining() < RTP_HEADER + 4) {
            return Optional.empty();
        }
        int start = packet.position();
        int first = packet.get(start) & 0xff;
        int payloadType = packet.get(start + 1) & 0x7f;
        if (first >> 6 != 2 || payloadType != telephoneEvent) {
            return Optional.empty();
        }
        int csrcs = first & 0x0f;
        int payload = start + RTP_HEADER + 4 * csrcs;
        if ((first & 0x10) != 0) { // header extension: 4 bytes + its length in words
            if (packet.limit() < payload + 4) {
                return Optional.empty();
            }
            payload += 4 + 4 * (packet.getShort(payload + 2) & 0xffff);
        }
        if (packet.limit() < payload + 4) {
            return Optional.empty();
        }
        int event = packet.get(payload) & 0xff;
        long timestamp = packet.getInt(start + 4) & 0xffffffffL;
        return event < KEYS.length() ? Optional.of(new KeyPress(KEYS.charAt(event), timestamp)) : Optional.empty();
    }
}
