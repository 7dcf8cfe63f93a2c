package io.callpark.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A phone's RTP port: counts the RTP packets that arrive, and who sent them. */
public final class RtpCounter implements AutoCloseable {

    private final DatagramSocket socket;
    private final AtomicInteger packets = new AtomicInteger();
    private final AtomicLong lastArrival = new AtomicLong();
    private volatile int lastPayloadType = -1;
    private volatile int lastPayloadSize = -1;
    private volatile byte[] lastPayload = new byte[0];
    private volatile InetSocketAddress lastSender;
    private final Thread reader;

    public RtpCounter(String address) throws SocketException {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        } catch (IOException e) {
            throw new SocketException("cannot bind RTP on " + address + ": " + e.getMessage());
        }
        reader = new Thread(this::read, "rtp-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void read() {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                socket.receive(packet);
                if (packet.getLength() >= 12 && (buffer[0] & 0xC0) == 0x80) {
                    lastPayloadType = buffer[1] & 0x7f;
                    lastPayloadSize = packet.getLength() - 12;
                    lastPayload = java.util.Arrays.copyOfRange(buffer, 12, packet.getLength());
                    lastSender = (InetSocketAddress) packet.getSocketAddress();
                    lastArrival.set(System.nanoTime());
                    packets.incrementAndGet();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    public int count() {
        return packets.get();
    }

    public int lastPayloadType() {
        return lastPayloadType;
    }

    public int lastPayloadSize() {
        return lastPayloadSize;
    }

    /**
     * Presses a key the way a phone does (RFC 4733): three telephone-event packets of one event, the last two
     * marked as its end, from this RTP port to {@code to}.
     */
    public void pressKey(char key, InetSocketAddress to, int payloadType) throws IOException {
        int event = "0123456789*#".indexOf(key);
        int timestamp = (int) System.nanoTime();
        for (int i = 0; i < 3; i++) {
            byte[] packet = java.nio.ByteBuffer.allocate(16).put((byte) 0x80).put((byte) payloadType)
                    .putShort((short) (keySequence++)).putInt(timestamp).putInt(0x5eed)
                    .put((byte) event).put((byte) (i == 0 ? 10 : 0x80 | 10)).putShort((short) (160 * (i + 1)))
                    .array();
            socket.send(new DatagramPacket(packet, packet.length, to));
        }
    }

    private int keySequence;

    /** The audio bytes of the last packet (after the 12-byte RTP header). */
    public byte[] lastPayload() {
        return lastPayload.clone();
    }

    public InetSocketAddress lastSender() {
        return lastSender;
    }

    /** Waits until {@code more} packets beyond the current count have arrived; false on timeout. */
    public boolean awaitMore(int more, Duration timeout) {
        int target = count() + more;
        return Wait.until(() -> count() >= target, timeout);
    }

    /** True when no packet arrives for {@code quiet} (checked within {@code timeout}). */
    public boolean awaitSilence(Duration quiet, Duration timeout) {
        return Wait.until(() -> System.nanoTime() - lastArrival.get() >= quiet.toNanos(), timeout);
    }

    @Override
    public void close() {
        socket.close();
    }
}
