package io.callpark.testing;

import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;

import javax.sip.ClientTransaction;
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
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RecordRouteHeader;
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
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A desk phone's BLF key, as the vendors' documentation describes one: it SUBSCRIBEs to {@code Event: dialog}
 * on a URI through the proxy (digest-authenticated), answers every NOTIFY 200 (or what the test says), keeps them,
 * and refreshes or ends its subscription in the dialog the node's 200 or first NOTIFY set up (RFC 6665).
 */
public final class BlfKey implements SipListener, AutoCloseable {

    /** A NOTIFY the key received. */
    public record Notify(Request request) {

        public String body() {
            byte[] raw = request.getRawContent();
            return raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
        }

        public String subscriptionState() {
            var header = request.getHeader("Subscription-State");
            return header == null ? "" : header.toString().substring(header.toString().indexOf(':') + 1).trim();
        }

        /** The document's version attribute, -1 without one. */
        public long version() {
            Matcher m = Pattern.compile("<dialog-info[^>]* version=\"([0-9]+)\"").matcher(body());
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        /** Whether the key lights: a call waits (a confirmed dialog). */
        public boolean lit() {
            return body().contains("<state>confirmed</state>");
        }

        /** Whether the key flashes: a recall rings (an early dialog). */
        public boolean ringing() {
            return body().contains("<state>early</state>");
        }

        /** Whether nothing waits: no dialog at all. */
        public boolean off() {
            return !body().contains("<dialog ");
        }

        public long cseq() {
            return ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
        }
    }

    public final String user;
    public final String domain;
    private final String password;
    private final String address;
    private final int port;
    private final SipStackImpl stack;
    private final SipProvider provider;
    private final MessageFactory messages = new MessageFactoryImpl();
    private final HeaderFactory headers = new HeaderFactoryImpl();
    private final AddressFactory addresses = new AddressFactoryImpl();
    private final AuthenticationHelper auth;
    private final AtomicLong cseq = new AtomicLong(1);
    private final FinalResponses finals = new FinalResponses();
    private final BlockingQueue<Notify> notifies = new LinkedBlockingQueue<>();
    private final List<Notify> allNotifies = new CopyOnWriteArrayList<>();
    private volatile int notifyAnswer = Response.OK;

    private volatile String callId;
    private volatile String localTag;
    private volatile String target;
    private volatile String remoteTag;
    private volatile String remoteTarget;
    private volatile List<String> routeSet = List.of();

    public BlfKey(String user, String domain, String password, String address, String proxyHost, int proxyPort)
            throws Exception {
        this.user = user;
        this.domain = domain;
        this.password = password;
        this.address = address;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
            this.port = s.getLocalPort();
        }
        Properties props = new Properties();
        props.setProperty("javax.sip.STACK_NAME", "blf-" + user + "-" + port);
        props.setProperty("javax.sip.OUTBOUND_PROXY", proxyHost + ":" + proxyPort + "/udp");
        // the dialog is this class's own (from the 200 or the first NOTIFY), as a phone keeps it
        props.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        // or the stack drops every NOTIFY once the SUBSCRIBE's transaction has ended
        props.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        props.setProperty("gov.nist.javax.sip.STACK_LOGGER", io.callpark.sip.JainSipStackLogger.class.getName());
        props.setProperty("gov.nist.javax.sip.SERVER_LOGGER", io.callpark.sip.JainSipMessageLogger.class.getName());
        stack = new SipStackImpl(props);
        ListeningPoint lp = stack.createListeningPoint(address, port, "udp");
        provider = stack.createSipProvider(lp);
        provider.addSipListener(this);
        stack.start();
        auth = ((SipStackExt) stack).getAuthenticationHelper((tx, realm) -> new UserCredentials() {
            public String getUserName() { return user; }
            public String getPassword() { return password; }
            public String getSipDomain() { return realm; }
        }, headers);
    }

    /** What the key answers the NOTIFYs from now on (481: like a phone that forgot the subscription). */
    public void answerNotifiesWith(int status) {
        notifyAnswer = status;
    }

    /** SUBSCRIBEs to {@code uri} (e.g. sip:*88103@acme.test) for {@code expires} seconds; the final response. */
    public Response subscribe(String uri, Integer expires) throws Exception {
        callId = provider.getNewCallId().getCallId();
        localTag = Long.toHexString(System.nanoTime());
        target = uri;
        Request subscribe = request(uri, uri, null, List.of(), expires);
        Response response = sendWithAuth(subscribe);
        if (response.getStatusCode() / 100 == 2) {
            learnDialog(response, true);
        }
        return response;
    }

    /** A SUBSCRIBE in the subscription's dialog: a refresh, or with 0 its end. */
    public Response refresh(int expires) throws Exception {
        if (remoteTag == null) {
            throw new IllegalStateException("no subscription dialog yet");
        }
        return send(request(remoteTarget, target, remoteTag, routeSet, expires));
    }

    /** The next NOTIFY that matches, waiting up to {@code timeout}; earlier ones that do not match are passed. */
    public Optional<Notify> awaitNotify(Predicate<Notify> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Notify next = left <= 0 ? null : notifies.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return Optional.empty();
            }
            if (wanted.test(next)) {
                return Optional.of(next);
            }
        }
    }

    public List<Notify> allNotifies() {
        return List.copyOf(allNotifies);
    }

    /** The node's Contact in the subscription: where the key's refreshes go (null before the dialog is set up). */
    public String remoteTarget() {
        return remoteTarget;
    }

    public String address() {
        return address;
    }

    private Request request(String requestUri, String toUri, String toTag, List<String> routes, Integer expires)
            throws Exception {
        ViaHeader via = headers.createViaHeader(address, port, "udp", null);
        via.setRPort();
        Request request = messages.createRequest(addresses.createURI(requestUri), Request.SUBSCRIBE,
                headers.createCallIdHeader(callId), headers.createCSeqHeader(cseq.getAndIncrement(), Request.SUBSCRIBE),
                headers.createFromHeader(addresses.createAddress("<sip:" + user + "@" + domain + ">"), localTag),
                headers.createToHeader(addresses.createAddress("<" + toUri + ">"), toTag),
                new ArrayList<>(List.of(via)), headers.createMaxForwardsHeader(70));
        for (String route : routes) {
            request.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        }
        SipURI contact = addresses.createSipURI(user, address);
        contact.setPort(port);
        request.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        request.addHeader(headers.createEventHeader("dialog"));
        request.addHeader(headers.createAcceptHeader("application", "dialog-info+xml"));
        if (expires != null) {
            request.addHeader(headers.createExpiresHeader(expires));
        }
        return request;
    }

    /** The dialog from the node's 200 (Record-Route reversed) or its NOTIFY (Record-Route in order). */
    private synchronized void learnDialog(javax.sip.message.Message message, boolean response) {
        if (remoteTag != null) {
            return;
        }
        remoteTag = response ? ((ToHeader) message.getHeader(ToHeader.NAME)).getTag()
                : ((FromHeader) message.getHeader(FromHeader.NAME)).getTag();
        remoteTarget = ((ContactHeader) message.getHeader(ContactHeader.NAME)).getAddress().getURI().toString();
        List<String> routes = new ArrayList<>();
        for (var it = message.getHeaders(RecordRouteHeader.NAME); it.hasNext(); ) {
            String route = ((RecordRouteHeader) it.next()).getAddress().toString();
            if (response) {
                routes.add(0, route);
            } else {
                routes.add(route);
            }
        }
        routeSet = List.copyOf(routes);
    }

    private Response sendWithAuth(Request request) throws Exception {
        ClientTransaction tx = provider.getNewClientTransaction(request);
        for (int attempt = 0; attempt < 2; attempt++) {
            CompletableFuture<Response> future = finals.of(tx);
            tx.sendRequest();
            Response response = future.get(40, TimeUnit.SECONDS);
            if ((response.getStatusCode() == 401 || response.getStatusCode() == 407) && attempt == 0) {
                tx = auth.handleChallenge(response, tx, provider, 5, true);
                continue;
            }
            return response;
        }
        throw new IllegalStateException("authentication loop for SUBSCRIBE");
    }

    private Response send(Request request) throws Exception {
        ClientTransaction tx = provider.getNewClientTransaction(request);
        CompletableFuture<Response> future = finals.of(tx);
        tx.sendRequest();
        return future.get(40, TimeUnit.SECONDS);
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        try {
            ServerTransaction tx = event.getServerTransaction() != null ? event.getServerTransaction()
                    : provider.getNewServerTransaction(request);
            boolean ours = Request.NOTIFY.equals(request.getMethod())
                    && ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId().equals(callId);
            tx.sendResponse(messages.createResponse(ours ? notifyAnswer : Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    request));
            if (ours) {
                learnDialog(request, false);
                Notify notify = new Notify(request);
                allNotifies.add(notify);
                notifies.add(notify);
            }
        } catch (Exception e) {
            throw new IllegalStateException("BLF key " + user + " could not answer " + request.getMethod(), e);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        finals.response(event);
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        finals.timeout(event);
    }

    @Override public void processIOException(IOExceptionEvent event) { }
    @Override public void processTransactionTerminated(TransactionTerminatedEvent event) { }
    @Override public void processDialogTerminated(DialogTerminatedEvent event) { }

    @Override
    public void close() {
        stack.stop();
    }
}
