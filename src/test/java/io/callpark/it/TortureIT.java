package io.callpark.it;

import com.fasterxml.jackson.databind.JsonNode;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.callpark.testing.ApiClient;
import io.callpark.testing.LogTail;
import io.callpark.testing.SealedWire;
import io.callpark.testing.TestNetwork;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import io.callpark.testing.TortureMessages;
import io.callpark.testing.TortureMessages.Message;
import io.callpark.testing.TortureMessages.Verdict;
import io.callpark.testing.Wait;
import io.callpark.testing.WireFuzzer;
import io.callpark.testing.WireFuzzer.Mutant;
import io.callpark.testing.WireProbe;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sip.address.SipURI;
import javax.sip.header.ContentTypeHeader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.callpark.testing.ForgedSender.at;
import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, the wire is hostile: torture. The messages of RFC 4475 and a bounded, deterministic fuzz of a valid
 * park INVITE (and of a REGISTER with credentials), sent as an attacker on the host would: to Kamailio from
 * phone-like addresses, straight to the app node unsealed, and to the node sealed as Kamailio seals (an attacker
 * who stole the secret, or a Kamailio that lets garbage through), so that the application's own logic sees them.
 *
 * <p>While it goes on a call is parked. Afterwards: no thread died, no stack trace per message, the parked call is
 * still listed and its music still plays, the node still parks and retrieves, Kamailio still registers a phone, and
 * what they hold is back to what it was (the node's parked calls and music streams, Kamailio's transactions and
 * shared memory). Every invalid request that reaches the application is refused, never answered 2xx.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TortureIT extends PhonesOnTestNetwork {

    /** The fuzz's seed and size: the same run every time; a failure names the mutant's index and mutations. */
    static final long SEED = 4475L;
    static final int KAMAILIO_INVITES = 140;
    static final int KAMAILIO_REGISTERS = 60;
    static final int NODE_SEALED = 160;
    static final int NODE_UNSEALED = 40;
    /** The fuzz stops sending at this deadline, however far it got (it takes about a minute here, under load). */
    static final Duration FUZZ_DEADLINE = Duration.ofSeconds(90);
    static final int BATCH = 25;
    /** How long a batch's senders wait for their answers (a dropped message waits this long). */
    static final Duration ANSWERS = Duration.ofSeconds(3);

    /** Phone-like source addresses of the attacker, outside the 127.0.0.x the test phones use. */
    private static final String ATTACKER_NET = "127.0.3.";
    private static final Pattern DEATHS = Pattern.compile(
            "Exception in thread|OutOfMemoryError|StackOverflowError|uncaught|Uncaught|ThreadDeath");
    private static final Pattern NODE_ERRORS = Pattern.compile(" (ERROR|SEVERE) ");
    private static final Pattern STACK_TRACES = Pattern.compile("^\\s+at [\\w.$/]+\\(|^Caused by: ");
    private static final Pattern KAMAILIO_DEATHS = Pattern.compile(
            "exited by a signal|core dumped|segfault|CRITICAL|BUG:|out of memory|no more shm|no more pkg");

    private final SealedWire sealer = SealedWire.ofTestNetwork();
    private int attackerHost;

    private static InetSocketAddress kamailio() {
        return at("127.0.0.1", TestNetwork.kamailioPort());
    }

    private static InetSocketAddress node() {
        return at("127.0.0.1", TestNetwork.appSipPort());
    }

    /** A phone-like loopback address of the attacker; each message its own, so Kamailio's flood limit stays out. */
    private String attacker() {
        attackerHost = attackerHost < 10 || attackerHost >= 230 ? 10 : attackerHost + 1;
        return ATTACKER_NET + attackerHost;
    }

    // ================================================================== the tests

    @Test
    void rfc4475MessagesAreRefusedOrDroppedAndTheServiceGoesOn() throws Exception {
        survives(this::rfc4475);
    }

    @Test
    void aBoundedFuzzOfAParkInviteBreaksNothing() throws Exception {
        survives(this::fuzz);
    }

    // ================================================================== RFC 4475

    private enum Target { KAMAILIO, NODE_UNSEALED, NODE_SEALED }

    /** One message on its way: where it went, from which socket, what it was. */
    private record Sent(Target target, Message message, WireProbe probe, byte[] datagram) {
    }

    private void rfc4475(List<String> problems, WireProbe sink) throws Exception {
        int count = TortureMessages.all("x", "x", "x").size();
        List<Sent> sent = new ArrayList<>();
        try {
            for (Target target : Target.values()) {
                for (int i = 0; i < count; i++) {
                    WireProbe probe = new WireProbe(target == Target.NODE_SEALED ? "127.0.0.1" : attacker());
                    String where = "127.0.0.1:" + (target == Target.KAMAILIO ? TestNetwork.kamailioPort()
                            : TestNetwork.appSipPort());
                    Message message = TortureMessages.all(probe.sentBy(), where, sink.sentBy(),
                            "." + target.ordinal() + "m" + i).get(i);
                    sent.add(new Sent(target, message, probe, send(target, message, probe, sink)));
                }
            }
            awaitAnswers(sent.stream().map(Sent::probe).toList());
            for (Sent s : sent) {
                judge(s, problems);
                if (acknowledge(s.target(), s.datagram(), s.probe(), sink)) {
                    problems.add(s.target() + " answered " + s.message() + " 2xx, in a dialog nobody can end");
                }
            }
            Wait.until(() -> sent.stream().allMatch(s -> acknowledged(s.probe())), ANSWERS);
            sent.stream().filter(s -> !acknowledged(s.probe())).forEach(s -> problems.add(s.target() + " opened a"
                    + " dialog for " + s.message() + " and did not answer its BYE"));
        } finally {
            sent.forEach(s -> s.probe().close());
        }
        java.util.Map<String, List<String>> answers = new java.util.LinkedHashMap<>();
        sent.forEach(s -> answers.computeIfAbsent(s.message().name(), name -> new ArrayList<>()).add(s.target()
                + " " + s.probe().finalStatus().map(String::valueOf).orElse("-")));
        System.out.println("== RFC 4475: " + sent.size() + " messages, the final answers (- for none)");
        answers.forEach((name, each) -> System.out.println("   " + name + ": " + String.join(", ", each)));
    }

    /** Sends the message as the target would get it; the datagram that went. */
    private byte[] send(Target target, Message message, WireProbe probe, WireProbe sink) throws Exception {
        byte[] datagram = message.bytes();
        switch (target) {
            case KAMAILIO -> probe.send(kamailio(), datagram);
            case NODE_UNSEALED -> probe.send(node(), datagram);
            case NODE_SEALED -> {
                if (!message.isResponse()) {
                    // what Kamailio vouches for: an initial request's caller and source, an in-dialog one's source
                    String claims = message.inDialog() ? "src=" + sink.sentBy()
                            : "id=dave@" + ACME + ";src=" + sink.sentBy() + ";subs=";
                    datagram = sealer.sealed(datagram, claims).orElse(datagram);
                }
                WireProbe.sendFrom(kamailio(), node(), datagram);
            }
        }
        return datagram;
    }

    /** What an element may answer to a message, by who sent it to which element. */
    private static void judge(Sent s, List<String> problems) {
        Optional<Integer> status = s.probe().finalStatus();
        String what = s.target() + " got " + s.message() + " [" + s.message().verdict() + "] and answered "
                + s.probe().finalResponse().map(WireProbe::firstLine).orElse("nothing");
        if (s.message().isResponse()) {
            if (!s.probe().received().isEmpty()) {
                problems.add(what + ": nobody answers a response");
            }
            return;
        }
        switch (s.target()) {
            case KAMAILIO -> {
                if (status.isPresent() && status.get() < 300) {
                    problems.add(what + ": an unauthenticated phone's request is not served");
                }
            }
            case NODE_UNSEALED -> judgeNode(false, status, what, problems);
            case NODE_SEALED -> {
                judgeNode(true, status, what, problems);
                if (s.message().verdict() == Verdict.REFUSED && status.isPresent() && status.get() < 400) {
                    problems.add(what + ": RFC 4475 has it refused");
                }
                // (a 400 or 505 of the node's stack goes to the datagram's source, Kamailio's port: not seen here)
            }
        }
    }

    // ================================================================== the fuzz

    private void fuzz(List<String> problems, WireProbe sink) throws Exception {
        long deadline = System.nanoTime() + FUZZ_DEADLINE.toNanos();
        List<Shot> shots = new ArrayList<>();
        shots.addAll(plan(Target.KAMAILIO, "INVITE", KAMAILIO_INVITES, 0));
        shots.addAll(plan(Target.KAMAILIO, "REGISTER", KAMAILIO_REGISTERS, 10_000));
        shots.addAll(plan(Target.NODE_SEALED, "INVITE", NODE_SEALED, 20_000));
        shots.addAll(plan(Target.NODE_UNSEALED, "INVITE", NODE_UNSEALED, 30_000));
        Nonce nonce = nonce();
        int fired = 0;
        int unendable = 0;
        List<String> outcomes = new ArrayList<>();
        for (int from = 0; from < shots.size() && System.nanoTime() < deadline; from += BATCH) {
            List<Shot> batch = shots.subList(from, Math.min(shots.size(), from + BATCH));
            List<Fired> flying = new ArrayList<>();
            try {
                for (Shot shot : batch) {
                    flying.add(fire(shot, nonce, sink));
                }
                awaitAnswers(flying.stream().map(Fired::probe).toList());
                for (Fired f : flying) {
                    judge(f, problems);
                    if (acknowledge(f.shot().target(), f.datagram(), f.probe(), sink)) {
                        unendable++;
                    }
                    outcomes.add(f.shot().target() + " " + f.shot().method() + " -> "
                            + f.probe().finalStatus().map(String::valueOf).orElse("-"));
                }
                Wait.until(() -> flying.stream().allMatch(f -> acknowledged(f.probe())), ANSWERS);
                flying.stream().filter(f -> !acknowledged(f.probe())).forEach(f -> problems.add(f.shot().target()
                        + " parked mutant #" + f.shot().mutant().index() + " (" + f.shot().mutant().mutations()
                        + ") and did not answer its BYE: " + f.probe().responses().stream()
                        .map(WireProbe::firstLine).toList()));
            } finally {
                flying.forEach(f -> f.probe().close());
            }
            fired += batch.size();
        }
        forgetRegistrations("102@" + ACME);
        // a park whose INVITE had CSeq 2^31-1 leaves its caller no CSeq for a BYE (RFC 3261 8.1.1.5): hung up here
        JsonNode left = ApiClient.operator().get("/tenants/" + ACME + "/parked?extension=104").json().path("calls");
        assertEquals(unendable, left.size(), "calls the fuzz parked and could not hang up: " + left);
        for (JsonNode call : left) {
            ApiClient.operator().delete("/tenants/" + ACME + "/parked/" + call.path("parkId").asText());
        }
        summary("fuzz (seed " + SEED + ", " + fired + " of " + shots.size() + " sent)", outcomes);
        assertTrue(fired >= shots.size() / 2, "the fuzz got through " + fired + " of " + shots.size()
                + " messages before its deadline");
    }

    /** A mutant to send: where, and of which base message. */
    private record Shot(Target target, String method, Mutant mutant, String source) {
    }

    private record Fired(Shot shot, WireProbe probe, byte[] datagram) {
    }

    private record Nonce(String realm, String nonce) {
    }

    /** The mutants of one base message for one target, each from its own phone-like address. */
    private List<Shot> plan(Target target, String method, int count, int firstIndex) {
        WireFuzzer fuzzer = new WireFuzzer(SEED + firstIndex, target == Target.NODE_SEALED);
        List<Shot> shots = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String source = target == Target.NODE_SEALED ? "127.0.0.1" : attacker();
            // the base names {via}: filled in when the probe's port is known, after the mutation (it is protected)
            byte[] base = base(target, method, firstIndex + i, source);
            shots.add(new Shot(target, method, fuzzer.mutate(base, firstIndex + i), source));
        }
        return shots;
    }

    /**
     * The valid message a mutant starts from: a park INVITE as a phone sends it to Kamailio, or as Kamailio relays
     * it to a node (its Via and Record-Route on top), or 102's REGISTER with its digest; {via}, {rtp}, {realm},
     * {nonce} and {response} are filled in when it is sent.
     */
    private static byte[] base(Target target, String method, int index, String source) {
        String callId = "torture-" + SEED + "-" + index + "@" + ATTACKER_NET + "1";
        String sdp = "v=0\r\no=dave 4475 1 IN IP4 " + ATTACKER_NET + "1\r\ns=-\r\nc=IN IP4 " + ATTACKER_NET + "1\r\n"
                + "t=0 0\r\nm=audio {rtp} RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n";
        if ("REGISTER".equals(method)) {
            return ("REGISTER sip:" + ACME + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP {via};rport;branch=z9hG4bK-reg-" + index + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:102@" + ACME + ">;tag=reg" + index + "\r\n"
                    + "To: <sip:102@" + ACME + ">\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 2 REGISTER\r\n"
                    + "Contact: <sip:102@{via}>\r\n"
                    + "Expires: 60\r\n"
                    + "Authorization: Digest username=\"102\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"sip:"
                    + ACME + "\", response=\"{response}\", algorithm=MD5, cnonce=\"4475\", qop=auth, nc=00000001\r\n"
                    + "User-Agent: torture\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }
        boolean viaKamailio = target == Target.NODE_SEALED;
        String head = "INVITE sip:*68104@" + ACME + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP {via};branch=z9hG4bK-fuzz-" + index + "\r\n"
                + (viaKamailio ? "Via: SIP/2.0/UDP " + source + ":5099;rport=5099;received=" + source
                + ";branch=z9hG4bK-phone-" + index + "\r\n"
                + "Record-Route: <sip:127.0.0.1:" + TestNetwork.kamailioPort() + ";lr;ftag=fz" + index + ">\r\n" : "")
                + "Max-Forwards: " + (viaKamailio ? 69 : 70) + "\r\n"
                + "From: \"Dave\" <sip:dave@" + ACME + ">;tag=fz" + index + "\r\n"
                + "To: <sip:*68104@" + ACME + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + (1 + index % 7) + " INVITE\r\n"
                + "Contact: <sip:dave@{via}>\r\n"
                + "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, REFER, NOTIFY\r\n"
                + "Supported: replaces, timer\r\n"
                + "User-Agent: torture\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.replace("{rtp}", "40000").length() + "\r\n\r\n";
        return (head + sdp).getBytes(StandardCharsets.ISO_8859_1);
    }

    private Fired fire(Shot shot, Nonce nonce, WireProbe sink) throws Exception {
        WireProbe probe = new WireProbe(shot.source());
        String text = shot.mutant().text().replace("{via}", probe.sentBy())
                .replace("{rtp}", String.valueOf(sink.port())).replace("{realm}", nonce.realm())
                .replace("{nonce}", nonce.nonce());
        text = text.replace("{response}", digest(nonce));
        byte[] datagram = text.getBytes(StandardCharsets.ISO_8859_1);
        switch (shot.target()) {
            case KAMAILIO -> probe.send(kamailio(), datagram);
            case NODE_UNSEALED -> probe.send(node(), datagram);
            case NODE_SEALED -> {
                String claims = "id=dave@" + ACME + ";src=" + sink.sentBy() + ";subs=104";
                datagram = sealer.sealed(datagram, claims).orElse(datagram);
                WireProbe.sendFrom(kamailio(), node(), datagram);
            }
        }
        return new Fired(shot, probe, datagram);
    }

    /** The digest response of 102's REGISTER (RFC 2617, qop=auth), right as long as the mutant kept it so. */
    private static String digest(Nonce nonce) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        HexFormat hex = HexFormat.of();
        String ha1 = hex.formatHex(md5.digest(("102:" + nonce.realm() + ":" + TestNetwork.PASSWORD)
                .getBytes(StandardCharsets.UTF_8)));
        String ha2 = hex.formatHex(md5.digest(("REGISTER:sip:" + ACME).getBytes(StandardCharsets.UTF_8)));
        return hex.formatHex(md5.digest((ha1 + ":" + nonce.nonce() + ":00000001:4475:auth:" + ha2)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** A nonce of Kamailio's, from the challenge to an unauthenticated REGISTER of 102. */
    private Nonce nonce() throws Exception {
        try (WireProbe probe = new WireProbe(attacker())) {
            String register = "REGISTER sip:" + ACME + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + probe.sentBy() + ";rport;branch=z9hG4bK-nonce-" + System.nanoTime() + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:102@" + ACME + ">;tag=n1\r\nTo: <sip:102@" + ACME + ">\r\n"
                    + "Call-ID: torture-nonce-" + System.nanoTime() + "\r\nCSeq: 1 REGISTER\r\n"
                    + "Contact: <sip:102@" + probe.sentBy() + ">\r\nContent-Length: 0\r\n\r\n";
            probe.send(kamailio(), register.getBytes(StandardCharsets.UTF_8));
            assertTrue(probe.awaitFinal(WAIT), "Kamailio challenges a REGISTER");
            String challenge = probe.finalResponse().orElseThrow();
            Matcher realm = Pattern.compile("realm=\"([^\"]+)\"").matcher(challenge);
            Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
            assertTrue(realm.find() && nonce.find(), challenge);
            return new Nonce(realm.group(1), nonce.group(1));
        }
    }

    private static void judge(Fired f, List<String> problems) {
        Optional<String> answer = f.probe().finalResponse();
        Optional<Integer> status = f.probe().finalStatus();
        Mutant m = f.shot().mutant();
        String what = f.shot().target() + " got " + f.shot().method() + " mutant #" + m.index() + " (" + m.mutations()
                + ") and answered " + answer.map(WireProbe::firstLine).orElse("nothing");
        switch (f.shot().target()) {
            case KAMAILIO -> {
                if (status.isPresent() && status.get() < 300 && !"REGISTER".equals(f.shot().method())) {
                    problems.add(what + ": an unauthenticated INVITE is never served");
                }
            }
            case NODE_UNSEALED -> judgeNode(false, status, what, problems);
            case NODE_SEALED -> {
                judgeNode(true, status, what, problems);
                if (status.isPresent() && status.get() < 300 && !isAPark(f.datagram())) {
                    problems.add(what + ": only a well-formed park INVITE is answered 2xx");
                }
            }
        }
    }

    /** What holds for any request a node got: unsealed, refused or unparsed; sealed, never a failure inside. */
    private static void judgeNode(boolean sealed, Optional<Integer> status, String what, List<String> problems) {
        if (!sealed && status.isPresent() && status.get() != 403 && status.get() != 400) {
            problems.add(what + ": a request that is not Kamailio's is refused (403) or unparsed (400)");
        }
        if (sealed && status.isPresent() && status.get() == 500) {
            problems.add(what + ": 500 is the answer of a failure inside the node");
        }
    }

    /** Whether a datagram, as the node's stack reads it, is an INVITE to a park code with an SDP offer. */
    private static boolean isAPark(byte[] datagram) {
        Optional<SIPMessage> parsed = SealedWire.parse(datagram);
        if (parsed.isEmpty() || !(parsed.get() instanceof SIPRequest request)) {
            return false;
        }
        ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        return "INVITE".equals(request.getMethod()) && request.getCSeq() != null
                && "INVITE".equals(request.getCSeq().getMethod())
                && request.getRequestURI() instanceof SipURI uri && uri.getUser() != null
                && uri.getUser().replace("%2A", "*").replace("%2a", "*").startsWith("*68")
                && type != null && "sdp".equalsIgnoreCase(type.getContentSubType())
                && request.getRawContent() != null && request.getRawContent().length > 0;
    }

    // ================================================================== answers and dialogs

    /** Waits until every probe has a final answer, or for {@link #ANSWERS} (a dropped message never gets one). */
    private static void awaitAnswers(List<WireProbe> probes) {
        Wait.until(() -> probes.stream().allMatch(p -> p.finalStatus().isPresent()), ANSWERS);
    }

    /**
     * Ends what a sealed INVITE to the node started, as Kamailio and the phone would: the ACK of a negative final
     * answer (hop by hop, under the INVITE's seal), and for a 2xx the ACK and a BYE.
     *
     * @return whether a 2xx opened a dialog no BYE can end (the INVITE's CSeq was the largest there is)
     */
    private boolean acknowledge(Target target, byte[] datagram, WireProbe probe, WireProbe sink) throws Exception {
        if (target != Target.NODE_SEALED) {
            return false;
        }
        Optional<String> answer = probe.finalResponse();
        if (answer.isEmpty() || !answer.get().contains(" INVITE\r\n")) {
            return false;
        }
        if (WireProbe.status(answer.get()) < 300) {
            Optional<byte[][]> end = sealer.ackAndBye(answer.get(), probe.sentBy(), sink.sentBy());
            if (end.isEmpty()) {
                return true;
            }
            WireProbe.sendFrom(kamailio(), node(), end.get()[0]);
            WireProbe.sendFrom(kamailio(), node(), end.get()[1]);
        } else {
            Optional<byte[]> ack = sealer.ackOfNegative(datagram, answer.get());
            if (ack.isPresent()) {
                WireProbe.sendFrom(kamailio(), node(), ack.get());
            }
        }
        return false;
    }

    /** A probe whose INVITE was answered 2xx has the 200 to its BYE too (unless no BYE could be sent). */
    private static boolean acknowledged(WireProbe probe) {
        Optional<Integer> status = probe.finalStatus();
        if (status.isEmpty() || status.get() >= 300 || !probe.finalResponse().orElse("").contains(" INVITE\r\n")
                || SealedWire.lastCseq(probe.finalResponse().get())) {
            return true;
        }
        return probe.responses().stream().anyMatch(r -> r.contains(" BYE\r\n") && WireProbe.status(r) >= 200);
    }

    private static void summary(String what, List<String> outcomes) {
        java.util.Map<String, Long> counted = new java.util.TreeMap<>();
        outcomes.forEach(o -> counted.merge(o, 1L, Long::sum));
        System.out.println("== " + what + ": " + outcomes.size() + " messages");
        counted.forEach((outcome, n) -> System.out.println("   " + n + " x " + outcome));
    }

    // ================================================================== the service survives

    /** A torture: it adds a line to {@code problems} for each answer the element should not have given. */
    private interface Torture {
        void run(List<String> problems, WireProbe sink) throws Exception;
    }

    /**
     * Parks a call with music, runs the torture, then checks what a user and an operator would: the parked call
     * and its music, a new park and retrieve, a registration, the logs, and what the node and Kamailio hold.
     */
    private void survives(Torture torture) throws Exception {
        TestPhone carol = phone("carol");
        Call parked = carol.call("sip:*68103@" + ACME);
        assertEquals(200, parked.status(), "carol parks at 103");
        assertTrue(carol.rtp().awaitMore(25, WAIT), "music reaches carol before the torture");
        JsonNode before = status();
        String kamailioBefore = TestNetwork.kamailio().rpc("tm.stats");
        long shmBefore = shmUsed();
        LogTail nodeLog = LogTail.from(LogTail.serverLog());
        LogTail kamailioLog = LogTail.from(TestNetwork.kamailio().log());

        List<String> problems = new ArrayList<>();
        try (WireProbe sink = new WireProbe(ATTACKER_NET + "1")) {
            torture.run(problems, sink);
            assertTrue(problems.isEmpty(), problems.size() + " wrong answers:\n" + String.join("\n", problems));
            // (music for a park of the torture comes here too: only SIP counts)
            List<String> relayed = sink.received().stream().filter(d -> d.contains("SIP/2.0")).toList();
            assertTrue(relayed.isEmpty(), "nothing was relayed to a contact the torture named: "
                    + relayed.stream().map(WireProbe::firstLine).toList());
        }

        // the parked call is still there, with its music
        JsonNode calls = ApiClient.operator().get("/tenants/" + ACME + "/parked").json().path("calls");
        assertEquals(1, calls.size(), "only carol's call is parked: " + calls);
        assertEquals("103", calls.get(0).path("extension").asText());
        assertTrue(carol.rtp().awaitMore(25, WAIT), "music still reaches carol after the torture");
        assertFalse(parked.isEnded(), "carol was never hung up on");

        // a new call parks and is retrieved; a phone registers
        TestPhone dave = phone("dave");
        TestPhone ext105 = phone("105");
        Call daveParked = dave.call("sip:*68105@" + ACME);
        assertEquals(200, daveParked.status(), "a new park works");
        assertTrue(dave.rtp().awaitMore(5, WAIT), "with music");
        Call retrieve = ext105.call("sip:*88@" + ACME);
        assertEquals(200, retrieve.status(), "and its retrieve");
        assertTrue(daveParked.awaitReceived("INVITE", 1, WAIT).isPresent(), "dave is joined with 105");
        assertEquals(200, retrieve.bye().getStatusCode());
        assertTrue(daveParked.awaitEnded(WAIT));
        phone("104"); // registers, or fails the test

        // nobody died, nobody logged a stack trace per message
        List<String> deaths = nodeLog.lines(DEATHS);
        assertTrue(deaths.isEmpty(), "the node's log: " + deaths);
        List<String> errors = nodeLog.lines(NODE_ERRORS);
        assertTrue(errors.isEmpty(), errors.size() + " errors in the node's log, first: "
                + errors.stream().limit(5).map(TortureIT::shortened).toList());
        List<String> traces = nodeLog.lines(STACK_TRACES);
        assertTrue(traces.isEmpty(), traces.size() + " stack trace lines in the node's log, first: "
                + traces.stream().limit(12).toList());
        List<String> kamailioDeaths = kamailioLog.lines(KAMAILIO_DEATHS);
        assertTrue(kamailioDeaths.isEmpty(), "Kamailio's log: " + kamailioDeaths.stream().limit(5).toList());

        // what they hold is back to what it was
        assertTrue(Wait.until(() -> sameHoldings(before), Duration.ofSeconds(20)),
                "parked calls and music streams back to " + before + ", now " + status());
        assertTrue(Wait.until(() -> tmCurrent() <= currentOf(kamailioBefore) + 2, Duration.ofSeconds(40)),
                "Kamailio's transactions back to " + kamailioBefore + ", now " + tmCurrent());
        long shmAfter = shmUsed();
        assertTrue(shmAfter - shmBefore < 16L * 1024 * 1024, "Kamailio's shared memory grew from " + shmBefore
                + " to " + shmAfter);
        assertEquals(200, parked.bye().getStatusCode(), "carol's own BYE still ends her call");
    }

    /** What a mutant REGISTER that kept its digest registered. */
    private static void forgetRegistrations(String aor) throws Exception {
        try {
            TestNetwork.kamailio().rpc("ul.rm", "location", aor);
        } catch (java.io.IOException e) {
            if (!e.getMessage().contains("404")) {
                throw e;
            }
        }
    }

    private static String shortened(String line) {
        return line.length() > 400 ? line.substring(0, 400) + "..." : line;
    }

    private static JsonNode status() throws Exception {
        return ApiClient.operator().get("/status").json();
    }

    private static boolean sameHoldings(JsonNode before) {
        try {
            JsonNode now = status();
            return now.path("parkedCalls").asInt() == before.path("parkedCalls").asInt()
                    && now.path("musicStreams").asInt() == before.path("musicStreams").asInt();
        } catch (Exception e) {
            return false;
        }
    }

    private static int tmCurrent() {
        try {
            return currentOf(TestNetwork.kamailio().rpc("tm.stats"));
        } catch (Exception e) {
            return Integer.MAX_VALUE;
        }
    }

    private static int currentOf(String tmStats) {
        Matcher m = Pattern.compile("current:\\s*(\\d+)").matcher(tmStats);
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    private static long shmUsed() throws Exception {
        Matcher m = Pattern.compile("real_used:\\s*(\\d+)").matcher(TestNetwork.kamailio().rpc("core.shmmem"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
