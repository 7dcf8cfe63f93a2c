package io.callpark.media;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Listens on the RTP ports of the parked callers whose tenant lets them press a key, on one thread with one
 * selector: each new key press (RFC 4733) is handed on once, and only from the address the caller's music goes to
 * (where its signalling came from): a press sent to the port from anywhere else is not the caller's. Callers of
 * other tenants are not listened to at all, so their audio costs nothing.
 */
final class KeyReceiver {

    /** Told of each new key press on a stream. */
    interface Listener {
        void pressed(String streamKey, char key);
    }

    private static final Logger LOG = Logger.getLogger(KeyReceiver.class.getName());

    private final Listener listener;
    private final Selector selector;
    private final Queue<Runnable> changes = new ConcurrentLinkedQueue<>();
    private final Map<String, SelectionKey> keys = new ConcurrentHashMap<>();
    private final ByteBuffer packet = ByteBuffer.allocateDirect(2048);
    private final Thread thread;

    /**
     * What one registration knows: its stream, the payload type of its key events, the caller's address, the last
     * press seen.
     */
    private static final class Watch {
        final String streamKey;
        final IntSupplier telephoneEvent;
        final Supplier<InetAddress> caller;
        final Runnable heard;
        long lastTimestamp = -1;

        Watch(String streamKey, IntSupplier telephoneEvent, Supplier<InetAddress> caller, Runnable heard) {
            this.streamKey = streamKey;
            this.telephoneEvent = telephoneEvent;
            this.caller = caller;
            this.heard = heard;
        }
    }

    KeyReceiver(Listener listener, ThreadFactory threads) throws IOException {
        this.listener = listener;
        this.selector = Selector.open();
        this.thread = threads.newThread(this::run);
        thread.setName("callpark-keys");
        thread.start();
    }

    /** @param heard told of each datagram from the caller's address */
    void watch(String streamKey, DatagramChannel channel, IntSupplier telephoneEvent, Supplier<InetAddress> caller,
               Runnable heard) {
        changes.add(() -> {
            try {
                keys.put(streamKey, channel.register(selector, SelectionKey.OP_READ, new Watch(streamKey,
                        telephoneEvent, caller, heard)));
            } catch (IOException e) {
                LOG.log(Level.FINE, "stream " + streamKey + ": keys not listened to", e);
            }
        });
        selector.wakeup();
    }

    void unwatch(String streamKey) {
        SelectionKey key = keys.remove(streamKey);
        if (key != null) {
            key.cancel();
            selector.wakeup();
        }
    }

    private void run() {
        try {
            while (selector.isOpen()) {
                selector.select();
                for (Runnable change; (change = changes.poll()) != null; ) {
                    change.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isReadable()) {
                        drain((DatagramChannel) key.channel(), (Watch) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.fine("key receiver stopped: " + e.getMessage());
        }
    }

    private void drain(DatagramChannel channel, Watch watch) {
        try {
            while (true) {
                packet.clear();
                SocketAddress from = channel.receive(packet);
                if (from == null) {
                    return;
                }
                if (!(from instanceof InetSocketAddress sender) || !sender.getAddress().equals(watch.caller.get())) {
                    continue;
                }
                watch.heard.run();
                packet.flip();
                KeyPress.of(packet, watch.telephoneEvent.getAsInt()).ifPresent(press -> {
                    if (press.timestamp() != watch.lastTimestamp) {
                        watch.lastTimestamp = press.timestamp();
                        listener.pressed(watch.streamKey, press.key());
                    }
                });
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "stream " + watch.streamKey + ": RTP read failed", e);
        }
    }

    void stop() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.fine("key selector close: " + e.getMessage());
        }
        thread.interrupt();
    }
}
