package io.callpark.media;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeyPressTest {

    /** An RTP packet with a 4-byte RFC 4733 payload. */
    private static ByteBuffer packet(int payloadType, int event, long timestamp, boolean end) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.put((byte) 0x80).put((byte) payloadType).putShort((short) 7).putInt((int) timestamp).putInt(1234);
        b.put((byte) event).put((byte) (end ? 0x80 | 10 : 10)).putShort((short) 800);
        return b.flip();
    }

    @Test
    void theKeyOfATelephoneEventOfTheCallersPayloadType() {
        assertEquals(Optional.of(new KeyPress('5', 1000)), KeyPress.of(packet(101, 5, 1000, false), 101));
        assertEquals(Optional.of(new KeyPress('*', 7)), KeyPress.of(packet(101, 10, 7, true), 101));
        assertEquals(Optional.of(new KeyPress('#', 7)), KeyPress.of(packet(96, 11, 7, false), 96));
    }

    @Test
    void audioOtherEventsAndShortPacketsAreNoKeys() {
        assertEquals(Optional.empty(), KeyPress.of(packet(0, 5, 1, false), 101), "PCMU audio");
        assertEquals(Optional.empty(), KeyPress.of(packet(101, 16, 1, false), 101), "a flash, not a key");
        assertEquals(Optional.empty(), KeyPress.of(packet(101, 5, 1, false), -1), "no telephone-event offered");
        assertEquals(Optional.empty(), KeyPress.of(ByteBuffer.allocate(12), 101));
    }
}
