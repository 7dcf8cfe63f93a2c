package io.callpark.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import org.junit.jupiter.api.Test;

import javax.sip.message.Response;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the node's stack refuses as malformed before it handles a message (found by TortureIT). */
class CheckedMessageParserFactoryTest {

    private final MessageParser parser = new CheckedMessageParserFactory().createMessageParser(null);

    private static final String PARK = "INVITE sip:*68104@acme.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-checked\r\n"
            + "Max-Forwards: 69\r\n"
            + "From: <sip:dave@acme.test>;tag=d1\r\n"
            + "To: <sip:*68104@acme.test>\r\n"
            + "Call-ID: checked-1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:dave@127.0.3.1:5099>\r\n"
            + "Content-Length: 0\r\n\r\n";

    private SIPMessage parse(String text) throws ParseException {
        return parser.parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
    }

    private String refusal(String text) {
        return assertThrows(ParseException.class, () -> parse(text)).getMessage();
    }

    @Test
    void aWellFormedRequestIsParsedAsBefore() throws Exception {
        assertEquals("checked-1", parse(PARK).getCallId().getCallId());
        assertEquals("checked-1", parse("\r\n" + PARK).getCallId().getCallId(), "a leading CRLF is skipped");
        assertEquals("checked-1", parse(PARK.replace("SIP/2.0\r\nVia", "SIP/2.0  \r\nVia")).getCallId()
                .getCallId(), "trailing spaces on the request line are tolerated (RFC 4475 3.1.2.10)");
    }

    @Test
    void aRequestWithoutCSeqIsAParseErrorNotANullPointerInTheStack() {
        assertEquals("Missing a required header : CSeq", refusal(PARK.replace("CSeq: 1 INVITE\r\n", "")));
    }

    @Test
    void anAckWithoutViaBranchIsRefusedAnRfc2543InviteIsNot() throws Exception {
        assertTrue(refusal(PARK.replace("INVITE sip:*68104@acme.test", "ACK sip:*68104@acme.test")
                .replace("CSeq: 1 INVITE", "CSeq: 1 ACK").replace(";branch=z9hG4bK-checked", ""))
                .startsWith("An ACK without the branch"), "an RFC 2543 ACK (RFC 4475 3.4.1)");
        assertEquals("checked-1", parse(PARK.replace(";branch=z9hG4bK-checked", "")).getCallId().getCallId());
    }

    @Test
    void aRequestOfAnotherSipVersionIsRefused() {
        assertTrue(refusal(PARK.replace("@acme.test SIP/2.0", "@acme.test SIP/7.0"))
                .startsWith("SIP version not supported"), "RFC 4475 3.1.2.16");
    }

    @Test
    void twoContentLengthsAreRefusedWhateverTheirSpelling() {
        assertEquals("More than one Content-Length", refusal(PARK.replace("Content-Length: 0\r\n",
                "Content-Length: 0\r\nl :0\r\n")));
        assertEquals("More than one Content-Length", refusal("SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-checked\r\n"
                + "From: <sip:dave@acme.test>;tag=d1\r\nTo: <sip:*68104@acme.test>;tag=n1\r\n"
                + "Call-ID: checked-1\r\nCSeq: 1 INVITE\r\nContent-Length: 13\r\ncontent-length: 5\r\n\r\nhello"));
    }

    @Test
    void aResponseIsLeftToTheStack() throws Exception {
        assertEquals(100, ((Response) parse("SIP/2.0 100 Trying\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-checked\r\n"
                + "Content-Length: 0\r\n\r\n")).getStatusCode());
    }
}
