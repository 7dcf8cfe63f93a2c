package io.callpark.testing;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.callpark.sip.ProxySeal;

import javax.sip.header.ContactHeader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;
import java.util.Set;

/**
 * What Kamailio adds to a request it hands a node: the {@link ProxySeal} over the Call-ID, CSeq and From tag the
 * node's stack will read, with the claims Kamailio vouches for. The test has the shared secret, so it can seal
 * any datagram, however odd, and the node's application then sees it as if it came through Kamailio.
 */
public final class SealedWire {

    /** The headers without which the node's stack (JAIN-SIP, UDPMessageChannel) drops a datagram. */
    private static final Set<Class<?>> ESSENTIAL = Set.of(From.class, To.class, CSeq.class, Via.class, CallID.class,
            ContentLength.class, RequestLine.class, StatusLine.class);

    private final ProxySeal seal;

    public SealedWire(String secret) {
        this.seal = new ProxySeal(secret);
    }

    /** With the secret the test Kamailio and node share. */
    public static SealedWire ofTestNetwork() {
        return new SealedWire(System.getProperty("callpark.it.sip.secret", "it-sip-secret-0123456789abcdef"));
    }

    /** The datagram as the node's stack parses it (bad headers other than the essential ones are left out). */
    public static Optional<SIPMessage> parse(byte[] datagram) {
        ParseExceptionListener asTheNode = (ex, message, headerClass, header, raw) -> {
            if (headerClass == null || ESSENTIAL.contains(headerClass)) {
                throw ex;
            }
            message.addUnparsed(header);
        };
        try {
            return Optional.ofNullable(new StringMsgParser().parseSIPMessage(datagram, true, false, asTheNode));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The datagram with {@code X-Callpark-Auth: <digest>;<claims>} after its start line, sealed over what the
     * node will parse; empty when the node would not parse it (then there is nothing a seal could cover).
     */
    public Optional<byte[]> sealed(byte[] datagram, String claims) {
        Optional<SIPMessage> parsed = parse(datagram);
        if (parsed.isEmpty() || parsed.get().getCallId() == null || parsed.get().getCSeq() == null
                || parsed.get().getFrom() == null) {
            return Optional.empty();
        }
        try {
            seal.seal(parsed.get(), claims);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        String header = ProxySeal.HEADER + ": "
                + ((javax.sip.header.ExtensionHeader) parsed.get().getHeader(ProxySeal.HEADER)).getValue() + "\r\n";
        return Optional.of(insertAfterStartLine(datagram, header.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code header} (with its CRLF) after the datagram's first line. */
    public static byte[] insertAfterStartLine(byte[] datagram, byte[] header) {
        int lineEnd = 0;
        while (lineEnd < datagram.length && datagram[lineEnd] != '\n') {
            lineEnd++;
        }
        int at = Math.min(lineEnd + 1, datagram.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(datagram.length + header.length);
        out.write(datagram, 0, at);
        out.writeBytes(header);
        out.write(datagram, at, datagram.length - at);
        return out.toByteArray();
    }

    /**
     * The ACK of a negative final answer to a (sealed) INVITE, as Kamailio's tm sends it: hop by hop, with the
     * INVITE's Request-URI, top Via (so its branch) and seal, and the answer's To tag.
     */
    public Optional<byte[]> ackOfNegative(byte[] invite, String answer) {
        Optional<SIPMessage> request = parse(invite);
        Optional<SIPMessage> response = parse(answer.getBytes(StandardCharsets.UTF_8));
        if (request.isEmpty() || !(request.get() instanceof SIPRequest sent) || response.isEmpty()
                || sent.getTopmostVia() == null || sent.getCSeq() == null || response.get().getTo() == null) {
            return Optional.empty();
        }
        javax.sip.header.Header seal = sent.getHeader(ProxySeal.HEADER);
        String ack = "ACK " + sent.getRequestURI() + " SIP/2.0\r\n"
                + sent.getTopmostVia().encode()
                + "Max-Forwards: 70\r\n"
                + sent.getFrom().toString() + response.get().getTo().toString() + sent.getCallId().toString()
                + "CSeq: " + sent.getCSeq().getSeqNumber() + " ACK\r\n"
                + (seal == null ? "" : ((gov.nist.javax.sip.header.SIPHeader) seal).encode())
                + "Content-Length: 0\r\n\r\n";
        return Optional.of(ack.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a response's CSeq is the largest a request may have (2^31-1): nothing can follow it. */
    public static boolean lastCseq(String response) {
        Optional<SIPMessage> parsed = parse(response.getBytes(StandardCharsets.UTF_8));
        return parsed.isPresent() && parsed.get().getCSeq() != null
                && parsed.get().getCSeq().getSeqNumber() >= Integer.MAX_VALUE;
    }

    /**
     * The ACK and the BYE that end the dialog a node's 2xx to an INVITE opened, sealed as Kamailio seals a phone's
     * in-dialog requests ({@code src=}), each with a Via naming {@code sentBy}: an attacker that parked a call
     * also hangs it up, so the node keeps no call of the torture. Empty when no BYE can follow the INVITE's CSeq.
     */
    public Optional<byte[][]> ackAndBye(String okResponse, String sentBy, String src) {
        Optional<SIPMessage> parsed = parse(okResponse.getBytes(StandardCharsets.UTF_8));
        if (parsed.isEmpty() || !(parsed.get() instanceof SIPResponse ok) || ok.getStatusCode() / 100 != 2
                || ok.getCSeq() == null || ok.getHeader(ContactHeader.NAME) == null) {
            throw new IllegalArgumentException("not a 2xx that opens a dialog: " + okResponse);
        }
        String target = ((ContactHeader) ok.getHeader(ContactHeader.NAME)).getAddress().getURI().toString();
        long cseq = ok.getCSeq().getSeqNumber();
        if (cseq >= Integer.MAX_VALUE) {
            return Optional.empty(); // no CSeq is left for a BYE (RFC 3261 8.1.1.5: less than 2^31)
        }
        String dialog = ok.getFrom().toString() + ok.getTo().toString() + ok.getCallId().toString();
        byte[][] both = new byte[2][];
        String[] methods = {"ACK", "BYE"};
        for (int i = 0; i < 2; i++) {
            String request = methods[i] + " " + target + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + sentBy + ";branch=z9hG4bK-end" + i + "-" + System.nanoTime() + "\r\n"
                    + "Max-Forwards: 70\r\n" + dialog
                    + "CSeq: " + (cseq + i) + " " + methods[i] + "\r\n"
                    + "Content-Length: 0\r\n\r\n";
            both[i] = sealed(request.getBytes(StandardCharsets.UTF_8), "src=" + src).orElseThrow(
                    () -> new IllegalArgumentException("cannot seal " + request));
        }
        return Optional.of(both);
    }
}
