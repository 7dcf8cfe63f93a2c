package io.callpark.media;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtpPortPoolTest {

    private static int port(DatagramChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    @Test
    void handsOutEachEvenPortOfTheRangeOnceUntilItIsReleased() throws Exception {
        RtpPortPool pool = new RtpPortPool("127.0.0.1", 12101, 12108); // even ports 12102..12108: four
        List<DatagramChannel> channels = new ArrayList<>();
        try {
            Set<Integer> ports = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                DatagramChannel channel = pool.allocate();
                channels.add(channel);
                assertTrue(ports.add(port(channel)));
            }
            assertEquals(Set.of(12102, 12104, 12106, 12108), ports);
            assertThrows(IOException.class, pool::allocate, "the range is busy");

            pool.release(12104);
            assertFalse(channels.get(1).isOpen(), "a released port's channel is closed");
            DatagramChannel again = pool.allocate();
            channels.add(again);
            assertEquals(12104, port(again), "and its port is handed out again");
            pool.release(12105);
            pool.release(40000);
            assertTrue(again.isOpen(), "ports the pool never gave are ignored");
        } finally {
            for (DatagramChannel channel : channels) {
                channel.close();
            }
        }
    }
}
