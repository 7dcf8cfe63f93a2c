package io.callpark.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * An attacker on the host: sends a hand-written SIP request from an address it borrows (bound with SO_REUSEADDR,
 * as a local process can share the UDP port of a Kamailio that set the option) and reads the answer on a socket
 * of its own on the borrowed IP (a response goes to the source IP and the Via's port, RFC 3261 18.2.2), named in
 * the Via without rport, so the borrowed port is held only for the send.
 */
public final class ForgedSender implements AutoCloseable {

    private final DatagramSocket replies;

    public ForgedSender(String replyAddress) throws IOException {
        replies = new DatagramSocket(new InetSocketAddress(replyAddress, 0));
    }

    /** Where the Via of a forged request must point to get the answer here. */
    public String viaSentBy() {
        return replies.getLocalAddress().getHostAddress() + ":" + replies.getLocalPort();
    }

    public void sendFrom(InetSocketAddress borrowed, InetSocketAddress to, String message) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(true);
            socket.bind(borrowed);
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, to));
        }
    }

    /** The first final response (status >= 200) that arrives within {@code timeout}. */
    public Optional<String> awaitFinal(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[65535];
        while (System.nanoTime() < deadline) {
            replies.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                replies.receive(packet);
            } catch (SocketTimeoutException e) {
                break;
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            if (text.startsWith("SIP/2.0 ") && text.charAt(8) != '1') {
                return Optional.of(text);
            }
        }
        return Optional.empty();
    }

    public static InetSocketAddress at(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new IllegalArgumentException(host, e);
        }
    }

    @Override
    public void close() {
        replies.close();
    }
}
