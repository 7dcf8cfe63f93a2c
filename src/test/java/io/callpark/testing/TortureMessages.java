package io.callpark.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of RFC 4475 (SIP torture test messages), typed from the RFC: the valid but odd ones of 3.1.1, the
 * invalid ones of 3.1.2, the transaction oddity of 3.2 and the application-layer ones of 3.3, plus 3.4's RFC 2543
 * INVITE. Their oddities are kept; only where they point is changed, so that nothing leaves the loopback:
 * <ul>
 *     <li>{@code {via}}: the top Via's sent-by, the test's reply socket (its transport UDP, as the datagram is);</li>
 *     <li>{@code {target}}: the Request-URI host (and a Route to it), the element under test (Kamailio or a node);</li>
 *     <li>{@code {sink}}: every Contact, Record-Route, and a URI header that names a Route, a socket nobody
 *     answers on;</li>
 *     <li>the documentation addresses 192.0.2.x and 192.168.x.x become 127.0.2.x and 127.168.x.x (as long, so the
 *     RFC's Content-Length values stay right), 255.255.255.255 becomes 127.255.255.255.</li>
 * </ul>
 * Host names in To and From (example.com and the like) stay: nobody routes on them. The RFC's bodies end in CRLF,
 * and its Content-Length values count them.
 */
public final class TortureMessages {

    /** What RFC 4475 says an element does with the message. */
    public enum Verdict {
        /** Well-formed (3.1.1, and 3.2/3.3 where the RFC expects it handled): any answer, no crash. */
        VALID,
        /** Malformed, or semantically refused by the RFC (3.1.2, 3.3): refused (4xx/5xx/6xx) or dropped, never 2xx. */
        REFUSED,
        /** Malformed, but the RFC lets an element be liberal and read it as meant (3.1.2): refused, or handled. */
        TOLERATED,
        /** A response nobody asked for: never answered, changes nothing. */
        STRAY_RESPONSE
    }

    /**
     * One message.
     *
     * @param name    the RFC's file name (wsinv, badinv01, ...)
     * @param section the RFC section
     * @param verdict what the RFC expects of an element that receives it
     * @param inDialog whether it carries a To tag (Kamailio then routes it as a request within a dialog)
     * @param bytes   the datagram
     */
    public record Message(String name, String section, Verdict verdict, boolean inDialog, byte[] bytes) {

        public boolean isResponse() {
            return verdict == Verdict.STRAY_RESPONSE;
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return name + " (RFC 4475 " + section + ")";
        }
    }

    private TortureMessages() {
    }

    /**
     * Every message, pointed at {@code target} ("127.0.0.1:port") with its top Via naming {@code via} ("ip:port")
     * and its contacts naming {@code sink} ("ip:port"). {@code branchSuffix} is added to each top Via's branch
     * (but to badbranch's, whose point is a branch of the magic cookie alone): several of the RFC's messages share
     * the branch z9hG4bKkdjuw, and an element that gets them all at once rightly takes the later ones for
     * retransmissions of the first.
     */
    public static List<Message> all(String via, String target, String sink, String branchSuffix) {
        List<Message> all = new ArrayList<>();
        for (Template t : TEMPLATES) {
            byte[] bytes = t.bytes(via, target, sink);
            if (!branchSuffix.isEmpty() && !"badbranch".equals(t.name)) {
                bytes = withBranchSuffix(bytes, via, branchSuffix);
            }
            all.add(new Message(t.name, t.section, t.verdict, t.inDialog, bytes));
        }
        return all;
    }

    public static List<Message> all(String via, String target, String sink) {
        return all(via, target, sink, "");
    }

    /** The branch of the top Via (the one naming {@code via}) with {@code suffix} after it. */
    private static byte[] withBranchSuffix(byte[] bytes, String via, String suffix) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(via + ";branch=");
        if (at < 0) {
            return bytes;
        }
        int end = at + via.length() + ";branch=".length();
        while (end < text.length() && ";,\r\n ".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        return (text.substring(0, end) + suffix + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private record Template(String name, String section, Verdict verdict, boolean inDialog, String text,
                            byte[] binaryPart) {

        byte[] bytes(String via, String target, String sink) {
            String filled = text.replace("{via}", via).replace("{target}", target).replace("{sink}", sink)
                    .replace("192.0.2.", "127.0.2.").replace("192.168.", "127.168.")
                    .replace("255.255.255.255", "127.255.255.255")
                    .replace("\n", "\r\n");
            byte[] bytes = filled.getBytes(StandardCharsets.UTF_8);
            return binaryPart == null ? bytes : withBinaryPart(filled);
        }

        /** mpart01: the body's second part is binary; {binary} marks it and {length} the Content-Length. */
        private byte[] withBinaryPart(String filled) {
            int bodyStart = filled.indexOf("\r\n\r\n") + 4;
            String head = filled.substring(0, bodyStart);
            String body = filled.substring(bodyStart);
            int mark = body.indexOf("{binary}");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(body.substring(0, mark).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(binaryPart);
            out.writeBytes(body.substring(mark + "{binary}".length()).getBytes(StandardCharsets.UTF_8));
            byte[] bodyBytes = out.toByteArray();
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            message.writeBytes(head.replace("{length}", String.valueOf(bodyBytes.length))
                    .getBytes(StandardCharsets.UTF_8));
            message.writeBytes(bodyBytes);
            return message.toByteArray();
        }
    }

    private static Template valid(String name, String section, String text) {
        return new Template(name, section, Verdict.VALID, hasToTag(text), text, null);
    }

    private static Template refused(String name, String section, String text) {
        return new Template(name, section, Verdict.REFUSED, hasToTag(text), text, null);
    }

    private static Template tolerated(String name, String section, String text) {
        return new Template(name, section, Verdict.TOLERATED, hasToTag(text), text, null);
    }

    private static Template response(String name, String section, String text) {
        return new Template(name, section, Verdict.STRAY_RESPONSE, true, text, null);
    }

    /** Whether the (first) message's To header field, unfolded, has a tag parameter. */
    private static boolean hasToTag(String text) {
        String head = text.split("\n\n", 2)[0].replaceAll("\n[ \t]+", " ");
        return head.lines().anyMatch(line -> {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim();
            return (name.equalsIgnoreCase("To") || name.equalsIgnoreCase("t"))
                    && line.substring(colon).matches(".*;\\s*tag\\s*=.*");
        });
    }

    /** The SDP most of the RFC's INVITEs carry (150 octets with CRLF). */
    private static final String SDP = """
            v=0
            o=mhandley 29739 7272939 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            m=audio 49217 RTP/AVP 0 12
            m=video 3227 RTP/AVP 31
            a=rtpmap:31 LPC
            """;

    /** A stand-in for mpart01's CMS signature: binary octets of every value, CR, LF and NUL among them. */
    private static byte[] binaryBlob() {
        byte[] blob = new byte[300];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) ((i * 151 + 48) & 0xff);
        }
        blob[0] = 0x30;
        blob[1] = (byte) 0x82;
        blob[7] = 0x0d;
        blob[8] = 0x0a;
        blob[20] = 0x00;
        return blob;
    }

    private static final List<Template> TEMPLATES = List.of(
            // ------------------------------------------------------------------ 3.1.1 valid messages
            valid("wsinv", "3.1.1.1", """
                    INVITE sip:vivekg@{target};unknownparam SIP/2.0
                    TO :
                     sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n
                    from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>
                      ;
                      tag = 98asjd8
                    MaX-fOrWaRdS: 0068
                    Call-ID: wsinv.ndaksdj@192.0.2.1
                    Content-Length   : 150
                    cseq: 0009
                      INVITE
                    Via  : SIP  /   2.0
                     /UDP
                        {via};branch=390skdjuw
                    s :
                    NewFangledHeader:   newfangled value
                     continued newfangled value
                    UnknownHeaderWithUnusualValue: ;;,,;;,;
                    Content-Type: application/sdp
                    Route:
                     <sip:{target};lr;unknownwith=value;unknown-no-value>
                    v:  SIP  / 2.0  / TCP     spindle.example.com   ;
                      branch  =   z9hG4bK9ikj8  ,
                     SIP  /    2.0   / UDP  192.168.255.111   ; branch=
                     z9hG4bK30239
                    m:"Quoted string \\"\\"" <sip:jdrosen@{sink}> ; newparam =
                          newvalue ;
                      secondparam ; q = 0.33

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.3
                    s=-
                    c=IN IP4 192.0.2.4
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            valid("intmeth", "3.1.1.2", """
                    !interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*\
                    :&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@{target} SIP/2.0
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK-.!%66*_+`'~
                    To: "BEL:\\\007 NUL:\\\000 DEL:\\\177" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>
                    From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\
                    "\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439";tag=_token~1'+`*%!-.
                    Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/"][?}{
                    CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~
                    Max-Forwards: 255
                    extensionHeader-!.%*+_`'~:\ufeff\u5927\u505c\u96fb
                    Content-Length: 0

                    """),
            valid("esc01", "3.1.1.3", """
                    INVITE sip:sips%3Auser%40example.com@{target} SIP/2.0
                    To: sip:%75se%72@example.com
                    From: <sip:I%20have%20spaces@example.net>;tag=938
                    Max-Forwards: 87
                    i: esc01.239409asdfakjkn23onasd0-3234
                    CSeq: 234234 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    C: application/sdp
                    Contact:
                      <sip:cal%6Cer@{sink};%6C%72;n%61me=v%61lue%25%34%31>
                    Content-Length: 150

                    """ + SDP),
            valid("escnull", "3.1.1.4", """
                    REGISTER sip:{target} SIP/2.0
                    To: sip:null-%00-null@example.com
                    From: sip:null-%00-null@example.com;tag=839923423
                    Max-Forwards: 70
                    Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd
                    CSeq: 14398234 REGISTER
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Contact: <sip:%00@{sink}>
                    Contact: <sip:%00%00@{sink}>
                    L:0

                    """),
            valid("esc02", "3.1.1.5", """
                    RE%47IST%45R sip:{target} SIP/2.0
                    To: "%Z%45" <sip:resource@example.com>
                    From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23
                    Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK209%fzsnel234
                    CSeq: 29344 RE%47IST%45R
                    Max-Forwards: 70
                    Contact: <sip:alias1@{sink}>
                    C%6Fntact: <sip:alias2@{sink}>
                    Contact: <sip:alias3@{sink}>
                    l: 0

                    """),
            valid("lwsdisp", "3.1.1.6", """
                    OPTIONS sip:user@{target} SIP/2.0
                    To: sip:user@example.com
                    From: caller<sip:caller@example.com>;tag=323
                    Max-Forwards: 70
                    Call-ID: lwsdisp.1234abcd@funky.example.com
                    CSeq: 60 OPTIONS
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    l: 0

                    """),
            valid("longreq", "3.1.1.7", "INVITE sip:user@{target} SIP/2.0\n"
                    + "To: \"I have a user name of " + "extreme".repeat(10) + " proportion\"<sip:user@example.com:6000;"
                    + "unknownparam1=very" + "long".repeat(20) + "value;longparam" + "name".repeat(25)
                    + "=shortvalue;very" + "long".repeat(25) + "ParameterNameWithNoValue>\n"
                    + "F: sip:" + "amazinglylongcallername".repeat(5) + "@example.net;tag=12" + "982".repeat(50)
                    + "424;unknownheaderparam" + "name".repeat(20) + "=unknowheaderparam" + "value".repeat(15)
                    + ";unknownValueless" + "paramname".repeat(10) + "\n"
                    + "Call-ID: longreq.one" + "really".repeat(20) + "longcallid\n"
                    + "CSeq: 3882340 INVITE\n"
                    + "Unknown-" + "Long".repeat(20) + "-Name: unknown-" + "long".repeat(20) + "-value; unknown-"
                    + "long".repeat(20) + "-parameter-name = unknown-" + "long".repeat(20) + "-parameter-value\n"
                    + "Via: SIP/2.0/UDP {via}\n"
                    + """
                    v: SIP/2.0/TCP sip32.example.com
                    V: SIP/2.0/TCP sip31.example.com
                    Via: SIP/2.0/TCP sip30.example.com
                    ViA: SIP/2.0/TCP sip29.example.com
                    VIa: SIP/2.0/TCP sip28.example.com
                    VIA: SIP/2.0/TCP sip27.example.com
                    via: SIP/2.0/TCP sip26.example.com
                    viA: SIP/2.0/TCP sip25.example.com
                    vIa: SIP/2.0/TCP sip24.example.com
                    vIA: SIP/2.0/TCP sip23.example.com
                    V :  SIP/2.0/TCP sip22.example.com
                    v :  SIP/2.0/TCP sip21.example.com
                    V  : SIP/2.0/TCP sip20.example.com
                    v  : SIP/2.0/TCP sip19.example.com
                    Via : SIP/2.0/TCP sip18.example.com
                    Via  : SIP/2.0/TCP sip17.example.com
                    Via: SIP/2.0/TCP sip16.example.com
                    Via: SIP/2.0/TCP sip15.example.com
                    Via: SIP/2.0/TCP sip14.example.com
                    Via: SIP/2.0/TCP sip13.example.com
                    Via: SIP/2.0/TCP sip12.example.com
                    Via: SIP/2.0/TCP sip11.example.com
                    Via: SIP/2.0/TCP sip10.example.com
                    Via: SIP/2.0/TCP sip9.example.com
                    Via: SIP/2.0/TCP sip8.example.com
                    Via: SIP/2.0/TCP sip7.example.com
                    Via: SIP/2.0/TCP sip6.example.com
                    Via: SIP/2.0/TCP sip5.example.com
                    Via: SIP/2.0/TCP sip4.example.com
                    Via: SIP/2.0/TCP sip3.example.com
                    Via: SIP/2.0/TCP sip2.example.com
                    Via: SIP/2.0/TCP sip1.example.com
                    """
                    + "Via: SIP/2.0/TCP host.example.com;received=192.0.2.5;branch=very" + "long".repeat(50)
                    + "branchvalue\n"
                    + "Max-Forwards: 70\n"
                    + "Contact: <sip:" + "amazinglylongcallername".repeat(5) + "@{sink}>\n"
                    + "Content-Type: application/sdp\n"
                    + "l: 150\n\n" + SDP),
            valid("dblreq", "3.1.1.8", """
                    REGISTER sip:{target} SIP/2.0
                    To: sip:j.user@example.com
                    From: sip:j.user@example.com;tag=43251j3j324
                    Max-Forwards: 8
                    I: dblreq.0ha0isndaksdj99sdfafnl3lk233412
                    Contact: sip:j.user@{sink}
                    CSeq: 8 REGISTER
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw23492
                    Content-Length: 0

                    INVITE sip:joe@{target} SIP/2.0
                    t: sip:joe@example.com
                    From: sip:caller@example.net;tag=141334
                    Max-Forwards: 8
                    Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15
                    CSeq: 8 INVITE
                    Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw380234
                    Content-Type: application/sdp
                    Content-Length: 150

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.15
                    s=-
                    c=IN IP4 192.0.2.15
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m =video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            valid("semiuri", "3.1.1.9", """
                    OPTIONS sip:user;par=u%40example.net@{target} SIP/2.0
                    To: sip:j_user@example.com
                    From: sip:caller@example.org;tag=33242
                    Max-Forwards: 3
                    Call-ID: semiuri.0ha0isndaksdj
                    CSeq: 8 OPTIONS
                    Accept: application/sdp, application/pkcs7-mime,
                            multipart/mixed, multipart/signed,
                            message/sip, message/sipfrag
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    l: 0

                    """),
            valid("transports", "3.1.1.10", """
                    OPTIONS sip:user@{target} SIP/2.0
                    To: sip:user@example.com
                    From: <sip:caller@example.com>;tag=323
                    Max-Forwards: 70
                    Call-ID:  transports.kijh4akdnaqjkwendsasfdj
                    Accept: application/sdp
                    CSeq: 60 OPTIONS
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf
                    Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj
                    Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en
                    Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee
                    l: 0

                    """),
            new Template("mpart01", "3.1.1.11", Verdict.VALID, false, """
                    MESSAGE sip:kumiko@{target} SIP/2.0
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport
                    Max-Forwards: 70
                    Route: <sip:{target}>
                    Identity: r5mwreLuyDRYBi/0TiPwEsY3rEVsk/G2WxhgTV1PF7hHuLIK0YWVKZhKv9Mj8UeXqkMVbnVq37CD+813gvYjcBUa\
                    ZngQmXc9WNZSDNGCzA+fWl9MEUHWIZo1CeJebdY/XlgKeTa0Olvq0rt70Q5jiSfbqMJmQFteeivUhkMWYUA=
                    Contact: <sip:fluffy@{sink}>
                    To: <sip:kumiko@example.org>
                    From: <sip:fluffy@example.com>;tag=2fb0dcc9
                    Call-ID: 3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..
                    CSeq: 1 MESSAGE
                    Content-Transfer-Encoding: binary
                    Content-Type: multipart/mixed;boundary=7a9cbec02ceef655
                    Date: Sat, 15 Oct 2005 04:44:56 GMT
                    User-Agent: SIPimp.org/0.2.5 (curses)
                    Content-Length: {length}

                    --7a9cbec02ceef655
                    Content-Type: text/plain
                    Content-Transfer-Encoding: binary

                    Hello
                    --7a9cbec02ceef655
                    Content-Type: application/octet-stream
                    Content-Transfer-Encoding: binary

                    {binary}
                    --7a9cbec02ceef655--
                    """, binaryBlob()),
            response("unreason", "3.1.1.12", "SIP/2.0 200 = 2**3 * 5**2 \u043d\u043e \u0441\u0442\u043e "
                    + "\u0434\u0435\u0432\u044f\u043d\u043e\u0441\u0442\u043e \u0434\u0435\u0432\u044f\u0442\u044c "
                    + "- \u043f\u0440\u043e\u0441\u0442\u043e\u0435\n" + """
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK1324923
                    Call-ID: unreason.1234ksdfak3j2erwedfsASdf
                    CSeq: 35 INVITE
                    From: sip:user@example.com;tag=11141343
                    To: sip:user@example.edu;tag=2229
                    Content-Length: 154
                    Content-Type: application/sdp
                    Contact: <sip:user@{sink}>

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.198
                    s=-
                    c=IN IP4 192.0.2.198
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            response("noreason", "3.1.1.13", """
                    SIP/2.0 100\s
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK2398ndaoe
                    Call-ID: noreason.asndj203insdf99223ndf
                    CSeq: 35 INVITE
                    From: <sip:user@example.com>;tag=39ansfi3
                    To: <sip:user@example.edu>;tag=902jndnke3
                    Content-Length: 0
                    Contact: <sip:user@{sink}>

                    """),
            // ------------------------------------------------------------------ 3.1.2 invalid messages
            refused("badinv01", "3.1.2.1", """
                    INVITE sip:user@{target} SIP/2.0
                    To: sip:j.user@example.com
                    From: sip:caller@example.net;tag=134161461246
                    Max-Forwards: 7
                    Call-ID: badinv01.0ha0isndaksdjasdf3234nas
                    CSeq: 8 INVITE
                    Via: SIP/2.0/UDP {via};;,;,,
                    Contact: "Joe" <sip:joe@{sink}>;;;;
                    Content-Length: 152
                    Content-Type: application/sdp

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.15
                    s=-
                    c=IN IP4 192.0.2.15
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            refused("clerr", "3.1.2.2", """
                    INVITE sip:user@{target} SIP/2.0
                    Max-Forwards: 80
                    To: sip:j.user@example.com
                    From: sip:caller@example.net;tag=93942939o2
                    Contact: <sip:caller@{sink}>
                    Call-ID: clerr.0ha0isndaksdjweiafasdk3
                    CSeq: 8 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK-39234-23523
                    Content-Type: application/sdp
                    Content-Length: 9999

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.155
                    s=-
                    c=IN IP4 192.0.2.155
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            refused("ncl", "3.1.2.3", """
                    INVITE sip:user@{target} SIP/2.0
                    Max-Forwards: 254
                    To: sip:j.user@example.com
                    From: sip:caller@example.net;tag=32394234
                    Call-ID: ncl.0ha0isndaksdj2193423r542w35
                    CSeq: 0 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Contact: <sip:caller@{sink}>
                    Content-Type: application/sdp
                    Content-Length: -999

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.53
                    s=-
                    c=IN IP4 192.0.2.53
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            refused("scalar02", "3.1.2.4", """
                    REGISTER sip:{target} SIP/2.0
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK342sdfoi3
                    To: <sip:user@example.com>
                    From: <sip:user@example.com>;tag=239232jh3
                    CSeq: 36893488147419103232 REGISTER
                    Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32
                    Max-Forwards: 300
                    Expires: 1""" + "0".repeat(100) + """

                    Contact: <sip:user@{sink}>
                      ;expires=280297596632815
                    Content-Length: 0

                    """),
            response("scalarlg", "3.1.2.5", """
                    SIP/2.0 503 Service Unavailable
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129
                    To: <sip:user@example.com>
                    From: <sip:other@example.net>;tag=2easdjfejw
                    CSeq: 9292394834772304023312 OPTIONS
                    Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r
                    Retry-After: 949302838503028349304023988
                    Warning: 1812 overture "In Progress"
                    Content-Length: 0

                    """),
            refused("quotbal", "3.1.2.6", """
                    INVITE sip:user@{target} SIP/2.0
                    To: "Mr. J. User <sip:j.user@example.com>
                    From: sip:caller@example.net;tag=93334
                    Max-Forwards: 10
                    Call-ID: quotbal.aksdj
                    Contact: <sip:caller@{sink}>
                    CSeq: 8 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw39234
                    Content-Type: application/sdp
                    Content-Length: 152

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.15
                    s=-
                    c=IN IP4 192.0.2.15
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            refused("ltgtruri", "3.1.2.7", """
                    INVITE <sip:user@{target}> SIP/2.0
                    To: sip:user@example.com
                    From: sip:caller@example.net;tag=39291
                    Max-Forwards: 23
                    Call-ID: ltgtruri.1@192.0.2.5
                    CSeq: 1 INVITE
                    Via: SIP/2.0/UDP {via}
                    Contact: <sip:caller@{sink}>
                    Content-Type: application/sdp
                    Content-Length: 159

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.5
                    s=-
                    c=IN IP4 192.0.2.5
                    t=3149328700 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            refused("lwsruri", "3.1.2.8", """
                    INVITE sip:user@{target}; lr SIP/2.0
                    To: sip:user@example.com;tag=3xfe-9921883-z9f
                    From: sip:caller@example.net;tag=231413434
                    Max-Forwards: 5
                    Call-ID: lwsruri.asdfasdoeoi2323-asdfwrn23-asd834rk423
                    CSeq: 2130706432 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw2395
                    Contact: <sip:caller@{sink}>
                    Content-Type: application/sdp
                    Content-Length: 159

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.1
                    s=-
                    c=IN IP4 192.0.2.1
                    t=3149328700 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            tolerated("lwsstart", "3.1.2.9", """
                    INVITE  sip:user@{target}  SIP/2.0
                    Max-Forwards: 8
                    To: sip:user@example.com
                    From: sip:caller@example.net;tag=8814
                    Call-ID: lwsstart.dfknq234oi243099adsdfnawe3@example.com
                    CSeq: 1893884 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw3923
                    Contact: <sip:caller@{sink}>
                    Content-Type: application/sdp
                    Content-Length: 150

                    """ + SDP),
            tolerated("trws", "3.1.2.10", """
                    OPTIONS sip:remote-target@{target} SIP/2.0 \s
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK299342093
                    To: <sip:remote-target@example.com>
                    From: <sip:local-resource@example.com>;tag=329429089
                    Call-ID: trws.oicu34958239neffasdhr2345r
                    Accept: application/sdp
                    CSeq: 238923 OPTIONS
                    Max-Forwards: 70
                    Content-Length: 0

                    """),
            tolerated("escruri", "3.1.2.11", """
                    INVITE sip:user@{target}?Route=%3Csip:{sink}%3E SIP/2.0
                    To: sip:user@example.com
                    From: sip:caller@example.net;tag=341518
                    Max-Forwards: 7
                    Contact: <sip:caller@{sink}>
                    Call-ID: escruri.23940-asdfhj-aje3br-234q098w-fawerh2q-h4n5
                    CSeq: 149209342 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Content-Type: application/sdp
                    Content-Length: 150

                    """ + SDP),
            tolerated("baddate", "3.1.2.12", """
                    INVITE sip:user@{target} SIP/2.0
                    To: sip:user@example.com
                    From: sip:caller@example.net;tag=2234923
                    Max-Forwards: 70
                    Call-ID: baddate.239423mnsadf3j23lj42--sedfnm234
                    CSeq: 1392934 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Date: Fri, 01 Jan 2010 16:00:00 EST
                    Contact: <sip:caller@{sink}>
                    Content-Type: application/sdp
                    Content-Length: 150

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.5
                    s=-
                    c=IN IP4 192.0.2.5
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            tolerated("regbadct", "3.1.2.13", """
                    REGISTER sip:{target} SIP/2.0
                    To: sip:user@example.com
                    From: sip:user@example.com;tag=998332
                    Max-Forwards: 70
                    Call-ID: regbadct.k345asrl3fdbv@10.0.0.1
                    CSeq: 1 REGISTER
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Contact: sip:user@{sink}?Route=%3Csip:{sink}%3E
                    l: 0

                    """),
            tolerated("badaspec", "3.1.2.14", """
                    OPTIONS sip:user@{target} SIP/2.0
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdju43234
                    Max-Forwards: 70
                    From: "Bell, Alexander" <sip:a.g.bell@example.com>;tag=433423
                    To: "Watson, Thomas" < sip:t.watson@example.org >
                    Call-ID: badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3
                    Accept: application/sdp
                    CSeq: 3923239 OPTIONS
                    l: 0

                    """),
            tolerated("baddn", "3.1.2.15", """
                    OPTIONS sip:t.watson@{target} SIP/2.0
                    Via:     SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Max-Forwards:      70
                    From:    Bell, Alexander <sip:a.g.bell@example.com>;tag=43
                    To:      Watson, Thomas <sip:t.watson@example.org>
                    Call-ID: baddn.31415@c.example.com
                    Accept: application/sdp
                    CSeq:    3923239 OPTIONS
                    l: 0

                    """),
            refused("badvers", "3.1.2.16", """
                    OPTIONS sip:t.watson@{target} SIP/7.0
                    Via:     SIP/7.0/UDP {via};branch=z9hG4bKkdjuw
                    Max-Forwards:     70
                    From:    A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe
                    To:      T. Watson <sip:t.watson@example.org>
                    Call-ID: badvers.31417@c.example.com
                    CSeq:    1 OPTIONS
                    l: 0

                    """),
            refused("mismatch01", "3.1.2.17", """
                    OPTIONS sip:user@{target} SIP/2.0
                    To: sip:j.user@example.com
                    From: sip:caller@example.net;tag=34525
                    Max-Forwards: 6
                    Call-ID: mismatch01.dj0234sxdfl3
                    CSeq: 8 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    l: 0

                    """),
            refused("mismatch02", "3.1.2.18", """
                    NEWMETHOD sip:user@{target} SIP/2.0
                    To: sip:j.user@example.com
                    From: sip:caller@example.net;tag=34525
                    Max-Forwards: 6
                    Call-ID: mismatch02.dj0234sxdfl3
                    CSeq: 8 INVITE
                    Contact: <sip:caller@{sink}>
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Content-Type: application/sdp
                    l: 138

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.1
                    c=IN IP4 192.0.2.1
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            response("bigcode", "3.1.2.19", """
                    SIP/2.0 4294967301 better not break the receiver
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK2398ndaoe
                    Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i
                    CSeq: 353494 INVITE
                    From: <sip:user@example.com>;tag=39ansfi3
                    To: <sip:user@example.edu>;tag=902jndnke3
                    Content-Length: 0
                    Contact: <sip:user@{sink}>

                    """),
            // ------------------------------------------------------------------ 3.2 transaction layer
            valid("badbranch", "3.2.1", """
                    OPTIONS sip:user@{target} SIP/2.0
                    To: sip:user@example.com
                    From: sip:caller@example.org;tag=33242
                    Max-Forwards: 3
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK
                    Accept: application/sdp
                    Call-ID: badbranch.sadonfo23i420jv0as0derf3j3n
                    CSeq: 8 OPTIONS
                    l: 0

                    """),
            // ------------------------------------------------------------------ 3.3 application layer
            refused("insuf", "3.3.1", """
                    INVITE sip:user@{target} SIP/2.0
                    CSeq: 193942 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdj.insuf
                    Content-Type: application/sdp
                    l: 152

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.95
                    s=-
                    c=IN IP4 192.0.2.95
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            refused("unkscm", "3.3.2", """
                    OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0
                    To: sip:user@example.com
                    From: sip:caller@example.net;tag=384
                    Max-Forwards: 3
                    Call-ID: unkscm.nasdfasser0q239nwsdfasdkl34
                    CSeq: 3923423 OPTIONS
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw39234
                    Content-Length: 0

                    """),
            refused("novelsc", "3.3.3", """
                    OPTIONS soap.beep://192.0.2.103:3002 SIP/2.0
                    To: sip:user@example.com
                    From: sip:caller@example.net;tag=384
                    Max-Forwards: 3
                    Call-ID: novelsc.asdfasser0q239nwsdfasdkl34
                    CSeq: 3923423 OPTIONS
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw39234
                    Content-Length: 0

                    """),
            valid("unksm2", "3.3.4", """
                    REGISTER sip:{target} SIP/2.0
                    To: isbn:2983792873
                    From: <http://www.example.com>;tag=3234233
                    Call-ID: unksm2.daksdj@hyphenated-host.example.com
                    CSeq: 234902 REGISTER
                    Max-Forwards: 70
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Contact: <name:John_Smith>
                    l: 0

                    """),
            refused("bext01", "3.3.5", """
                    OPTIONS sip:user@{target} SIP/2.0
                    To: sip:j_user@example.com
                    From: sip:caller@example.net;tag=242etr
                    Max-Forwards: 6
                    Call-ID: bext01.0ha0isndaksdj
                    Require: nothingSupportsThis, nothingSupportsThisEither
                    Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis
                    CSeq: 8 OPTIONS
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Content-Length: 0

                    """),
            refused("invut", "3.3.6", """
                    INVITE sip:user@{target} SIP/2.0
                    Contact: <sip:caller@{sink}>
                    To: sip:j.user@example.com
                    From: sip:caller@example.net;tag=8392034
                    Max-Forwards: 70
                    Call-ID: invut.0ha0isndaksdjadsfij34n23d
                    CSeq: 235448 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Content-Type: application/unknownformat
                    Content-Length: 40

                    <audio>
                     <pcmu port="443"/>
                    </audio>
                    """),
            valid("regaut01", "3.3.7", """
                    REGISTER sip:{target} SIP/2.0
                    To: sip:j.user@example.com
                    From: sip:j.user@example.com;tag=87321hj23128
                    Max-Forwards: 8
                    Call-ID: regaut01.0ha0isndaksdj
                    CSeq: 9338 REGISTER
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Authorization: NoOneKnowsThisScheme opaque-data=here
                    Content-Length:0

                    """),
            refused("multi01", "3.3.8", """
                    INVITE sip:user@{target} SIP/2.0
                    Contact: <sip:caller@{sink}>
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Max-Forwards: 70
                    CSeq: 5 INVITE
                    Call-ID: multi01.98asdh@192.0.2.1
                    CSeq: 59 INVITE
                    Call-ID: multi01.98asdh@192.0.2.2
                    From: sip:caller@example.com;tag=3413415
                    To: sip:user@example.com
                    To: sip:other@example.net
                    From: sip:caller@example.net;tag=2923420123
                    Content-Type: application/sdp
                    l: 154
                    Contact: <sip:caller@{sink}>
                    Max-Forwards: 5

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.25
                    s=-
                    c=IN IP4 192.0.2.25
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            refused("mcl01", "3.3.9", """
                    OPTIONS sip:user@{target} SIP/2.0
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK293423
                    To: sip:user@example.com
                    From: sip:other@example.net;tag=3923942
                    Call-ID: mcl01.fhn2323orihawfdoa3o4r52o3irsdf
                    CSeq: 15932 OPTIONS
                    Content-Length: 13
                    Max-Forwards: 60
                    Content-Length: 5
                    Content-Type: text/plain

                    There's no way to know how many octets are supposed to be here.
                    """),
            response("bcast", "3.3.10", """
                    SIP/2.0 200 OK
                    Via: SIP/2.0/UDP {via};branch=z9hG4bK1324923
                    Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23
                    Call-ID: bcast.0384840201234ksdfak3j2erwedfsASdf
                    CSeq: 35 INVITE
                    From: sip:user@example.com;tag=11141343
                    To: sip:user@example.edu;tag=2229
                    Content-Length: 154
                    Content-Type: application/sdp
                    Contact: <sip:user@{sink}>

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.198
                    s=-
                    c=IN IP4 192.0.2.198
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            valid("zeromf", "3.3.11", """
                    OPTIONS sip:user@{target} SIP/2.0
                    To: sip:user@example.com
                    From: sip:caller@example.net;tag=3ghsd41
                    Call-ID: zeromf.jfasdlfnm2o2l43r5u0asdfas
                    CSeq: 39234321 OPTIONS
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw2349i
                    Max-Forwards: 0
                    Content-Length: 0

                    """),
            valid("cparam01", "3.3.12", """
                    REGISTER sip:{target} SIP/2.0
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Max-Forwards: 70
                    From: sip:watson@example.com;tag=DkfVgjkrtMwaerKKpe
                    To: sip:watson@example.com
                    Call-ID: cparam01.70710@saturn.example.com
                    CSeq: 2 REGISTER
                    Contact: sip:+19725552222@{sink};unknownparam
                    l: 0

                    """),
            valid("cparam02", "3.3.13", """
                    REGISTER sip:{target} SIP/2.0
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Max-Forwards: 70
                    From: sip:watson@example.com;tag=838293
                    To: sip:watson@example.com
                    Call-ID: cparam02.70710@saturn.example.com
                    CSeq: 3 REGISTER
                    Contact: <sip:+19725552222@{sink};unknownparam>
                    l: 0

                    """),
            valid("regescrt", "3.3.14", """
                    REGISTER sip:{target} SIP/2.0
                    To: sip:user@example.com
                    From: sip:user@example.com;tag=8
                    Max-Forwards: 70
                    Call-ID: regescrt.k345asrl3fdbv@192.0.2.1
                    CSeq: 14398234 REGISTER
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    M: <sip:user@{sink}?Route=%3Csip:{sink}%3E>
                    L:0

                    """),
            valid("sdp01", "3.3.15", """
                    INVITE sip:user@{target} SIP/2.0
                    To: sip:j_user@example.com
                    Contact: <sip:caller@{sink}>
                    From: sip:caller@example.net;tag=234
                    Max-Forwards: 5
                    Call-ID: sdp01.ndaksdj9342dasdd
                    Accept: text/nobodyKnowsThis
                    CSeq: 8 INVITE
                    Via: SIP/2.0/UDP {via};branch=z9hG4bKkdjuw
                    Content-Length: 150
                    Content-Type: application/sdp

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.5
                    s=-
                    c=IN IP4 192.0.2.5
                    t=0 0
                    m=audio 49217 RTP/AVP 0 12
                    m=video 3227 RTP/AVP 31
                    a=rtpmap:31 LPC
                    """),
            // ------------------------------------------------------------------ 3.4 backward compatibility
            valid("inv2543", "3.4.1", """
                    INVITE sip:UserB@{target} SIP/2.0
                    Via: SIP/2.0/UDP {via}
                    From: <sip:+13035551111@ift.client.example.net;user=phone>
                    Record-Route: <sip:UserB@{sink};maddr=127.0.0.1>
                    To: sip:+16505552222@ss1.example.net;user=phone
                    Call-ID: inv2543.1717@ift.client.example.com
                    CSeq: 56 INVITE
                    Content-Type: application/sdp

                    v=0
                    o=mhandley 29739 7272939 IN IP4 192.0.2.5
                    s=-
                    c=IN IP4 192.0.2.5
                    t=0 0
                    m=audio 49217 RTP/AVP 0
                    """));
}
