package io.callpark.sip;

import gov.nist.javax.sip.header.HeaderFactoryImpl;

import javax.sip.header.ExtensionHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.Header;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The proof that a SIP message comes from Kamailio or from a Callpark node, and what the sender vouches for:
 * {@code X-Callpark-Auth: <sha256 hex>;<claims>}, e.g. {@code ...;id=101@acme.test;src=127.0.0.5:5062}.
 *
 * <p>The digest is SHA-256 over {@code secret|kind|Call-ID|CSeq number|From tag|claims|secret}; kind is the
 * method (INVITE for an ACK or CANCEL, which belong to their INVITE) or a response's status code. Kamailio 5.6
 * computes the same with its {@code {s.sha256}} transformation (it has no HMAC in the script); the secret at
 * both ends defeats length extension. Both ends strip the header from anything they relay, so no phone ever
 * sees a seal it could replay.
 */
public final class ProxySeal {

    public static final String HEADER = "X-Callpark-Auth";
    private static final int DIGEST_HEX = 64;

    private static final HeaderFactory HEADERS = new HeaderFactoryImpl();

    private final String secret;

    public ProxySeal(String secret) {
        this.secret = secret;
    }

    /** Seals a message this node sends, vouching for {@code claims} (name=value pairs joined by ';'). */
    public void seal(Message message, String claims) {
        String value = digest(kind(message), SipHeaders.callId(message), SipHeaders.cseq(message),
                fromTag(message), claims) + (claims.isEmpty() ? "" : ";" + claims);
        try {
            message.removeHeader(HEADER);
            message.addHeader(HEADERS.createHeader(HEADER, value));
        } catch (ParseException e) {
            throw new IllegalStateException("cannot seal " + kind(message), e);
        }
    }

    /** The claims of a message whose seal is valid; empty when it has none or a wrong one. */
    public Optional<Map<String, String>> verify(Message message) {
        Optional<String> value = rawValue(message);
        if (value.isEmpty() || value.get().length() < DIGEST_HEX
                || (value.get().length() > DIGEST_HEX && value.get().charAt(DIGEST_HEX) != ';')) {
            return Optional.empty();
        }
        String claims = value.get().length() > DIGEST_HEX ? value.get().substring(DIGEST_HEX + 1) : "";
        String expected = digest(kind(message), SipHeaders.callId(message), SipHeaders.cseq(message),
                fromTag(message), claims);
        boolean valid = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                value.get().substring(0, DIGEST_HEX).toLowerCase(Locale.ROOT)
                        .getBytes(StandardCharsets.US_ASCII));
        return valid ? Optional.of(parseClaims(claims)) : Optional.empty();
    }

    /** The claims of a message that was verified at the edge (no check here). */
    public static Map<String, String> claims(Message message) {
        return rawValue(message).filter(v -> v.length() > DIGEST_HEX + 1)
                .map(v -> parseClaims(v.substring(DIGEST_HEX + 1))).orElse(Map.of());
    }

    /** The X-Callpark-Auth value of a JSON-RPC request to Kamailio: the digest of secret|RPC|sha256(body)|secret. */
    public String rpcSeal(String body) {
        return sha256(secret + "|RPC|" + sha256(body) + "|" + secret);
    }

    String digest(String kind, String callId, long cseq, String fromTag, String claims) {
        return sha256(secret + "|" + kind + "|" + callId + "|" + cseq + "|" + fromTag + "|" + claims + "|" + secret);
    }

    private static String sha256(String data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String kind(Message message) {
        if (message instanceof Response response) {
            return String.valueOf(response.getStatusCode());
        }
        String method = ((Request) message).getMethod();
        return Request.ACK.equals(method) || Request.CANCEL.equals(method) ? Request.INVITE : method;
    }

    private static String fromTag(Message message) {
        String tag = SipHeaders.from(message).getTag();
        return tag == null ? "" : tag;
    }

    private static Optional<String> rawValue(Message message) {
        Header header = message.getHeader(HEADER);
        if (header instanceof ExtensionHeader extension) {
            return Optional.ofNullable(extension.getValue()).map(String::trim);
        }
        return Optional.empty();
    }

    private static Map<String, String> parseClaims(String claims) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String pair : claims.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                parsed.putIfAbsent(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return Map.copyOf(parsed);
    }
}
