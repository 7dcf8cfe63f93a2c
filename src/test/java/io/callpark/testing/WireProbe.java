package io.callpark.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One hostile sender's UDP socket on a loopback address: sends raw datagrams (from itself, or from an address it
 * borrows, as {@link ForgedSender} does) and keeps every datagram that comes back, read on a virtual thread of its
 * own, so that many probes can wait for their answers at once.
 */
public final class WireProbe implements AutoCloseable {

    private final DatagramSocket socket;
    private final List<String> received = new CopyOnWriteArrayList<>();

    public WireProbe(String address) throws IOException {
        socket = new DatagramSocket(ForgedSender.at(address, 0));
        Thread.ofVirtual().name("probe-" + socket.getLocalPort()).start(this::read);
    }

    private void read() {
        byte[] buffer = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    /** {@code ip:port} of this socket, for a Via's sent-by or a Contact. */
    public String sentBy() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    public String host() {
        return socket.getLocalAddress().getHostAddress();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Sends from this socket (an element that answers to the source, as Kamailio does with rport, answers here). */
    public void send(InetSocketAddress to, byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    /**
     * Sends from {@code borrowed} (bound with SO_REUSEADDR beside its owner, for the send only); the answer comes
     * here only if the message's Via names this socket.
     */
    public static void sendFrom(InetSocketAddress borrowed, InetSocketAddress to, byte[] datagram)
            throws IOException {
        try (DatagramSocket forged = new DatagramSocket(null)) {
            forged.setReuseAddress(true);
            forged.bind(borrowed);
            forged.send(new DatagramPacket(datagram, datagram.length, to));
        } catch (SocketException e) {
            throw new IOException("cannot send from " + borrowed, e);
        }
    }

    /** Every datagram that came back so far. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** The responses among them (provisional ones too). */
    public List<String> responses() {
        return received.stream().filter(d -> d.startsWith("SIP/2.0 ")).toList();
    }

    /** The first final response (status 200-699) that came back. */
    public Optional<String> finalResponse() {
        return responses().stream().filter(r -> status(r) >= 200).findFirst();
    }

    /** The status code of the first final response, if one came back. */
    public Optional<Integer> finalStatus() {
        return finalResponse().map(WireProbe::status);
    }

    public boolean awaitFinal(Duration timeout) {
        return Wait.until(() -> finalResponse().isPresent(), timeout);
    }

    /** The status code of a response's status line; 0 if it has none. */
    public static int status(String response) {
        try {
            return Integer.parseInt(response.substring(8, 11));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The status line, for failure messages. */
    public static String firstLine(String message) {
        int end = message.indexOf('\r');
        return end < 0 ? message : message.substring(0, end);
    }

    @Override
    public void close() {
        socket.close();
    }
}
