import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Receives the music of many parked calls on one UDP port (every benchmark caller's SDP points here) and reports,
 * per measuring window, how many streams arrive and how many of them arrive complete.
 *
 * <pre>java bench/RtpSink.java HOST PORT</pre>
 * Reads commands from stdin: {@code measure SECONDS} prints one line
 * {@code streams=N complete=M packets=P pps=R} where a stream is one sending address and a complete one delivered
 * at least 95% of the 50 packets a second a 20 ms stream sends in the window. {@code quit} ends it.
 */
public final class RtpSink {

    private static final Map<SocketAddress, LongAdder> COUNTS = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
        channel.bind(new InetSocketAddress(args[0], Integer.parseInt(args[1])));
        Thread receiver = new Thread(() -> receive(channel), "rtp-sink");
        receiver.setDaemon(true);
        receiver.start();
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("measure")) {
                measure(Double.parseDouble(words[1]));
            } else if (words[0].equals("quit")) {
                break;
            }
        }
        channel.close();
    }

    private static void receive(DatagramChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        try {
            while (true) {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                COUNTS.computeIfAbsent(from, a -> new LongAdder()).increment();
            }
        } catch (Exception e) {
            // channel closed: done
        }
    }

    private static void measure(double seconds) throws InterruptedException {
        Map<SocketAddress, Long> before = snapshot();
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<SocketAddress, Long> after = snapshot();
        long packets = 0;
        int streams = 0;
        int complete = 0;
        double expected = 50 * elapsed * 0.95;
        for (Map.Entry<SocketAddress, Long> e : after.entrySet()) {
            long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (n > 0) {
                streams++;
                packets += n;
                if (n >= expected) {
                    complete++;
                }
            }
        }
        System.out.printf("streams=%d complete=%d packets=%d pps=%.0f%n", streams, complete, packets, packets / elapsed);
    }

    private static Map<SocketAddress, Long> snapshot() {
        Map<SocketAddress, Long> copy = new HashMap<>();
        COUNTS.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}
