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
 * through non-blocking sockets, so a thousand parked calls cost one thread and a few bytes each. The same tick
 * listens to each caller once a second (a fiftieth of the streams at each tick) and tells of a caller not heard
 * from for the silence time: it may be gone.
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
    /** Each stream's socket is read once in this many ticks (once a second). */
    private static final int LISTEN_EVERY = 50;
    /**
     * A socket nobody reads between two listens keeps the few newest datagrams (the kernel doubles it): enough to
     * tell the caller sends, and a listen drains it in a handful of reads.
     */
    private static final int QUIET_RECEIVE_BUFFER = 4096;
    private static final int MAX_READS_PER_LISTEN = 16;
    private final ByteBuffer received = ByteBuffer.allocate(2048);
    private final long silenceNs;
    private long ticks;
    private volatile Consumer<String> silent = key -> { };
    private ScheduledFuture<?> ticker;
    /** when the tick running now was due (nanoTime); ticks run one at a time on the scheduler */
    private long due;
    private KeyReceiver keys;
    private volatile Consumer<String> closed = key -> { };

    private static final class Stream {
        final DatagramChannel channel;
        final HoldMusic music;
        /** played once before the music (the slot, to a parker waiting to transfer), null for none */
        final HoldMusic announcement;
        volatile String group;
        volatile boolean committed;
        final int ssrc = ThreadLocalRandom.current().nextInt();
        volatile InetSocketAddress target;
        volatile int payloadType;
        volatile int telephoneEvent = -1;
        volatile boolean playing;
        /** when the caller was last heard (nanoTime): RTP from its address, or an answer to a probe */
        volatile long heard = System.nanoTime();
        /** told silent, and not heard since */
        volatile boolean toldSilent;
        /** read by the key receiver, which marks it heard */
        final boolean keysWatched;
        int sequence = ThreadLocalRandom.current().nextInt(0x10000);
        long timestamp = ThreadLocalRandom.current().nextInt() & 0xffffffffL;
        long frame;

        Stream(DatagramChannel channel, String group, HoldMusic music, HoldMusic announcement, boolean keysWatched) {
            this.channel = channel;
            this.group = group;
            this.music = music;
            this.announcement = announcement;
            this.keysWatched = keysWatched;
        }

        /** Where the caller is (its music goes there): the only address it is heard from. */
        InetAddress callerAddress() {
            InetSocketAddress at = target;
            return at == null ? null : at.getAddress();
        }

        void heardNow() {
            heard = System.nanoTime();
            toldSilent = false;
        }
    }

    /**
     * @param nodeMusic what plays to callers of tenants that uploaded no music of their own
     * @param silence   how long a caller may send nothing before it is told silent ({@link #whenSilent})
     */
    public MusicOnHold(HoldMusic nodeMusic, RtpPortPool ports, java.time.Duration silence) {
        this(nodeMusic, tenant -> Optional.empty(), ports, silence);
    }

    /** @param uploads a tenant's uploaded music, if it has any (looked up at each park; decoded once per node) */
    public MusicOnHold(HoldMusic nodeMusic, java.util.function.Function<String, Optional<UploadedMusic>> uploads,
                       RtpPortPool ports, java.time.Duration silence) {
        this.library = new MusicLibrary(nodeMusic, uploads);
        this.ports = ports;
        this.silenceNs = silence.toNanos();
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
     * @param tenant    whose music plays: its upload, or the node's
     * @param listen    whether to listen for the keys the caller presses (RFC 4733)
     */
    public int open(String key, String group, String tenant, boolean listen) throws IOException {
        return open(key, group, tenant, listen, Optional.empty());
    }

    /** {@link #open(String, String, String, boolean)} with an announcement played once before the music. */
    public int open(String key, String group, String tenant, boolean listen,
                    Optional<HoldMusic> announcement) throws IOException {
        if (streams.containsKey(key)) {
            throw new IllegalStateException("stream " + key + " is already open");
        }
        HoldMusic music = library.of(tenant);
        DatagramChannel channel = ports.allocate();
        Stream stream = new Stream(channel, group, music, announcement.orElse(null), listen);
        streams.put(key, stream);
        if (listen) {
            keys.watch(key, channel, () -> stream.telephoneEvent, stream::callerAddress, stream::heardNow);
        } else {
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, QUIET_RECEIVE_BUFFER);
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

    /**
     * Tells {@code listener}, on the music thread (it must hand any work on), the key of each stream whose caller
     * sent nothing for the silence time; once, until the caller is heard again ({@link #heard}).
     */
    public void whenSilent(Consumer<String> listener) {
        this.silent = listener;
    }

    /** The caller of the stream is there (it answered a request): its silence counts from now. */
    public void heard(String key) {
        Stream stream = streams.get(key);
        if (stream != null) {
            stream.heardNow();
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
        long turn = ticks++ % LISTEN_EVERY;
        for (Map.Entry<String, Stream> entry : streams.entrySet()) {
            Stream stream = entry.getValue();
            if (silenceNs > 0 && stream.committed && Math.floorMod(stream.ssrc, LISTEN_EVERY) == turn) {
                try {
                    listen(entry.getKey(), stream, now);
                } catch (RuntimeException e) {
                    // an exception out of a scheduled tick would end the music of every call on this node
                    LOG.log(Level.WARNING, "stream " + entry.getKey() + ": listening failed", e);
                }
            }
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

    /** Reads what the caller sent since the last listen, and tells if it has been silent too long. */
    private void listen(String key, Stream stream, long now) {
        if (!stream.keysWatched) {
            InetAddress caller = stream.callerAddress();
            try {
                for (int i = 0; i < MAX_READS_PER_LISTEN; i++) {
                    received.clear();
                    java.net.SocketAddress from = stream.channel.receive(received);
                    if (from == null) {
                        break;
                    }
                    if (from instanceof InetSocketAddress sender && sender.getAddress().equals(caller)) {
                        stream.heardNow();
                    }
                }
            } catch (IOException e) {
                LOG.log(Level.FINE, "stream " + key + ": RTP read failed", e);
            }
        }
        if (!stream.toldSilent && now - stream.heard > silenceNs) {
            stream.toldSilent = true;
            silent.accept(key);
        }
    }

    private void send(Stream stream) throws IOException {
        packet.clear();
        packet.put((byte) 0x80);
        packet.put((byte) (stream.payloadType & 0x7f | (stream.frame == 0 ? 0x80 : 0)));
        packet.putShort((short) stream.sequence);
        packet.putInt((int) stream.timestamp);
        packet.putInt(stream.ssrc);
        HoldMusic first = stream.announcement;
        if (first != null && stream.frame < first.frameCount()) {
            first.frame(stream.payloadType, stream.frame, packet);
        } else {
            stream.music.frame(stream.payloadType, stream.frame - (first == null ? 0 : first.frameCount()), packet);
        }
        packet.flip();
        stream.channel.send(packet, stream.target);
        stream.sequence = (stream.sequence + 1) & 0xffff;
        stream.timestamp = (stream.timestamp + HoldMusic.FRAME_SAMPLES) & 0xffffffffL;
        stream.frame++;
    }
}
