package io.callpark.sip;

import io.callpark.park.DialogLeg;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import io.callpark.config.CallparkConfig;

import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's SIP endpoint: owns the JAIN-SIP stack, admits only requests from the proxy, hands them to
 * {@link CallLanes}, and sends requests and responses. Runs without JAIN-SIP dialogs: in-dialog requests are
 * built from {@link DialogLeg} records, so a leg created on another node is served the same way.
 */
public final class SipEndpoint implements SipListener {

    private static final Logger LOG = Logger.getLogger(SipEndpoint.class.getName());
    public static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS";

    private final CallparkConfig config;
    private final CallLanes lanes;
    private final InetAddress proxyAddress;
    private final MessageFactory messages = new MessageFactoryImpl();
    private final HeaderFactory headers = new HeaderFactoryImpl();
    private final AddressFactory addresses = new AddressFactoryImpl();
    private final InviteAnswers answers;
    private final ScheduledExecutorService timers;
    private InboundRequestHandler handler;
    private SipStackImpl stack;
    private SipProvider provider;

    public SipEndpoint(CallparkConfig config, CallLanes lanes, ScheduledExecutorService timers) {
        this.config = config;
        this.lanes = lanes;
        this.answers = new InviteAnswers(this::resend, timers);
        this.timers = timers;
        try {
            this.proxyAddress = InetAddress.getByName(config.proxy().host());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("callpark.proxy host " + config.proxy().host() + " does not resolve", e);
        }
    }

    public void start(InboundRequestHandler requestHandler) throws SipException {
        this.handler = requestHandler;
        Properties props = new Properties();
        props.setProperty("javax.sip.STACK_NAME", "callpark-" + config.nodeName());
        props.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        props.setProperty("javax.sip.OUTBOUND_PROXY", config.proxy() + "/udp");
        props.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
        props.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        props.setProperty("gov.nist.javax.sip.STACK_LOGGER", JainSipStackLogger.class.getName());
        props.setProperty("gov.nist.javax.sip.SERVER_LOGGER", JainSipMessageLogger.class.getName());
        props.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        props.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
        props.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        stack = new SipStackImpl(props);
        try {
            ListeningPoint udp = stack.createListeningPoint(config.sipAddress(), config.sipPort(), ListeningPoint.UDP);
            provider = stack.createSipProvider(udp);
            provider.addSipListener(this);
            answers.ackSender(this::resendAck);
            stack.start();
        } catch (InvalidArgumentException | javax.sip.TransportNotSupportedException | java.util.TooManyListenersException e) {
            stack.stop();
            throw new SipException("cannot listen on udp " + config.sipAddress() + ":" + config.sipPort(), e);
        }
        LOG.info("SIP endpoint listening on udp " + config.sipAddress() + ":" + config.sipPort()
                + ", trusting only " + config.proxy());
    }

    public void stop() {
        answers.cancelAll();
        if (stack != null) {
            stack.stop();
        }
    }

    public HeaderFactory headers() {
        return headers;
    }

    // ---------------------------------------------------------------- incoming

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        if (!fromProxy((SIPMessage) request)) {
            rejectUntrusted(request);
            return;
        }
        String callId = SipHeaders.callId(request);
        String method = request.getMethod();
        if (Request.INVITE.equals(method) && answers.retransmitIfAnswered(callId, SipHeaders.cseq(request))) {
            return;
        }
        ServerTransaction tx = event.getServerTransaction();
        if (tx == null && !Request.ACK.equals(method)) {
            try {
                tx = provider.getNewServerTransaction(request);
            } catch (TransactionAlreadyExistsException e) {
                return; // a retransmission the stack already answers
            } catch (SipException e) {
                LOG.log(Level.WARNING, "call " + callId + ": no server transaction for " + method, e);
                return;
            }
        }
        if (Request.ACK.equals(method)) {
            answers.acknowledged(callId, SipHeaders.cseq(request));
        } else if (Request.BYE.equals(method)) {
            answers.forget(callId); // a BYE that overtook the ACK ends the dialog all the same
        }
        InboundRequest inbound = new InboundRequest(request, tx);
        if (Request.INVITE.equals(method)) {
            // at once, from the stack thread: the proxy stops retransmitting and does not fail over to another node
            respond(inbound, Response.TRYING, "Trying");
        }
        if (!lanes.offer(callId, () -> handler.handle(inbound)) && tx != null) {
            respond(inbound, Response.SERVICE_UNAVAILABLE, "Service Unavailable: node overloaded");
        }
    }

    private boolean fromProxy(SIPMessage message) {
        return proxyAddress.equals(message.getPeerPacketSourceAddress())
                && message.getPeerPacketSourcePort() == config.proxy().port();
    }

    private void rejectUntrusted(Request request) {
        SIPMessage raw = (SIPMessage) request;
        LOG.warning("call " + SipHeaders.callId(request) + ": refused " + request.getMethod() + " from untrusted "
                + raw.getPeerPacketSourceAddress() + ":" + raw.getPeerPacketSourcePort());
        if (Request.ACK.equals(request.getMethod())) {
            return;
        }
        try {
            Response response = messages.createResponse(Response.FORBIDDEN, request);
            response.setReasonPhrase("Forbidden: requests are accepted only from the SIP proxy");
            provider.sendResponse(response);
        } catch (ParseException | SipException e) {
            LOG.log(Level.FINE, "could not refuse untrusted request", e);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        if (!fromProxy((SIPMessage) response)) {
            return;
        }
        ClientTransaction tx = event.getClientTransaction();
        String callId = SipHeaders.callId(response);
        boolean inviteOk = response.getStatusCode() / 100 == 2 && Request.INVITE.equals(SipHeaders.cseqMethod(response));
        if (tx == null) {
            if (inviteOk && !answers.reAcknowledge(callId, SipHeaders.cseq(response), SipHeaders.to(response).getTag())) {
                releaseStrayFork(response);
            }
            return;
        }
        if (response.getStatusCode() < 200) {
            return;
        }
        if (inviteOk) {
            answers.answeredBy(callId, SipHeaders.cseq(response), SipHeaders.to(response).getTag());
        }
        completeOnLane(tx, response);
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return;
        }
        completeWithTimeout(event.getClientTransaction(), "Request Timeout: no answer");
    }

    /** Ends the request as if the far side had answered 408 (nothing came back in time). */
    private void completeWithTimeout(ClientTransaction tx, String reason) {
        try {
            Response timeout = messages.createResponse(Response.REQUEST_TIMEOUT, tx.getRequest());
            timeout.setReasonPhrase(reason);
            completeOnLane(tx, timeout);
        } catch (ParseException e) {
            LOG.log(Level.WARNING, "cannot build local 408", e);
        }
    }

    /**
     * A 2xx from a second device of a forked INVITE, after another device answered first (RFC 3261 13.2.2.4):
     * that dialog is acknowledged and ended at once, so the phone stops ringing and nobody is left on a dead line.
     */
    private void releaseStrayFork(Response response) {
        String callId = SipHeaders.callId(response);
        try {
            DialogLeg stray = uacLeg(response, 0, 0);
            provider.sendRequest(inDialogRequest(stray, Request.ACK));
            send(inDialogRequest(stray.nextCseq(), Request.BYE));
            LOG.info("call " + callId + ": a second device answered the forked INVITE; acknowledged and released");
        } catch (SipException | RuntimeException e) {
            LOG.log(Level.WARNING, "call " + callId + ": stray 2xx of a forked INVITE not released", e);
        }
    }

    @SuppressWarnings("unchecked")
    private void completeOnLane(ClientTransaction tx, Response response) {
        Object data = tx.getApplicationData();
        if (data instanceof CompletableFuture<?> future) {
            tx.setApplicationData(null);
            String callId = SipHeaders.callId(response);
            lanes.execute(callId, () -> ((CompletableFuture<Response>) future).complete(response));
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.fine("SIP I/O error towards " + event.getHost() + ":" + event.getPort());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    // ---------------------------------------------------------------- responses

    public void respond(InboundRequest inbound, int status, String reason) {
        respond(inbound, status, reason, null);
    }

    /** Sends a response; {@code warning} (if any) goes into a Warning header (code 399) for UAs that hide reasons. */
    public void respond(InboundRequest inbound, int status, String reason, String warning) {
        try {
            Response response = messages.createResponse(status, inbound.request());
            response.setReasonPhrase(reason);
            if (warning != null) {
                response.addHeader(headers.createWarningHeader(config.sipAddress(), 399, warning));
            }
            if (status == Response.METHOD_NOT_ALLOWED) {
                response.addHeader(headers.createAllowHeader(ALLOW));
            }
            if (status > 100 && inbound.request().getMethod().equals(Request.INVITE) && status != Response.TRYING) {
                addToTag(response);
            }
            send(inbound, response);
        } catch (ParseException | InvalidArgumentException e) {
            LOG.log(Level.WARNING, "call " + inbound.callId() + ": cannot build " + status, e);
        }
    }

    private void addToTag(Response response) throws ParseException {
        ToHeader to = SipHeaders.to(response);
        if (to.getTag() == null) {
            to.setTag(newTag());
        }
    }

    private boolean send(InboundRequest inbound, Response response) {
        try {
            if (inbound.transaction() != null) {
                inbound.transaction().sendResponse(response);
            } else {
                provider.sendResponse(response);
            }
            return true;
        } catch (SipException | InvalidArgumentException | IllegalStateException e) {
            LOG.log(Level.FINE, "call " + inbound.callId() + ": response " + response.getStatusCode() + " not sent: "
                    + e.getMessage());
            return false;
        }
    }

    /**
     * Answers an INVITE with 200 OK and SDP on the given leg and retransmits the answer until the ACK arrives.
     * False if the 200 could not be sent (e.g. the transaction was already ended by a CANCEL).
     *
     * @param onNoAck runs on the call's lane when no ACK came within 64*T1
     */
    public boolean answer(InboundRequest inbound, DialogLeg leg, String sdp, Runnable onNoAck) {
        try {
            Response ok = messages.createResponse(Response.OK, inbound.request());
            SipHeaders.to(ok).setTag(leg.localTag());
            ok.addHeader(ourContact());
            ok.addHeader(headers.createAllowHeader(ALLOW));
            if (!sdp.isEmpty()) {
                ok.setContent(sdp.getBytes(StandardCharsets.UTF_8), sdpType());
            }
            if (!send(inbound, ok)) {
                return false;
            }
            answers.awaitAck(leg.callId(), SipHeaders.cseq(inbound.request()), ok,
                    () -> lanes.execute(leg.callId(), onNoAck));
            return true;
        } catch (ParseException e) {
            LOG.log(Level.WARNING, "call " + leg.callId() + ": cannot build 200 OK", e);
            return false;
        }
    }

    private void resendAck(Request ack) {
        try {
            provider.sendRequest(ack);
        } catch (SipException e) {
            LOG.fine("ACK retransmission failed: " + e.getMessage());
        }
    }

    private void resend(Response response) {
        try {
            provider.sendResponse(response);
        } catch (SipException e) {
            LOG.fine("2xx retransmission failed: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- requests

    /** A request on the leg, using the leg's current CSeq (the caller advances it first). */
    public Request inDialogRequest(DialogLeg leg, String method) {
        try {
            Address from = addresses.createAddress(leg.localParty());
            Address to = addresses.createAddress(leg.remoteParty());
            FromHeader fromHeader = headers.createFromHeader(from, leg.localTag());
            ToHeader toHeader = headers.createToHeader(to, leg.remoteTag());
            Request request = messages.createRequest(addresses.createURI(leg.remoteTarget()), method,
                    headers.createCallIdHeader(leg.callId()), headers.createCSeqHeader(leg.localCseq(), method),
                    fromHeader, toHeader, List.of(ourVia()), maxForwards());
            for (String route : leg.routeSet()) {
                request.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
            }
            request.addHeader(ourContact());
            return request;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("call " + leg.callId() + ": cannot build " + method, e);
        }
    }

    /** A new out-of-dialog request from {@code fromUri} to {@code toUri}, routed through the proxy. */
    public Request outOfDialogRequest(String method, String fromUri, String toUri) {
        try {
            Address to = addresses.createAddress(toUri);
            CallIdHeader callId = provider.getNewCallId();
            return messages.createRequest(to.getURI(), method, callId,
                    headers.createCSeqHeader(1L, method),
                    headers.createFromHeader(addresses.createAddress(fromUri), newTag()),
                    headers.createToHeader(to, null), List.of(ourVia()), maxForwards());
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalArgumentException("cannot build " + method + " to " + toUri, e);
        }
    }

    /**
     * Sends an out-of-dialog INVITE that may ring a while; {@link OutgoingInvite#cancel()} CANCELs it. When the
     * far side never answers the CANCEL, the INVITE ends with a local 408 after 64*T1 (RFC 3261 9.1).
     */
    public OutgoingInvite sendInvite(Request invite) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        String callId = SipHeaders.callId(invite);
        try {
            ClientTransaction tx = provider.getNewClientTransaction(invite);
            tx.setApplicationData(result);
            tx.sendRequest();
            return new OutgoingInvite(callId, result, () -> cancel(tx, result));
        } catch (SipException e) {
            result.completeExceptionally(e);
            return new OutgoingInvite(callId, result, () -> { });
        }
    }

    private void cancel(ClientTransaction invite, CompletableFuture<Response> result) {
        if (result.isDone()) {
            return;
        }
        try {
            provider.getNewClientTransaction(invite.createCancel()).sendRequest();
        } catch (SipException e) {
            LOG.fine("call " + SipHeaders.callId(invite.getRequest()) + ": CANCEL not sent: " + e.getMessage());
        }
        deadline(invite, result, "Request Timeout: CANCEL not answered");
    }

    /**
     * Sends a request in a new client transaction; the future completes on the Call-ID's lane with the final
     * response. It completes within 64*T1 in any case: an INVITE the proxy answered 100 Trying waits for its final
     * response with no timer of the stack's (RFC 3261 17.1.1.2, Proceeding), and a re-INVITE that a phone never
     * answers must not hold its call forever; a local 408 ends it.
     */
    public CompletableFuture<Response> send(Request request) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        try {
            ClientTransaction tx = provider.getNewClientTransaction(request);
            tx.setApplicationData(result);
            tx.sendRequest();
            deadline(tx, result, "Request Timeout: no final answer");
        } catch (SipException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Ends the request with a local 408 if it has no final response after 64*T1. */
    private void deadline(ClientTransaction tx, CompletableFuture<Response> result, String reason) {
        timers.schedule(() -> {
            if (tx.getApplicationData() == result) {
                LOG.info("call " + SipHeaders.callId(tx.getRequest()) + ": " + tx.getRequest().getMethod() + " "
                        + reason.toLowerCase(java.util.Locale.ROOT));
                completeWithTimeout(tx, reason);
            }
        }, InviteAnswers.TIMER_H_MS, TimeUnit.MILLISECONDS);
    }

    /** ACKs a 2xx to an INVITE we sent on the leg (the leg's CSeq is that INVITE's). */
    public void ack(DialogLeg leg, Optional<String> sdp) {
        Request ack = inDialogRequest(leg, Request.ACK);
        try {
            if (sdp.isPresent()) {
                ack.setContent(sdp.get().getBytes(StandardCharsets.UTF_8), sdpType());
            }
            answers.rememberAck(leg.callId(), leg.localCseq(), ack);
            provider.sendRequest(ack);
        } catch (ParseException | SipException e) {
            LOG.log(Level.WARNING, "call " + leg.callId() + ": ACK not sent", e);
        }
    }

    public void setSdp(Request request, String sdp) {
        try {
            request.setContent(sdp.getBytes(StandardCharsets.UTF_8), sdpType());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public ContentTypeHeader sdpType() throws ParseException {
        return headers.createContentTypeHeader("application", "sdp");
    }

    public ContactHeader ourContact() throws ParseException {
        SipURI uri = addresses.createSipURI(null, config.sipAddress());
        uri.setPort(config.sipPort());
        uri.setTransportParam("udp");
        return headers.createContactHeader(addresses.createAddress(uri));
    }

    private ViaHeader ourVia() throws ParseException, InvalidArgumentException {
        ViaHeader via = headers.createViaHeader(config.sipAddress(), config.sipPort(), ListeningPoint.UDP, null);
        via.setRPort();
        return via;
    }

    private MaxForwardsHeader maxForwards() throws InvalidArgumentException {
        return headers.createMaxForwardsHeader(70);
    }

    public static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /**
     * Our leg as UAC of an INVITE that a 2xx answered: the far side's tag and Contact, the route set from the
     * 2xx's Record-Route in reverse (RFC 3261 12.1.2).
     */
    public static DialogLeg uacLeg(Response ok, long sdpSessionId, long sdpVersion) {
        List<String> routes = new java.util.ArrayList<>();
        var it = ok.getHeaders(javax.sip.header.RecordRouteHeader.NAME);
        while (it.hasNext()) {
            routes.add(0, ((javax.sip.header.RecordRouteHeader) it.next()).getAddress().toString());
        }
        FromHeader from = SipHeaders.from(ok);
        ToHeader to = SipHeaders.to(ok);
        String target = SipHeaders.contact(ok).map(c -> c.getAddress().getURI().toString())
                .orElse(to.getAddress().getURI().toString());
        return new DialogLeg(SipHeaders.callId(ok), from.getTag(), to.getTag(),
                from.getAddress().toString(), to.getAddress().toString(), target, routes,
                SipHeaders.cseq(ok), sdpSessionId, sdpVersion);
    }

    /** Route set of a UAS leg: the Record-Route values of the initial request, in order. */
    public static List<String> routeSetOf(Request request) {
        List<String> routes = new java.util.ArrayList<>();
        var it = request.getHeaders(javax.sip.header.RecordRouteHeader.NAME);
        while (it.hasNext()) {
            routes.add(((javax.sip.header.RecordRouteHeader) it.next()).getAddress().toString());
        }
        return routes;
    }
}
