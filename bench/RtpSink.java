import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Receives the music of many parked calls on one UDP port (every benchmark caller's SDP points here) and reports,
 * per measuring window, how many streams arrive, how many of them arrive complete, and how evenly a sample of them
 * arrives.
 *
 * <pre>java bench/RtpSink.java HOST PORT</pre>
 * Reads commands from stdin: {@code measure SECONDS [SAMPLE]} prints one line
 * {@code streams=N complete=M packets=P pps=R sampled=K gap_p99_ms=G gap_worst_p99_ms=W gap_max_ms=X} where a
 * stream is one sending address and a complete one delivered at least 95% of the 50 packets a second a 20 ms
 * stream sends in the window. The first SAMPLE streams (default 50) heard after the window opens have the gap
 * between each two consecutive packets recorded (arrival time in this process): {@code gap_p99_ms} is the 99th
 * percentile of all their gaps together, {@code gap_worst_p99_ms} the highest 99th percentile of one stream,
 * {@code gap_max_ms} the longest gap (nearest-rank percentiles; 20 ms is a stream on time). {@code quit} ends it.
 */
public final class RtpSink {

    private static final Map<SocketAddress, LongAdder> COUNTS = new ConcurrentHashMap<>();
    private static final int DEFAULT_SAMPLE = 50;
    private static volatile GapSample window; // the open window's sample; null between windows

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
                measure(Double.parseDouble(words[1]), words.length > 2 ? Integer.parseInt(words[2]) : DEFAULT_SAMPLE);
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
                long now = System.nanoTime();
                COUNTS.computeIfAbsent(from, a -> new LongAdder()).increment();
                GapSample sample = window;
                if (sample != null) {
                    sample.arrived(from, now);
                }
            }
        } catch (Exception e) {
            // channel closed: done
        }
    }

    private static void measure(double seconds, int sampleSize) throws InterruptedException {
        GapSample sample = new GapSample(sampleSize, (int) (seconds * 50 * 2) + 16);
        Map<SocketAddress, Long> before = snapshot();
        window = sample;
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        window = null;
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
        System.out.printf(Locale.ROOT, "streams=%d complete=%d packets=%d pps=%.0f %s%n", streams, complete, packets,
                packets / elapsed, sample.summary());
    }

    private static Map<SocketAddress, Long> snapshot() {
        Map<SocketAddress, Long> copy = new HashMap<>();
        COUNTS.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** Nearest-rank percentile of sorted values (0 when there are none). */
    static long percentile(long[] sorted, int length, double p) {
        if (length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * length);
        return sorted[Math.max(0, Math.min(length, rank) - 1)];
    }

    /** Inter-arrival gaps of the first streams heard in one window (written by the receiver, read after it). */
    static final class GapSample {

        private final int streams;
        private final int gapsPerStream;
        private final Map<SocketAddress, StreamGaps> sampled = new LinkedHashMap<>();

        GapSample(int streams, int gapsPerStream) {
            this.streams = streams;
            this.gapsPerStream = gapsPerStream;
        }

        synchronized void arrived(SocketAddress from, long nanos) {
            StreamGaps gaps = sampled.get(from);
            if (gaps == null) {
                if (sampled.size() >= streams) {
                    return;
                }
                gaps = new StreamGaps(gapsPerStream);
                sampled.put(from, gaps);
            }
            gaps.arrived(nanos);
        }

        synchronized String summary() {
            long[] all = new long[sampled.size() * gapsPerStream];
            int total = 0;
            long worstP99 = 0;
            for (StreamGaps gaps : sampled.values()) {
                long[] own = Arrays.copyOf(gaps.gaps, gaps.count);
                Arrays.sort(own);
                worstP99 = Math.max(worstP99, percentile(own, own.length, 99));
                System.arraycopy(own, 0, all, total, own.length);
                total += own.length;
            }
            Arrays.sort(all, 0, total);
            return String.format(Locale.ROOT, "sampled=%d gap_p99_ms=%.1f gap_worst_p99_ms=%.1f gap_max_ms=%.1f",
                    sampled.size(), percentile(all, total, 99) / 1e6, worstP99 / 1e6,
                    (total == 0 ? 0 : all[total - 1]) / 1e6);
        }
    }

    /** One stream's gaps between consecutive packets, in nanoseconds; gaps past the capacity are not kept. */
    static final class StreamGaps {

        final long[] gaps;
        int count;
        private long last = -1;

        StreamGaps(int capacity) {
            gaps = new long[capacity];
        }

        void arrived(long nanos) {
            if (last >= 0 && count < gaps.length) {
                gaps[count++] = nanos - last;
            }
            last = nanos;
        }
    }
}
