import io.callpark.media.HoldMusic;
import io.callpark.media.MusicOnHold;
import io.callpark.media.RtpPortPool;
import io.callpark.park.MediaBinding;
import io.callpark.park.MediaDirection;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What listening for gone callers costs the music thread (docs/security.md, "Callers that are gone"): N parked
 * callers on one MusicOnHold, each sending 50 RTP packets a second to its port (as a phone does), the music sent to
 * a sink nobody reads. The music thread's CPU time is measured over 20 s with the listen off (silence 0) and on
 * (silence 60 s): the difference is what reading every caller's port once a second costs.
 * Run (after mvn package): java -cp target/classes bench/ListenCost.java [callers, default 1500]
 */
public class ListenCost {

    public static void main(String[] args) throws Exception {
        int callers = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        for (Duration silence : List.of(Duration.ZERO, Duration.ofSeconds(60), Duration.ZERO,
                Duration.ofSeconds(60))) {
            double ms = musicThreadCpuMsPerSecond(callers, silence);
            System.out.printf("%d callers, silence %s: music thread %.1f ms of CPU per second%n", callers,
                    silence.isZero() ? "off" : silence.toSeconds() + " s", ms);
        }
    }

    private static double musicThreadCpuMsPerSecond(int callers, Duration silence) throws Exception {
        AtomicReference<Thread> musicThread = new AtomicReference<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "music");
            musicThread.set(t);
            return t;
        });
        MusicOnHold music = new MusicOnHold(HoldMusic.of(new short[1600]),
                new RtpPortPool("127.0.0.1", 30000, 30000 + 2 * callers + 2), silence);
        music.start(scheduler, Thread.ofPlatform().factory(), (key, pressed) -> { });
        try (DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel phones = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int sinkPort = ((InetSocketAddress) sink.getLocalAddress()).getPort();
            int[] ports = new int[callers];
            for (int i = 0; i < callers; i++) {
                ports[i] = music.open("bench/" + i, "bench/ext", Optional.empty(), false);
                music.play("bench/" + i, new MediaBinding("bench", ports[i], "127.0.0.1", sinkPort, List.of(0), -1,
                        MediaDirection.SENDRECV));
            }
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread callersSend = Thread.ofPlatform().start(() -> {
                ByteBuffer rtp = ByteBuffer.allocate(172);
                long next = System.nanoTime();
                while (sending.get()) {
                    for (int port : ports) {
                        rtp.clear();
                        try {
                            phones.send(rtp, new InetSocketAddress("127.0.0.1", port));
                        } catch (Exception e) {
                            return;
                        }
                    }
                    next += 20_000_000L;
                    long pause = next - System.nanoTime();
                    if (pause > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(pause); // the phones' 20 ms packet clock
                    }
                }
            });
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000_000L); // warm-up: compiled, buffers full
            long cpu0 = threads.getThreadCpuTime(musicThread.get().threadId());
            long wall0 = System.nanoTime();
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000_000L);
            long cpu = threads.getThreadCpuTime(musicThread.get().threadId()) - cpu0;
            long wall = System.nanoTime() - wall0;
            sending.set(false);
            callersSend.join();
            return cpu / 1e6 / (wall / 1e9);
        } finally {
            music.stop();
            scheduler.shutdownNow();
        }
    }
}
