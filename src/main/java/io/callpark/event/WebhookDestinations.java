package io.callpark.event;

import io.callpark.config.IpNet;
import io.callpark.config.WebhookPolicy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a tenant's webhook may send: https to public addresses; plain http, loopback, link-local (the cloud
 * metadata address 169.254.169.254 among them), private, unique-local, unspecified, multicast and reserved
 * addresses only where the operator allowed them ({@link WebhookPolicy}); this node's own ports never. Checked
 * when a webhook is registered and again before every delivery, against every address its host resolves to
 * then: the delivery connects to an address checked here, never to a second lookup's answer.
 */
public final class WebhookDestinations {

    /** What an address is, for the rule that refuses it. */
    public enum AddressClass {
        PUBLIC, LOOPBACK, LINK_LOCAL, PRIVATE, UNIQUE_LOCAL, UNSPECIFIED, MULTICAST, RESERVED;

        /** The rule a problem names: {@code destination-link-local}... */
        public String rule() {
            return "destination-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        String describe() {
            return switch (this) {
                case PUBLIC -> "a public address";
                case LOOPBACK -> "a loopback address";
                case LINK_LOCAL -> "a link-local address (169.254.0.0/16, fe80::/10: cloud metadata lives there)";
                case PRIVATE -> "a private address (10/8, 172.16/12, 192.168/16, 100.64/10)";
                case UNIQUE_LOCAL -> "a unique-local or site-local IPv6 address (fc00::/7, fec0::/10)";
                case UNSPECIFIED -> "an unspecified address (0.0.0.0/8, ::)";
                case MULTICAST -> "a multicast or broadcast address";
                case RESERVED -> "a reserved address (240/4, 192.0.0/24, 198.18/15)";
            };
        }
    }

    /** Looks a host name up; the system's resolver in a node, a fake in tests. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;

        static Resolver system() {
            return host -> Arrays.asList(InetAddress.getAllByName(host));
        }
    }

    /** A rule a destination breaks: its name (for problem+json) and why, naming the host, never path or query. */
    public record Refusal(String rule, String detail) {
    }

    /**
     * The outcome of a check.
     *
     * @param refusals  every rule broken; empty when the webhook may go there
     * @param addresses the addresses checked (all of them passed when nothing was refused): connect to these
     * @param port      the port to connect to
     */
    public record Checked(List<Refusal> refusals, List<InetAddress> addresses, int port) {
        public boolean allowed() {
            return refusals.isEmpty();
        }

        /** The host did not resolve (now): worth another try at delivery, unlike a refusal. */
        public boolean unresolved() {
            return refusals.size() == 1 && refusals.get(0).rule().equals(UNRESOLVED);
        }
    }

    static final String UNRESOLVED = "destination-unresolved";
    private static final Pattern DOTTED_DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final List<IpNet> PRIVATE = nets("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "100.64.0.0/10");
    private static final List<IpNet> RESERVED = nets("240.0.0.0/4", "192.0.0.0/24", "198.18.0.0/15");
    private static final IpNet NAT64 = IpNet.parse("64:ff9b::/96").orElseThrow();
    private static final IpNet NAT64_LOCAL = IpNet.parse("64:ff9b:1::/48").orElseThrow();
    private static final IpNet SIX_TO_FOUR = IpNet.parse("2002::/16").orElseThrow();
    private static final IpNet V4_COMPATIBLE = IpNet.parse("::/96").orElseThrow();
    private static final IpNet UNIQUE_LOCAL = IpNet.parse("fc00::/7").orElseThrow();
    private static final IpNet SITE_LOCAL = IpNet.parse("fec0::/10").orElseThrow();

    private final WebhookPolicy policy;
    private final Set<InetAddress> hostAddresses;
    private final Resolver resolver;

    /**
     * @param hostAddresses the addresses of this host's interfaces (where its own ports are reachable besides
     *                      loopback and the unspecified address)
     */
    public WebhookDestinations(WebhookPolicy policy, Set<InetAddress> hostAddresses, Resolver resolver) {
        this.policy = policy;
        this.hostAddresses = Set.copyOf(hostAddresses);
        this.resolver = resolver;
    }

    /** What an address is; an IPv6 address that carries an IPv4 one (mapped, compatible, NAT64, 6to4) is that. */
    public static AddressClass classify(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            return classify6(v6);
        }
        byte[] a = address.getAddress();
        if (address.isAnyLocalAddress() || (a[0] & 0xff) == 0) {
            return AddressClass.UNSPECIFIED;
        }
        if (address.isLoopbackAddress()) {
            return AddressClass.LOOPBACK;
        }
        if (address.isLinkLocalAddress()) {
            return AddressClass.LINK_LOCAL;
        }
        if (address.isMulticastAddress() || Arrays.equals(a, new byte[] {-1, -1, -1, -1})) {
            return AddressClass.MULTICAST;
        }
        if (PRIVATE.stream().anyMatch(n -> n.contains(address))) {
            return AddressClass.PRIVATE;
        }
        if (RESERVED.stream().anyMatch(n -> n.contains(address))) {
            return AddressClass.RESERVED;
        }
        return AddressClass.PUBLIC;
    }

    private static AddressClass classify6(Inet6Address address) {
        if (address.isAnyLocalAddress()) {
            return AddressClass.UNSPECIFIED;
        }
        if (address.isLoopbackAddress()) {
            return AddressClass.LOOPBACK;
        }
        byte[] a = address.getAddress();
        if (V4_COMPATIBLE.contains(address) || NAT64.contains(address)) {
            return classify(v4(a, 12));
        }
        if (NAT64_LOCAL.contains(address)) {
            return AddressClass.PRIVATE; // a network's own translator: anything behind it
        }
        if (SIX_TO_FOUR.contains(address)) {
            return classify(v4(a, 2));
        }
        if (address.isLinkLocalAddress()) {
            return AddressClass.LINK_LOCAL;
        }
        if (UNIQUE_LOCAL.contains(address) || SITE_LOCAL.contains(address)) {
            return AddressClass.UNIQUE_LOCAL;
        }
        if (address.isMulticastAddress()) {
            return AddressClass.MULTICAST;
        }
        return AddressClass.PUBLIC;
    }

    private static InetAddress v4(byte[] bytes, int from) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, from, from + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** Checks an absolute URL (http or https with a host): resolves its host and checks every address. */
    public Checked check(URI url) {
        String scheme = String.valueOf(url.getScheme()).toLowerCase(Locale.ROOT);
        int port = url.getPort() >= 0 ? url.getPort() : "https".equals(scheme) ? 443 : 80;
        if (!"http".equals(scheme) && !"https".equals(scheme) || url.getHost() == null) {
            return refused(port, new Refusal("scheme", "must be an https (or, where the operator allows it, http)"
                    + " URL with a host"));
        }
        String host = hostOf(url);
        Optional<Refusal> ambiguous = ambiguousNumber(host);
        if (ambiguous.isPresent()) {
            return refused(port, ambiguous.get());
        }
        List<InetAddress> addresses;
        try {
            addresses = isLocalhostName(host) ? List.of(InetAddress.ofLiteral("127.0.0.1"),
                    InetAddress.ofLiteral("::1")) : resolver.resolve(host);
        } catch (UnknownHostException | RuntimeException e) {
            return refused(port, new Refusal(UNRESOLVED, "host " + host + " does not resolve"));
        }
        if (addresses.isEmpty()) {
            return refused(port, new Refusal(UNRESOLVED, "host " + host + " does not resolve"));
        }
        List<Refusal> refusals = new ArrayList<>();
        for (InetAddress address : addresses) {
            refusals.addAll(refusalsOf(host, address, port, "https".equals(scheme)));
        }
        return new Checked(refusals.stream().distinct().toList(), List.copyOf(addresses), port);
    }

    private List<Refusal> refusalsOf(String host, InetAddress address, int port, boolean https) {
        List<Refusal> refusals = new ArrayList<>();
        String where = host.equals(address.getHostAddress()) ? host : host + " (" + address.getHostAddress() + ")";
        AddressClass kind = classify(address);
        if (isThisNode(address, kind) && policy.nodePorts().contains(port) || isKamailioRpc(address, port)) {
            refusals.add(new Refusal("destination-node-port", where + " port " + port + " is this node's own"
                    + " (HTTP, management, cluster or Kamailio's RPC port): never a webhook's"));
        }
        if (kind != AddressClass.PUBLIC && !policy.allows(host, address)) {
            refusals.add(new Refusal(kind.rule(), where + " is " + kind.describe()
                    + "; the operator may allow it (CALLPARK_WEBHOOK_ALLOW)"));
        }
        if (!https && !policy.allowsHttp(host, address)) {
            refusals.add(new Refusal("scheme", "plain http to " + where + " is not allowed: use https (the operator"
                    + " may allow http to it: CALLPARK_WEBHOOK_ALLOW_HTTP)"));
        }
        return refusals;
    }

    private boolean isThisNode(InetAddress address, AddressClass kind) {
        return kind == AddressClass.LOOPBACK || kind == AddressClass.UNSPECIFIED || hostAddresses.contains(address);
    }

    private boolean isKamailioRpc(InetAddress address, int port) {
        return port == policy.rpc().port() && IpNet.parse(policy.rpc().host()).map(n -> n.contains(address))
                .orElse(false);
    }

    /** {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f000001}: read differently by different resolvers. */
    private static Optional<Refusal> ambiguousNumber(String host) {
        if (host.contains(":") || DOTTED_DECIMAL.matcher(host).matches()) {
            return Optional.empty();
        }
        try {
            InetAddress posix = Inet4Address.ofPosixLiteral(host);
            AddressClass kind = classify(posix);
            return Optional.of(kind == AddressClass.PUBLIC
                    ? new Refusal("host", "host " + host + " is an IPv4 address in another notation (read as "
                            + posix.getHostAddress() + "): write it as four decimal numbers")
                    : new Refusal(kind.rule(), "host " + host + " is " + posix.getHostAddress() + ", "
                            + kind.describe()));
        } catch (IllegalArgumentException notANumber) {
            return Optional.empty();
        }
    }

    /** RFC 6761: {@code localhost} and every name under it are loopback, whatever a resolver says. */
    private static boolean isLocalhostName(String host) {
        return host.equals("localhost") || host.endsWith(".localhost");
    }

    /** The host, lower case, without IPv6 brackets or a trailing dot. */
    static String hostOf(URI url) {
        String host = url.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static Checked refused(int port, Refusal refusal) {
        return new Checked(List.of(refusal), List.of(), port);
    }

    private static List<IpNet> nets(String... nets) {
        return Arrays.stream(nets).map(n -> IpNet.parse(n).orElseThrow()).toList();
    }
}
