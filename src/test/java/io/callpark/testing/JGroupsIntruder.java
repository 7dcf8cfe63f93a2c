package io.callpark.testing;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.NAKACK4;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UNICAST4;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.Protocol;
import org.jgroups.util.ByteArray;
import org.jgroups.util.Digest;
import org.jgroups.util.NameCache;

import javax.crypto.SecretKey;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A process on the nodes' network that joins their JGroups cluster name with the nodes' own tcp stack (TCPPING to
 * their ports, the protocols of WildFly 39's tcp stack) but without the cluster's key, or with a key of its own.
 * It records every byte delivered to it and can send the nodes a forged view.
 */
public final class JGroupsIntruder implements AutoCloseable {

    private final JChannel channel;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private JGroupsIntruder(JChannel channel) {
        this.channel = channel;
    }

    /**
     * Joins {@code cluster} through the nodes' JGroups ports on 127.0.0.1; returns once its join succeeded or gave
     * up (it then forms a cluster of its own). Throws what JGroups throws when the coordinator refuses it.
     *
     * @param key a key for SYM_ENCRYPT (under NAKACK4, where the nodes have theirs), or null for a clear stack
     */
    public static JGroupsIntruder join(String name, String cluster, List<Integer> ports, SecretKey key)
            throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<InetSocketAddress> hosts = ports.stream().map(p -> new InetSocketAddress(loopback, p)).toList();
        List<Protocol> stack = new ArrayList<>(List.of(
                new TCP().setBindAddress(loopback).setBindPort(LaunchedCluster.freePort()),
                new TCPPING().initialHosts(hosts).setPortRange(0),
                new MERGE3(),
                new FD_ALL3(),
                new VERIFY_SUSPECT2()));
        if (key != null) {
            stack.add(new SYM_ENCRYPT().setSecretKey(key));
        }
        stack.addAll(List.of(new NAKACK4(), new UNICAST4(),
                new GMS().setJoinTimeout(1000).setMaxJoinAttempts(3), new FRAG4()));
        JChannel channel = new JChannel(stack).name(name);
        JGroupsIntruder intruder = new JGroupsIntruder(channel);
        channel.setReceiver(new Receiver() {
            @Override
            public void receive(Message msg) {
                if (msg.hasArray()) {
                    synchronized (intruder.received) {
                        intruder.received.write(msg.getArray(), msg.getOffset(), msg.getLength());
                    }
                }
            }
        });
        try {
            channel.connect(cluster);
        } catch (Exception | Error refused) {
            channel.close();
            throw refused;
        }
        return intruder;
    }

    /** The intruder's own view of the cluster. */
    public View view() {
        return channel.getView();
    }

    /** Everything delivered to the intruder so far, as text (ISO-8859-1: one char per byte). */
    public String receivedText() {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** The nodes the intruder learnt of through discovery (which runs below encryption), by logical name. */
    public Map<String, Address> discoveredNodes() {
        TCP transport = channel.getProtocolStack().getBottomProtocol() instanceof TCP tcp ? tcp : null;
        if (transport == null) {
            return Map.of();
        }
        return transport.getLogicalAddressCache().keySet().stream()
                .filter(a -> !a.equals(channel.getAddress()))
                .collect(Collectors.toMap(a -> Optional.ofNullable(NameCache.get(a)).orElse(a.toString()), a -> a,
                        (a, b) -> a));
    }

    /**
     * Sends {@code node} a view made by the intruder that holds only the intruder and that node, with a view id
     * above any the cluster has reached: a node that installs it has lost its peers to the intruder.
     */
    public void sendForgedView(Address node) throws Exception {
        View forged = View.create(channel.getAddress(), 1_000_000L, channel.getAddress(), node);
        Method marshal = GMS.class.getDeclaredMethod("marshal", View.class, Digest.class);
        marshal.setAccessible(true);
        ByteArray body = (ByteArray) marshal.invoke(null, forged, null);
        GMS gms = channel.getProtocolStack().findProtocol(GMS.class);
        Message msg = new BytesMessage(node, body.getArray(), body.getOffset(), body.getLength())
                .putHeader(gms.getId(), new GMS.GmsHeader(GMS.GmsHeader.VIEW))
                .setFlag(Message.Flag.OOB);
        gms.getDownProtocol().down(msg);
    }

    /** Sends {@code text} to every member of the intruder's view and to each node it discovered. */
    public void sendToAll(String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        channel.send(new BytesMessage(null, bytes));
        for (Address node : discoveredNodes().values()) {
            channel.send(new BytesMessage(node, bytes));
        }
    }

    @Override
    public void close() {
        channel.close();
    }
}
