package io.callpark.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;

import javax.sip.message.Request;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Locale;

/**
 * The stack's parser (gov.nist.javax.sip.MESSAGE_PARSER_FACTORY): JAIN-SIP's own, which refuses what JAIN-SIP
 * checks too late or not at all, before the stack handles it. Refused here, a message is a parse error like any
 * other: the stack answers 400 when the message has enough for an answer (to the datagram's source), drops it
 * otherwise, and logs it at debug.
 * <ul>
 *     <li>A request without CSeq: JAIN-SIP 1.3 compares a request's method with its CSeq's before it checks that
 *     there is a CSeq, and threw a NullPointerException on a stack thread, logged at SEVERE with the whole receive
 *     buffer as a list of numbers and a stack trace, for every such datagram, from anyone who reaches the port.</li>
 *     <li>An ACK whose top Via has no branch (an RFC 2543 element's, never Kamailio's): JAIN-SIP looks an ACK up
 *     by that branch, and an ACK without one threw a NullPointerException the same way.</li>
 *     <li>A request of another SIP version than 2.0: JAIN-SIP reads any version as SIP/2.0, so its own 505 never
 *     comes, and an OPTIONS of SIP/7.0 was answered 200 (RFC 4475 3.1.2.16).</li>
 *     <li>A message with more than one Content-Length: JAIN-SIP keeps one of them, and the message was handled as
 *     if it had said what it meant (RFC 4475 3.3.9: there is no way to know).</li>
 * </ul>
 */
public final class CheckedMessageParserFactory implements MessageParserFactory {

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        MessageParser parser = new StringMsgParserFactory().createMessageParser(stack);
        return (datagram, readBody, strict, listener) -> checked(datagram,
                parser.parseSIPMessage(datagram, readBody, strict, listener));
    }

    static SIPMessage checked(byte[] datagram, SIPMessage message) throws ParseException {
        if (message == null) {
            return null;
        }
        String head = head(datagram);
        if (message instanceof SIPRequest request) {
            if (request.getCSeq() == null) {
                throw new ParseException("Missing a required header : CSeq", 0);
            }
            if (Request.ACK.equals(request.getMethod()) && request.getTopmostVia() != null
                    && request.getTopmostVia().getBranch() == null) {
                throw new ParseException("An ACK without the branch of its top Via (RFC 3261 8.1.1.7)", 0);
            }
            String startLine = head.lines().findFirst().orElse("").stripTrailing();
            if (!startLine.toUpperCase(Locale.ROOT).endsWith(" SIP/2.0")) {
                throw new ParseException("SIP version not supported: " + startLine, 0);
            }
        }
        if (head.lines().skip(1).filter(CheckedMessageParserFactory::isContentLength).count() > 1) {
            throw new ParseException("More than one Content-Length", 0);
        }
        return message;
    }

    /** The datagram up to the blank line that ends its header fields (all of it if there is none). */
    private static String head(byte[] datagram) {
        String text = new String(datagram, StandardCharsets.ISO_8859_1).replaceFirst("^[\r\n]+", "");
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            end = text.indexOf("\n\n");
        }
        return end < 0 ? text : text.substring(0, end);
    }

    private static boolean isContentLength(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0 || Character.isWhitespace(line.charAt(0))) {
            return false;
        }
        String name = line.substring(0, colon).trim();
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("l");
    }
}
