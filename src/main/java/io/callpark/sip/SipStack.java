package io.callpark.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import io.callpark.config.CallparkConfig;

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
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's SIP stack: owns JAIN-SIP (without its dialogs: in-dialog requests are built from
 * {@link io.callpark.park.DialogLeg} records, so a leg created on another node is served the same way), admits
 * only what the proxy sent and sealed ({@link ProxySeal}), takes each request off the stack thread onto its
 * Call-ID's lane, and hands responses to the transactions that wait for them.
 */
public final class SipStack implements SipListener {

    private static final Logger LOG = Logger.getLogger(SipStack.class.getName());
    private static final int UDP_BUFFER_BYTES = 4 * 1024 * 1024;
    private static final int MAX_DATAGRAM_BYTES = 8192;
    private static final int QUEUED_DATAGRAM_MS = 1000;

    private final CallparkConfig config;
    private final CallLanes lanes;
    private final InetAddress proxyAddress;
    private final ProxySeal seal;
    private final InviteAnswers answers;
    private final StackResponder responder;
    private final StackTransactions transactions;
    private final SipCounters counters = new SipCounters();
    private InboundRequestHandler handler;
    private SipStackImpl stack;
    private SipProvider provider;

    public SipStack(CallparkConfig config, CallLanes lanes, ScheduledExecutorService timers, Requests requests,
                    ProxySeal seal) {
        this.config = config;
        this.lanes = lanes;
        this.seal = seal;
        try {
            this.proxyAddress = InetAddress.getByName(config.proxy().host());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("callpark.proxy host " + config.proxy().host() + " does not resolve", e);
        }
        this.answers = new InviteAnswers(this::resend, timers);
        this.responder = new StackResponder(this, answers, lanes, requests, config.sipAddress(), counters, seal);
        this.transactions = new StackTransactions(this, answers, lanes, timers, requests, counters);
        answers.ackSender(this::resendAck);
    }

    public Responder responder() {
        return responder;
    }

    public Transactions transactions() {
        return transactions;
    }

    public SipCounters counters() {
        return counters;
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
        // JAIN-SIP's parser, refusing what the stack would fail on (see CheckedMessageParserFactory)
        props.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", CheckedMessageParserFactory.class.getName());
        // The stack reads each datagram into a new buffer of MAX_MESSAGE_SIZE bytes and queues it, unbounded, for
        // its THREAD_POOL_SIZE threads: with 64 KB buffers an overload (650 parks/s on 2 cores) queued 12000 of
        // them and filled a 1 GiB heap. 8 KB holds any sane SIP datagram (far past one MTU: RFC 3261 18.1.1 sends
        // larger requests over TCP), and what waited longer than CONGESTION_CONTROL_TIMEOUT is dropped, as its
        // sender retransmits it anyway: so the queue holds a few seconds of traffic, in tens of MB.
        props.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", String.valueOf(MAX_DATAGRAM_BYTES));
        props.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", String.valueOf(QUEUED_DATAGRAM_MS));
        props.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        // the stack's 64 KB default holds ~100 INVITEs: a burst, or a GC pause, drops datagrams that then cost a
        // retransmission (500 ms) each; the kernel caps it at net.core.rmem_max (docs/benchmarks.md)
        props.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", String.valueOf(UDP_BUFFER_BYTES));
        props.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", String.valueOf(UDP_BUFFER_BYTES));
        stack = new SipStackImpl(props);
        try {
            ListeningPoint udp = stack.createListeningPoint(config.sipAddress(), config.sipPort(), ListeningPoint.UDP);
            provider = stack.createSipProvider(udp);
            provider.addSipListener(this);
            stack.start();
        } catch (InvalidArgumentException | javax.sip.TransportNotSupportedException
                 | java.util.TooManyListenersException e) {
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

    SipProvider provider() {
        return provider;
    }

    void seal(Request request) {
        seal.seal(request, "");
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        counters.received();
        if (!fromProxy((SIPMessage) request)) {
            rejectUntrusted(request, "Forbidden: requests are accepted only from the SIP proxy");
            return;
        }
        String callId = SipHeaders.callId(request);
        String method = request.getMethod();
        if (seal.verify(request).isEmpty()) {
            if (isKeepalive(request)) {
                answerKeepalive(event);
            } else {
                rejectUntrusted(request, "Forbidden: not sealed by the SIP proxy");
            }
            return;
        }
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
                refuseMalformed(request, e);
                return;
            }
        }
        if (unsupported(new InboundRequest(request, tx))) {
            return;
        }
        String toTag = SipHeaders.to(request).getTag();
        String fromTag = SipHeaders.from(request).getTag();
        if (Request.ACK.equals(method)) {
            answers.acknowledged(callId, SipHeaders.cseq(request), toTag, fromTag);
        } else if (Request.BYE.equals(method)) {
            answers.forget(callId, toTag, fromTag); // a BYE that overtook the ACK ends the dialog all the same
        }
        InboundRequest inbound = new InboundRequest(request, tx);
        if (Request.INVITE.equals(method)) {
            // at once, from the stack thread: the proxy stops retransmitting and does not fail over to another node
            responder.respond(inbound, Response.TRYING, "Trying");
        }
        if (!lanes.offer(callId, () -> handler.handle(inbound)) && tx != null) {
            responder.respond(inbound, Response.SERVICE_UNAVAILABLE, "Service Unavailable: node overloaded");
        }
    }

    private boolean fromProxy(SIPMessage message) {
        return proxyAddress.equals(message.getPeerPacketSourceAddress())
                && message.getPeerPacketSourcePort() == config.proxy().port();
    }

    /** The dispatcher's OPTIONS probe (out of dialog) cannot be sealed; it is answered here and changes nothing. */
    private static boolean isKeepalive(Request request) {
        return Request.OPTIONS.equals(request.getMethod()) && SipHeaders.to(request).getTag() == null;
    }

    private void answerKeepalive(RequestEvent event) {
        try {
            Response ok = new MessageFactoryImpl().createResponse(Response.OK, event.getRequest());
            seal.seal(ok, "");
            provider.sendResponse(ok);
            counters.sent();
        } catch (ParseException | SipException e) {
            LOG.log(Level.FINE, "could not answer a keepalive OPTIONS", e);
        }
    }

    private void rejectUntrusted(Request request, String reason) {
        SIPMessage raw = (SIPMessage) request;
        LOG.warning("call " + SipHeaders.callId(request) + ": refused " + request.getMethod() + " from "
                + raw.getPeerPacketSourceAddress() + ":" + raw.getPeerPacketSourcePort() + ": " + reason);
        if (Request.ACK.equals(request.getMethod())) {
            return;
        }
        try {
            Response response = new MessageFactoryImpl().createResponse(Response.FORBIDDEN, request);
            response.setReasonPhrase(reason);
            provider.sendResponse(response);
            counters.sent();
        } catch (ParseException | SipException e) {
            LOG.log(Level.FINE, "could not refuse untrusted request", e);
        }
    }

    /**
     * RFC 3261 8.2.2: what this node serves in no method. A Request-URI that is not sip: or sips: gets 416 (8.2.2.1);
     * a Require of an extension other than {@code replaces} (RFC 3891, attended transfer) gets 420 with Unsupported
     * (8.2.2.3; not a CANCEL, which follows its INVITE). An ACK is never answered.
     */
    private boolean unsupported(InboundRequest in) {
        if (Request.ACK.equals(in.method())) {
            return false;
        }
        if (!(in.request().getRequestURI() instanceof SipURI)) {
            responder.respond(in, Response.UNSUPPORTED_URI_SCHEME, "Unsupported URI Scheme");
            return true;
        }
        if (!Request.CANCEL.equals(in.method()) && !StackResponder.unsupported(in.request()).isEmpty()) {
            responder.respond(in, Response.BAD_EXTENSION, "Bad Extension");
            return true;
        }
        return false;
    }

    /**
     * The stack makes no transaction of a request that lacks what RFC 3261 8.1.1 requires of it (Max-Forwards, an
     * INVITE's Contact, ...): it gets 400 with the reason, sealed so that Kamailio passes it on, and one log line,
     * not silence and a stack trace per request.
     */
    private void refuseMalformed(Request request, SipException e) {
        String why = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                .replaceAll("\\s+", " ").trim();
        LOG.warning("call " + SipHeaders.callId(request) + ": refused " + request.getMethod() + ": " + why);
        try {
            Response response = new MessageFactoryImpl().createResponse(Response.BAD_REQUEST, request);
            response.setReasonPhrase("Bad Request: " + why);
            if (SipHeaders.to(response).getTag() == null) {
                SipHeaders.to(response).setTag(Requests.newTag()); // RFC 3261 8.2.6.2: its ACK names it
            }
            seal.seal(response, "");
            provider.sendResponse(response);
            counters.sent();
        } catch (ParseException | SipException ex) {
            LOG.log(Level.FINE, "could not refuse a malformed request", ex);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        counters.received();
        Response response = event.getResponse();
        if (fromProxy((SIPMessage) response)) {
            if (seal.verify(response).isEmpty()) {
                response.removeHeader(ProxySeal.HEADER); // claims only the proxy's seal stands behind are read
            }
            transactions.responded(event.getClientTransaction(), response);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            transactions.timedOut(event.getClientTransaction(), "Request Timeout: no answer");
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

    private void resendAck(Request ack) {
        try {
            provider.sendRequest(ack);
            counters.sent();
        } catch (SipException e) {
            LOG.fine("ACK retransmission failed: " + e.getMessage());
        }
    }

    private void resend(Response response) {
        try {
            provider.sendResponse(response);
            counters.sent();
        } catch (SipException e) {
            LOG.fine("2xx retransmission failed: " + e.getMessage());
        }
    }
}
