package io.callpark.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Hands out even RTP ports from the configured range, each with its bound non-blocking channel. The channels are
 * kept by slot in one array of the range's size (4 bytes a port), not in a map entry of every call's.
 */
public final class RtpPortPool {

    private final String address;
    private final int first;
    private final AtomicInteger nextSlot = new AtomicInteger();
    /** The channel bound at port {@code first + 2 * slot}, or null. */
    private final AtomicReferenceArray<DatagramChannel> bound;

    public RtpPortPool(String address, int first, int last) {
        this.address = address;
        this.first = first + (first & 1);
        this.bound = new AtomicReferenceArray<>(Math.max(0, (last - this.first) / 2 + 1));
    }

    /** Binds the next free even port; throws when the whole range is busy. */
    public DatagramChannel allocate() throws IOException {
        int slots = bound.length();
        for (int attempt = 0; attempt < slots; attempt++) {
            int slot = Math.floorMod(nextSlot.getAndIncrement(), slots);
            if (bound.get(slot) != null) {
                continue;
            }
            DatagramChannel channel = DatagramChannel.open();
            try {
                channel.bind(new InetSocketAddress(address, first + 2 * slot));
                channel.configureBlocking(false);
            } catch (IOException e) {
                channel.close();
                continue;
            }
            if (bound.compareAndSet(slot, null, channel)) {
                return channel;
            }
            channel.close();
        }
        throw new IOException("no free RTP port in " + first + "-" + (first + 2 * (slots - 1)));
    }

    public void release(int port) {
        int slot = (port - first) / 2;
        if (port < first || (port - first) % 2 != 0 || slot >= bound.length()) {
            return;
        }
        DatagramChannel channel = bound.getAndSet(slot, null);
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a UDP socket has nothing to flush
            }
        }
    }
}
