package io.callpark.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An IP network, {@code address/prefix} (IPv4 or IPv6); a single address is a network of one. Parsed from literals
 * only ({@link InetAddress#ofLiteral}): a configuration value never causes a DNS lookup.
 */
public record IpNet(InetAddress base, int prefix) {

    /** The network {@code text} names ({@code 10.0.0.0/8}, {@code fd00::/8}, {@code 127.0.0.1}, {@code [::1]}). */
    public static Optional<IpNet> parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (!address.contains(":") && !address.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")) {
            return Optional.empty(); // only dotted decimal IPv4: never an octal or hex reading
        }
        try {
            InetAddress base = InetAddress.ofLiteral(address);
            int bits = base.getAddress().length * 8;
            int prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
            if (prefix < 0 || prefix > bits) {
                return Optional.empty();
            }
            return Optional.of(new IpNet(base, prefix));
        } catch (IllegalArgumentException e) { // NumberFormatException too
            return Optional.empty();
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] b = base.getAddress();
        if (a.length != b.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (b[full] & mask);
    }

    @Override
    public String toString() {
        return base.getHostAddress() + "/" + prefix;
    }
}
