package io.callpark.testing;

import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.clientauthutils.AccountManager;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A SIP phone for tests, on JAIN-SIP RI: registers with digest auth through Kamailio, places and answers calls
 * with an SDP pointing at its own {@link RtpCounter}, transfers (REFER) and follows transfers like a real phone,
 * and keeps every NOTIFY it receives.
 */
public final class TestPhone implements SipListener, AutoCloseable {

    public final String user;
    public final String domain;
    private final String password;
    private final String address;
    private final int port;
    private final String transport;
    private final String proxyHost;
    private final int proxyPort;
    private final SipStackImpl stack;
    private final SipProvider provider;
    private final MessageFactory messages = new MessageFactoryImpl();
    private final HeaderFactory headers = new HeaderFactoryImpl();
    private final AddressFactory addresses = new AddressFactoryImpl();
    private final AuthenticationHelper auth;
    private final RtpCounter rtp;
    private final AtomicLong cseq = new AtomicLong(1);
    private final String registrationCallId;

    private final BlockingQueue<Request> notifies = new LinkedBlockingQueue<>();
    private final List<Request> allNotifies = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Call> incoming = new LinkedBlockingQueue<>();
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final FinalResponses finals = new FinalResponses();
    private volatile boolean autoAnswer = true;
    private volatile String answerSdp;
    private volatile boolean ringOnly;
    private final BlockingQueue<Call> cancelled = new LinkedBlockingQueue<>();
    private final BlockingQueue<Call> rang = new LinkedBlockingQueue<>();
    /**
     * Call-IDs cancelled before their INVITE was handled: the stack says 100 Trying on its own after 200 ms, the
     * proxy may CANCEL on it, and that CANCEL can be handled first. Guarded by {@link #calls}' lock with the INVITE.
     */
    private final Set<String> cancelledBeforeInvite = new HashSet<>();
    private volatile boolean followTransfers = true;
    private volatile String sdpDirection = "sendrecv";
    private volatile int rejectReInvites;
    private volatile boolean holdReInvites;
    private final BlockingQueue<java.util.concurrent.Callable<Void>> heldReInvites = new LinkedBlockingQueue<>();

    public TestPhone(String user, String domain, String password, String address, String proxyHost, int proxyPort)
            throws Exception {
        this(user, domain, password, address, proxyHost, proxyPort, "udp", null);
    }

    /**
     * A phone on SIP over TLS to {@code proxyHost:tlsPort}: it trusts exactly the certificates in {@code trustStore}
     * (a PKCS12 file, password {@link TlsFiles#STORE_PASSWORD}; an empty one trusts nothing) and holds no key of its
     * own, so nobody can open a TLS connection to it: whatever reaches it comes over the connection it opened.
     */
    public static TestPhone overTls(String user, String domain, String password, String address, String proxyHost,
            int tlsPort, java.nio.file.Path trustStore) throws Exception {
        return new TestPhone(user, domain, password, address, proxyHost, tlsPort, "tls", trustStore);
    }

    private TestPhone(String user, String domain, String password, String address, String proxyHost, int proxyPort,
            String transport, java.nio.file.Path trustStore) throws Exception {
        this.transport = transport;
        this.user = user;
        this.domain = domain;
        this.password = password;
        this.address = address;
        this.proxyHost = proxyHost;
        this.proxyPort = proxyPort;
        this.port = "tls".equals(transport) ? freeTcpPort(address) : freeUdpPort(address);
        Properties props = new Properties();
        props.setProperty("javax.sip.STACK_NAME", "phone-" + user + "-" + port);
        props.setProperty("javax.sip.OUTBOUND_PROXY", proxyHost + ":" + proxyPort + "/" + transport);
        if (trustStore != null) {
            // per stack (not the JVM's javax.net.ssl properties): each phone trusts what its test gives it
            props.setProperty("javax.net.ssl.keyStore", trustStore.toString());
            props.setProperty("javax.net.ssl.trustStore", trustStore.toString());
            props.setProperty("javax.net.ssl.keyStorePassword", TlsFiles.STORE_PASSWORD);
            props.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
            props.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.2, TLSv1.3");
            props.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", "5000");
        }
        props.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        props.setProperty("gov.nist.javax.sip.STACK_LOGGER", io.callpark.sip.JainSipStackLogger.class.getName());
        props.setProperty("gov.nist.javax.sip.SERVER_LOGGER", io.callpark.sip.JainSipMessageLogger.class.getName());
        stack = new SipStackImpl(props);
        ListeningPoint lp = stack.createListeningPoint(address, port, transport);
        provider = stack.createSipProvider(lp);
        provider.addSipListener(this);
        stack.start();
        auth = ((SipStackExt) stack).getAuthenticationHelper(new Credentials(), headers);
        rtp = new RtpCounter(address);
        registrationCallId = provider.getNewCallId().getCallId();
    }

    private static int freeTcpPort(String address) throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort(String address) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
            return s.getLocalPort();
        }
    }

    private final class Credentials implements AccountManager {
        @Override
        public UserCredentials getCredentials(ClientTransaction tx, String realm) {
            return new UserCredentials() {
                public String getUserName() { return user; }
                public String getPassword() { return password; }
                public String getSipDomain() { return realm; }
            };
        }
    }

    public String aor() {
        return "sip:" + user + "@" + domain;
    }

    public RtpCounter rtp() {
        return rtp;
    }

    public int sipPort() {
        return port;
    }

    public String address() {
        return address;
    }

    /** How the phone talks to Kamailio: udp, or tls. */
    public String transport() {
        return transport;
    }

    /** The transport-level failures the stack reported (a TLS handshake that failed, a connection refused). */
    public List<String> ioFailures() {
        return List.copyOf(ioFailures);
    }

    private final List<String> ioFailures = new CopyOnWriteArrayList<>();

    /** Like a phone nobody picks up: new calls ring (180) until they are cancelled. */
    public void ringOnly(boolean on) {
        ringOnly = on;
    }

    /** An incoming call that rang (180) on a phone set to {@link #ringOnly}. */
    public Call awaitRingingCall(Duration timeout) throws InterruptedException {
        return rang.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A ringing incoming call that the caller cancelled (it was answered 487). */
    public Call awaitCancelledCall(Duration timeout) throws InterruptedException {
        return cancelled.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void autoAnswer(boolean on) {
        autoAnswer = on;
    }

    /** Answers INVITEs and re-INVITEs with this SDP instead of its own (a hostile phone's); null: its own. */
    public void answerWithSdp(String sdp) {
        answerSdp = sdp;
    }

    /** Whether a transfer's INVITE copies the REFER's Referred-By (baresip 1.0 does not). */
    public void copyReferredBy(boolean on) {
        copyReferredBy = on;
    }

    private volatile boolean copyReferredBy = true;

    /** Whether a 401 or 407 is answered with this phone's credentials; off, the challenge is the answer. */
    public void answerChallenges(boolean on) {
        answerChallenges = on;
    }

    private volatile boolean answerChallenges = true;

    public void followTransfers(boolean on) {
        followTransfers = on;
    }

    /** Answers the next {@code count} re-INVITEs with 491 Request Pending, as a phone in glare does. */
    public void rejectReInvitesWithGlare(int count) {
        rejectReInvites = count;
    }

    /** Leaves incoming re-INVITEs unanswered until {@link #answerHeldReInvite} (to make glare happen). */
    public void holdReInvites(boolean on) {
        holdReInvites = on;
    }

    /** Answers the oldest held re-INVITE with 200 OK; false if none came within the timeout. */
    public boolean answerHeldReInvite(Duration timeout) throws Exception {
        var answer = heldReInvites.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (answer == null) {
            return false;
        }
        answer.call();
        return true;
    }

    // ------------------------------------------------------------ registration

    public int register() throws Exception {
        return register(3600);
    }

    public int register(int expires) throws Exception {
        Request register = newRequest(Request.REGISTER, "sip:" + domain, aor(), registrationCallId);
        register.addHeader(headers.createExpiresHeader(expires));
        return sendWithAuth(register).getStatusCode();
    }

    /** An out-of-dialog request other than INVITE and REGISTER (SUBSCRIBE, OPTIONS, ...); its final status. */
    public int request(String method, String target) throws Exception {
        Request request = newRequest(method, target, target, provider.getNewCallId().getCallId());
        if (Request.SUBSCRIBE.equals(method)) {
            request.addHeader(headers.createEventHeader("presence"));
            request.addHeader(headers.createExpiresHeader(60));
        }
        return sendWithAuth(request).getStatusCode();
    }

    // ------------------------------------------------------------ calls

    /** Calls {@code target} with our SDP; returns once a final response arrived (the call is ACKed if 2xx). */
    public Call call(String target, Header... extra) throws Exception {
        return callWithSdp(target, new String(sdp(), StandardCharsets.UTF_8), extra);
    }

    /** {@link #call} with an SDP of the test's own (hostile, say). */
    public Call callWithSdp(String target, String sdp, Header... extra) throws Exception {
        Request invite = newRequest(Request.INVITE, target, target, provider.getNewCallId().getCallId());
        for (Header h : extra) {
            invite.addHeader(h);
        }
        invite.setContent(sdp.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "sdp"));
        Call call = new Call(invite.getHeader(CallIdHeader.NAME) instanceof CallIdHeader c ? c.getCallId() : "");
        calls.put(call.callId, call);
        Response response = sendWithAuth(invite, call);
        call.finalResponse = response;
        if (response.getStatusCode() / 100 == 2) {
            call.dialog = call.lastTx.getDialog();
            Request ack = call.dialog.createAck(((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber());
            call.dialog.sendAck(ack);
            call.remoteSdp = body(response);
        }
        return call;
    }

    /**
     * Starts a call and returns once the authenticated INVITE is on its way, before its final response, so it
     * can be cancelled.
     */
    public Call callAsync(String target, Header... extra) throws Exception {
        Call call = prepareCall(target, extra);
        call.start();
        return call;
    }

    /**
     * Gets past the proxy's digest challenge for a call and stops there: {@link Call#start()} then sends the
     * authenticated INVITE at once (to make two phones' INVITEs meet at the same moment).
     */
    public Call prepareCall(String target, Header... extra) throws Exception {
        Request invite = newRequest(Request.INVITE, target, target, provider.getNewCallId().getCallId());
        for (Header h : extra) {
            invite.addHeader(h);
        }
        invite.setContent(sdp(), headers.createContentTypeHeader("application", "sdp"));
        Call call = new Call(((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId());
        calls.put(call.callId, call);
        ClientTransaction tx = provider.getNewClientTransaction(invite);
        CompletableFuture<Response> challenge = finals.of(tx);
        tx.sendRequest();
        Response first = challenge.get(10, TimeUnit.SECONDS);
        if (first.getStatusCode() != 401 && first.getStatusCode() != 407) {
            throw new IllegalStateException("expected a digest challenge, got " + first.getStatusCode());
        }
        // handleChallenge builds the authenticated transaction; it is sent by start()
        call.lastTx = auth.handleChallenge(first, tx, provider, 5, true);
        CompletableFuture<Response> future = finals.of(call.lastTx);
        call.pendingFinal = future;
        return call;
    }

    public Header header(String name, String value) throws Exception {
        return headers.createHeader(name, value);
    }

    public Header referredBy(TestPhone parker) throws Exception {
        return headers.createHeader("Referred-By", "<" + parker.aor() + ">");
    }

    public Call awaitIncomingCall(Duration timeout) throws InterruptedException {
        return incoming.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes the next NOTIFY that matches, waiting up to {@code timeout}; earlier non-matching ones are dropped. */
    public Optional<Request> awaitNotify(Predicate<String> bodyMatches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Request notify = notifies.poll(left, TimeUnit.NANOSECONDS);
            if (notify == null) {
                return Optional.empty();
            }
            if (bodyMatches.test(body(notify))) {
                return Optional.of(notify);
            }
        }
    }

    public List<Request> allNotifies() {
        return List.copyOf(allNotifies);
    }

    public static String body(javax.sip.message.Message message) {
        byte[] raw = message.getRawContent();
        return raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
    }

    /** A call leg of this phone. */
    public final class Call {
        public final String callId;
        volatile Dialog dialog;
        volatile ClientTransaction lastTx;
        volatile Response finalResponse;
        volatile String remoteSdp;
        volatile CompletableFuture<Response> pendingFinal;
        final CompletableFuture<Request> ended = new CompletableFuture<>();
        final List<Request> received = new CopyOnWriteArrayList<>();
        ServerTransaction inviteTx;
        Request invite;

        Call(String callId) {
            this.callId = callId;
        }

        public int status() {
            return finalResponse == null ? 0 : finalResponse.getStatusCode();
        }

        public Response finalResponse() {
            return finalResponse;
        }

        public String remoteSdp() {
            return remoteSdp;
        }

        public Request invite() {
            return invite;
        }

        /** Waits for the {@code nth} (1-based) in-dialog request of that method on this call. */
        public Optional<Request> awaitReceived(String method, int nth, Duration timeout) {
            Wait.until(() -> received.stream().filter(r -> r.getMethod().equals(method)).count() >= nth, timeout);
            return received.stream().filter(r -> r.getMethod().equals(method)).skip(nth - 1L).findFirst();
        }

        /** In-dialog requests received on this call (re-INVITE, BYE, ...). */
        public List<Request> received() {
            return List.copyOf(received);
        }

        public Response awaitFinal(Duration timeout) throws Exception {
            Response response = pendingFinal.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            finalResponse = response;
            if (response.getStatusCode() / 100 == 2) {
                dialog = lastTx.getDialog();
                dialog.sendAck(dialog.createAck(((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber()));
                remoteSdp = body(response);
            }
            return response;
        }

        /** Sends the INVITE a {@link #prepareCall} left ready. */
        public void start() throws Exception {
            lastTx.sendRequest();
        }

        public void cancel() throws Exception {
            Request cancel = lastTx.createCancel();
            provider.getNewClientTransaction(cancel).sendRequest();
        }

        public Response bye() throws Exception {
            Response r = inDialog(dialog.createRequest(Request.BYE));
            ended.complete(null);
            return r;
        }

            /**
         * An attended transfer (RFC 5589): this call's party is referred to {@code target} with Replaces naming
         * {@code consultation}, this phone's own call to the target.
         */
        public Response referReplacing(String target, Call consultation) throws Exception {
            javax.sip.Dialog other = consultation.dialog;
            String replaces = other.getCallId().getCallId() + ";to-tag=" + other.getRemoteTag() + ";from-tag="
                    + other.getLocalTag();
            return refer("<" + target + "?Replaces=" + java.net.URLEncoder.encode(replaces, StandardCharsets.UTF_8)
                    + ">");
        }

        public Response refer(String referTo) throws Exception {
            Request refer = dialog.createRequest(Request.REFER);
            refer.addHeader(headers.createReferToHeader(addresses.createAddress(referTo)));
            refer.addHeader(headers.createHeader("Referred-By", "<" + aor() + ">"));
            return inDialog(refer);
        }

        /** Sends a re-INVITE with our SDP in the given direction (e.g. sendonly = hold). */
        public Response reInvite(String direction) throws Exception {
            return reInviteWithSdp(new String(sdp(direction), java.nio.charset.StandardCharsets.UTF_8));
        }

        /** Sends a re-INVITE with this SDP. */
        public Response reInviteWithSdp(String offer) throws Exception {
            Request reInvite = dialog.createRequest(Request.INVITE);
            reInvite.setContent(offer, headers.createContentTypeHeader("application", "sdp"));
            ClientTransaction tx = provider.getNewClientTransaction(reInvite);
            CompletableFuture<Response> future = finals.of(tx);
            dialog.sendRequest(tx);
            Response response = future.get(35, TimeUnit.SECONDS);
            if (response.getStatusCode() / 100 == 2) {
                dialog.sendAck(dialog.createAck(((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber()));
                remoteSdp = body(response);
            }
            return response;
        }

        private Response inDialog(Request request) throws Exception {
            ClientTransaction tx = provider.getNewClientTransaction(request);
            CompletableFuture<Response> future = finals.of(tx);
            dialog.sendRequest(tx);
            return future.get(35, TimeUnit.SECONDS);
        }

        public boolean awaitEnded(Duration timeout) {
            try {
                ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }

        public boolean isEnded() {
            return ended.isDone();
        }
    }

    // ------------------------------------------------------------ plumbing

    private Request newRequest(String method, String requestUri, String toUri, String callId) throws Exception {
        Address from = addresses.createAddress("\"" + user.toUpperCase() + "\" <" + aor() + ">");
        ViaHeader via = headers.createViaHeader(address, port, transport, null);
        via.setRPort();
        Request request = messages.createRequest(addresses.createURI(requestUri), method,
                headers.createCallIdHeader(callId), headers.createCSeqHeader(cseq.getAndIncrement(), method),
                headers.createFromHeader(from, Long.toHexString(System.nanoTime())),
                headers.createToHeader(addresses.createAddress(toUri), null), new ArrayList<>(List.of(via)),
                headers.createMaxForwardsHeader(70));
        request.addHeader(headers.createContactHeader(addresses.createAddress(contactUri())));
        return request;
    }

    private SipURI contactUri() throws Exception {
        SipURI contactUri = addresses.createSipURI(user, address);
        contactUri.setPort(port);
        if (!"udp".equals(transport)) {
            contactUri.setTransportParam(transport);
        }
        return contactUri;
    }

    private Response sendWithAuth(Request request) throws Exception {
        return sendWithAuth(request, null);
    }

    private Response sendWithAuth(Request request, Call call) throws Exception {
        ClientTransaction tx = provider.getNewClientTransaction(request);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (call != null) {
                call.lastTx = tx;
            }
            CompletableFuture<Response> future = finals.of(tx);
            tx.sendRequest();
            Response response = future.get(40, TimeUnit.SECONDS);
            int status = response.getStatusCode();
            if ((status == 401 || status == 407) && attempt == 0 && answerChallenges) {
                tx = auth.handleChallenge(response, tx, provider, 5, true);
                continue;
            }
            return response;
        }
        throw new IllegalStateException("authentication loop for " + request.getMethod());
    }

    public byte[] sdp() {
        return sdp(sdpDirection);
    }

    public byte[] sdp(String direction) {
        String s = "v=0\r\n"
                + "o=" + user + " " + System.nanoTime() % 100000 + " 1 IN IP4 " + address + "\r\n"
                + "s=test phone\r\n"
                + "c=IN IP4 " + address + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + rtp.port() + " RTP/AVP 0 8 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\n"
                + "a=" + direction + "\r\n";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        try {
            ServerTransaction tx = event.getServerTransaction();
            if (tx == null && !Request.ACK.equals(request.getMethod())) {
                tx = provider.getNewServerTransaction(request);
            }
            String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
            Call call = calls.get(callId);
            switch (request.getMethod()) {
                case Request.NOTIFY -> {
                    tx.sendResponse(messages.createResponse(Response.OK, request));
                    allNotifies.add(request);
                    notifies.add(request);
                }
                case Request.INVITE -> onInvite(request, tx, call);
                case Request.BYE -> {
                    tx.sendResponse(messages.createResponse(Response.OK, request));
                    if (call != null) {
                        call.received.add(request);
                        call.ended.complete(request);
                    }
                }
                case Request.REFER -> onRefer(request, tx, call);
                case Request.ACK -> { }
                case Request.SUBSCRIBE -> {
                    Response ok = messages.createResponse(Response.OK, request);
                    ok.addHeader(headers.createExpiresHeader(0));
                    tx.sendResponse(ok);
                }
                case Request.CANCEL -> {
                    tx.sendResponse(messages.createResponse(Response.OK, request));
                    synchronized (calls) {
                        Call invited = calls.get(callId);
                        if (invited == null) {
                            cancelledBeforeInvite.add(callId);
                        } else if (invited.inviteTx != null && invited.dialog == null) {
                            invited.inviteTx.sendResponse(messages.createResponse(Response.REQUEST_TERMINATED,
                                    invited.invite));
                            cancelled.add(invited);
                        }
                    }
                }
                default -> {
                    tx.sendResponse(messages.createResponse(Response.OK, request));
                    if (call != null) {
                        call.received.add(request); // e.g. an in-dialog OPTIONS: is the phone still there?
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(user + " could not handle " + request.getMethod(), e);
        }
    }

    private void onInvite(Request request, ServerTransaction tx, Call existing) throws Exception {
        boolean reInvite = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null;
        if (reInvite && (existing == null || existing.isEnded())) {
            // like a phone that hung up: the dialog is gone (RFC 3261 12.2.2)
            tx.sendResponse(messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
            return;
        }
        if (reInvite) {
            existing.received.add(request);
            if (rejectReInvites > 0) {
                rejectReInvites--;
                tx.sendResponse(messages.createResponse(Response.REQUEST_PENDING, request));
                return;
            }
            if (holdReInvites) {
                heldReInvites.add(() -> {
                    existing.remoteSdp = body(request);
                    tx.sendResponse(okWithSdp(request));
                    return null;
                });
                return;
            }
            existing.remoteSdp = body(request);
            tx.sendResponse(okWithSdp(request));
            return;
        }
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        Call call = new Call(callId);
        call.inviteTx = tx;
        call.invite = request;
        call.remoteSdp = body(request);
        synchronized (calls) {
            calls.put(callId, call);
            if (cancelledBeforeInvite.remove(callId)) {
                tx.sendResponse(messages.createResponse(Response.REQUEST_TERMINATED, request));
                cancelled.add(call);
                return;
            }
        }
        if (ringOnly) {
            Response ringing = messages.createResponse(Response.RINGING, request);
            ((ToHeader) ringing.getHeader(ToHeader.NAME)).setTag(Long.toHexString(System.nanoTime()));
            tx.sendResponse(ringing);
            rang.add(call);
            return;
        }
        if (!autoAnswer) {
            tx.sendResponse(messages.createResponse(Response.TEMPORARILY_UNAVAILABLE, request));
            return;
        }
        tx.sendResponse(okWithSdp(request));
        call.dialog = tx.getDialog();
        incoming.add(call);
    }

    private Response okWithSdp(Request request) throws Exception {
        Response ok = messages.createResponse(Response.OK, request);
        ToHeader to = (ToHeader) ok.getHeader(ToHeader.NAME);
        if (to.getTag() == null) {
            to.setTag(Long.toHexString(System.nanoTime()));
        }
        ContactHeader contact = headers.createContactHeader(addresses.createAddress(contactUri()));
        ok.addHeader(contact);
        ok.setContent(answerSdp != null ? answerSdp : sdp(), headers.createContentTypeHeader("application", "sdp"));
        return ok;
    }

    /**
     * Like a phone: accept the transfer and call the Refer-To target, naming the referrer in Referred-By; with the
     * target's Replaces when it is an attended transfer.
     */
    private void onRefer(Request request, ServerTransaction tx, Call call) throws Exception {
        tx.sendResponse(messages.createResponse(Response.ACCEPTED, request));
        if (!followTransfers) {
            return;
        }
        String target = ((javax.sip.header.ReferToHeader) request.getHeader("Refer-To")).getAddress().getURI().toString();
        // copied as RFC 3892 asks (absent stays absent), unless this phone is one that never copies it
        Header by = copyReferredBy ? request.getHeader("Referred-By") : null;
        // an attended transfer's Refer-To carries ?Replaces=...: the new INVITE sends it as a header (RFC 3891)
        List<Header> extra = new ArrayList<>();
        String uri = target;
        int query = target.indexOf('?');
        if (query > 0) {
            uri = target.substring(0, query);
            for (String pair : target.substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                extra.add(headers.createHeader(pair.substring(0, eq),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
            }
            extra.add(headers.createHeader("Require", "replaces"));
        }
        if (by != null) {
            extra.add(by);
        }
        String destination = uri;
        Thread transfer = new Thread(() -> {
            try {
                Call transferred = call(destination, extra.toArray(new Header[0]));
                transferredCalls.add(transferred);
            } catch (Exception e) {
                transferFailures.add(e);
            }
        }, "transfer-" + user);
        transfer.setDaemon(true);
        transfer.start();
    }

    private final BlockingQueue<Call> transferredCalls = new LinkedBlockingQueue<>();
    private final List<Exception> transferFailures = new CopyOnWriteArrayList<>();

    /** The call this phone placed because of a REFER. */
    public Call awaitTransferredCall(Duration timeout) throws InterruptedException {
        Call call = transferredCalls.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (call == null && !transferFailures.isEmpty()) {
            throw new IllegalStateException("transfer failed", transferFailures.get(0));
        }
        return call;
    }

    @Override
    public void processResponse(ResponseEvent event) {
        finals.response(event);
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        finals.timeout(event);
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        ioFailures.add(event.getTransport() + " " + event.getHost() + ":" + event.getPort());
    }
    @Override public void processTransactionTerminated(TransactionTerminatedEvent event) { }
    @Override public void processDialogTerminated(DialogTerminatedEvent event) { }

    @Override
    public void close() {
        try {
            register(0);
        } catch (Exception ignored) {
            // the registrar may be gone already; the binding expires anyway
        }
        rtp.close();
        stack.stop();
    }
}
