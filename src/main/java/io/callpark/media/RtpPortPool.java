package io.callpark.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Hands out even RTP ports from the configured range, each with its bound non-blocking channel. */
public final class RtpPortPool {

    private final String address;
    private final int first;
    private final int last;
    private final AtomicInteger nextSlot = new AtomicInteger();
    private final Map<Integer, DatagramChannel> bound = new ConcurrentHashMap<>();

    public RtpPortPool(String address, int first, int last) {
        this.address = address;
        this.first = first + (first & 1);
        this.last = last;
    }

    /** Binds the next free even port; throws when the whole range is busy. */
    public DatagramChannel allocate() throws IOException {
        int slots = (last - first) / 2 + 1;
        for (int attempt = 0; attempt < slots; attempt++) {
            int port = first + 2 * Math.floorMod(nextSlot.getAndIncrement(), slots);
            if (bound.containsKey(port)) {
                continue;
            }
            DatagramChannel channel = DatagramChannel.open();
            try {
                channel.bind(new InetSocketAddress(address, port));
                channel.configureBlocking(false);
            } catch (IOException e) {
                channel.close();
                continue;
            }
            if (bound.putIfAbsent(port, channel) == null) {
                return channel;
            }
            channel.close();
        }
        throw new IOException("no free RTP port in " + first + "-" + last);
    }

    public void release(int port) {
        DatagramChannel channel = bound.remove(port);
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a UDP socket has nothing to flush
            }
        }
    }
}
