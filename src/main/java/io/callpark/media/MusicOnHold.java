package io.callpark.media;

import io.callpark.park.MediaBinding;
import io.callpark.park.Shared;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays hold music to every parked caller of this node: one 20 ms tick sends the next RTP packet of every stream
 * through non-blocking sockets, so a thousand parked calls cost one thread and a few bytes each.
 */
public final class MusicOnHold {

    private static final Logger LOG = Logger.getLogger(MusicOnHold.class.getName());
    private static final int RTP_HEADER = 12;

    private final MusicLibrary library;
    private final RtpPortPool ports;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final ByteBuffer packet = ByteBuffer.allocate(RTP_HEADER + HoldMusic.FRAME_SAMPLES);
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long LATE_NS = 2 * TICK_NS;
    private ScheduledFuture<?> ticker;
    /** when the tick running now was due (nanoTime); ticks run one at a time on the scheduler */
    private long due;
    private KeyReceiver keys;
    private volatile Consumer<String> closed = key -> { };

    private static final class Stream {
        final DatagramChannel channel;
        final HoldMusic music;
        volatile String group;
        volatile boolean committed;
        final int ssrc = ThreadLocalRandom.current().nextInt();
        volatile InetSocketAddress target;
        volatile int payloadType;
        volatile int telephoneEvent = -1;
        volatile boolean playing;
        int sequence = ThreadLocalRandom.current().nextInt(0x10000);
        long timestamp = ThreadLocalRandom.current().nextInt() & 0xffffffffL;
        long frame;

        Stream(DatagramChannel channel, String group, HoldMusic music) {
            this.channel = channel;
            this.group = group;
            this.music = music;
        }
    }

    /** @param nodeMusic what plays to callers of tenants that named no music file of their own */
    public MusicOnHold(HoldMusic nodeMusic, RtpPortPool ports) {
        this.library = new MusicLibrary(nodeMusic);
        this.ports = ports;
    }

    /** @param keyPresses told of keys pressed by the callers whose streams listen for them */
    public void start(ScheduledExecutorService scheduler, ThreadFactory threads, BiConsumer<String, Character> keyPresses)
            throws IOException {
        keys = new KeyReceiver(keyPresses::accept, threads);
        ticker = scheduler.scheduleAtFixedRate(this::tick, 20, 20, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        streams.keySet().forEach(this::close);
        if (keys != null) {
            keys.stop();
        }
    }

    /**
     * Opens a local RTP port for a call about to be parked; returns the port for our SDP.
     *
     * @param group     the streams that are reconciled together (the calls of one extension)
     * @param musicFile the tenant's music (a WAV file), or empty for the node's
     * @param listen    whether to listen for the keys the caller presses (RFC 4733)
     */
    public int open(String key, String group, Optional<String> musicFile, boolean listen) throws IOException {
        if (streams.containsKey(key)) {
            throw new IllegalStateException("stream " + key + " is already open");
        }
        HoldMusic music = library.of(musicFile);
        DatagramChannel channel = ports.allocate();
        Stream stream = new Stream(channel, group, music);
        streams.put(key, stream);
        if (listen) {
            keys.watch(key, channel, () -> stream.telephoneEvent,
                    () -> stream.target == null ? null : stream.target.getAddress());
        }
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** Where the caller receives: an address given as one is shared by every stream to it, a name is resolved. */
    private static InetSocketAddress target(MediaBinding binding) {
        try {
            return new InetSocketAddress(Shared.value(InetAddress.ofLiteral(binding.remoteHost())),
                    binding.remotePort());
        } catch (IllegalArgumentException notAnAddress) {
            return new InetSocketAddress(binding.remoteHost(), binding.remotePort());
        }
    }

    /** Points the call's stream at the caller as the binding says, playing or paused by its direction. */
    public void play(String key, MediaBinding binding) {
        Stream stream = streams.get(key);
        if (stream == null) {
            return;
        }
        stream.target = target(binding);
        stream.payloadType = binding.codec();
        stream.telephoneEvent = binding.telephoneEvent();
        stream.playing = binding.playing();
        stream.committed = true;
    }

    /** The streams of {@code group} that were played (their call was stored): the ones a change there concerns. */
    public java.util.List<String> playedIn(String group) {
        return streams.entrySet().stream()
                .filter(e -> e.getValue().committed && e.getValue().group.equals(group))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The stream's call now waits in another group (it was moved to another extension). */
    public void regroup(String key, String group) {
        Stream stream = streams.get(key);
        if (stream != null) {
            stream.group = group;
        }
    }

    /** Tells {@code listener} the key of every stream that closes (its call left this node). */
    public void whenClosed(Consumer<String> listener) {
        this.closed = listener;
    }

    /** Stops the music for good and frees the port. */
    public void close(String key) {
        Stream stream = streams.remove(key);
        if (stream != null) {
            closed.accept(key);
            keys.unwatch(key);
            try {
                ports.release(((InetSocketAddress) stream.channel.getLocalAddress()).getPort());
            } catch (IOException e) {
                LOG.log(Level.FINE, "RTP port of " + key + " already closed", e);
            }
        }
    }

    public boolean has(String key) {
        return streams.containsKey(key);
    }

    public int streamCount() {
        return streams.size();
    }

    private void tick() {
        // a tick more than two frames late is the scheduler catching up after a stall: its frames are skipped
        // (timestamps move on) rather than sent in a burst that would overrun the phones' jitter buffers
        long now = System.nanoTime();
        if (due == 0) {
            due = now;
        }
        boolean catchingUp = now - due > LATE_NS;
        due += TICK_NS;
        for (Stream stream : streams.values()) {
            if (!stream.playing || stream.target == null) {
                continue;
            }
            if (catchingUp) {
                stream.timestamp = (stream.timestamp + HoldMusic.FRAME_SAMPLES) & 0xffffffffL;
                stream.frame++;
                continue;
            }
            try {
                send(stream);
            } catch (IOException e) {
                LOG.log(Level.FINE, "RTP send to " + stream.target + " failed", e);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "RTP tick failed", e);
            }
        }
    }

    private void send(Stream stream) throws IOException {
        packet.clear();
        packet.put((byte) 0x80);
        packet.put((byte) (stream.payloadType & 0x7f | (stream.frame == 0 ? 0x80 : 0)));
        packet.putShort((short) stream.sequence);
        packet.putInt((int) stream.timestamp);
        packet.putInt(stream.ssrc);
        stream.music.frame(stream.payloadType, stream.frame, packet);
        packet.flip();
        stream.channel.send(packet, stream.target);
        stream.sequence = (stream.sequence + 1) & 0xffff;
        stream.timestamp = (stream.timestamp + HoldMusic.FRAME_SAMPLES) & 0xffffffffL;
        stream.frame++;
    }
}
