package io.callpark.sip;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.callpark.park.DialogLeg;
import io.callpark.park.Party;

import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.header.AllowEventsHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@link Responder} on the JAIN-SIP stack: responses in the request's server transaction, 2xx kept alive. */
final class StackResponder implements Responder {

    private static final Logger LOG = Logger.getLogger(StackResponder.class.getName());
    static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, SUBSCRIBE, REFER, NOTIFY";
    static final String SUPPORTED = "replaces";

    private final SipStack stack;
    private final InviteAnswers answers;
    private final CallLanes lanes;
    private final Requests requests;
    private final String warningAgent;
    private final SipCounters counters;
    private final ProxySeal seal;
    private final MessageFactory messages = new MessageFactoryImpl();
    private final HeaderFactory headers = new HeaderFactoryImpl();

    StackResponder(SipStack stack, InviteAnswers answers, CallLanes lanes, Requests requests, String warningAgent,
                   SipCounters counters, ProxySeal seal) {
        this.stack = stack;
        this.answers = answers;
        this.lanes = lanes;
        this.requests = requests;
        this.warningAgent = warningAgent;
        this.counters = counters;
        this.seal = seal;
    }

    @Override
    public void respond(InboundRequest in, int status, String reason) {
        respond(in, status, reason, null);
    }

    @Override
    public void respond(InboundRequest in, int status, String reason, String warning) {
        respond(in, status, reason, warning, -1);
    }

    @Override
    public void unavailable(InboundRequest in, String why, int retryAfterSeconds) {
        respond(in, Response.SERVICE_UNAVAILABLE, "Service Unavailable: " + why, why, retryAfterSeconds);
    }

    private void respond(InboundRequest in, int status, String reason, String warning, int retryAfterSeconds) {
        try {
            Response response = messages.createResponse(status, in.request());
            response.setReasonPhrase(reason);
            if (warning != null) {
                response.addHeader(headers.createWarningHeader(warningAgent, 399, warning));
            }
            if (retryAfterSeconds >= 0) {
                response.addHeader(headers.createRetryAfterHeader(retryAfterSeconds));
            }
            if (status == Response.METHOD_NOT_ALLOWED) {
                response.addHeader(headers.createAllowHeader(ALLOW));
            }
            if (status == Response.BAD_EXTENSION) {
                for (String tag : unsupported(in.request())) { // RFC 3261 8.2.2.3
                    response.addHeader(headers.createUnsupportedHeader(tag));
                }
            }
            if (status > 100) {
                // RFC 3261 8.2.6.2: a UAS tags the To of every response but a 100
                ToHeader to = SipHeaders.to(response);
                if (to.getTag() == null) {
                    to.setTag(Requests.newTag());
                }
            }
            send(in, response);
        } catch (ParseException | InvalidArgumentException e) {
            LOG.log(Level.WARNING, "call " + in.callId() + ": cannot build " + status, e);
        }
    }

    /** The extensions a request requires that this node does not support: all but replaces (RFC 3891). */
    static java.util.List<String> unsupported(Request request) {
        java.util.List<String> tags = new java.util.ArrayList<>();
        for (var required = request.getHeaders(RequireHeader.NAME); required.hasNext(); ) {
            String tag = ((RequireHeader) required.next()).getOptionTag();
            if (!SUPPORTED.equalsIgnoreCase(tag)) {
                tags.add(tag);
            }
        }
        return tags;
    }

    @Override
    public void subscribed(InboundRequest in, String localTag, String contactUser, int expires) {
        try {
            Response ok = messages.createResponse(Response.OK, in.request());
            SipHeaders.to(ok).setTag(localTag);
            ok.addHeader(requests.contact(contactUser));
            ok.addHeader(headers.createExpiresHeader(expires));
            send(in, ok);
        } catch (ParseException | InvalidArgumentException e) {
            LOG.log(Level.WARNING, "call " + in.callId() + ": cannot build 200 OK to SUBSCRIBE", e);
        }
    }

    @Override
    public void intervalTooBrief(InboundRequest in, int minExpires) {
        withHeader(in, Response.INTERVAL_TOO_BRIEF, "Interval Too Brief", MinExpiresHeader.NAME,
                Integer.toString(minExpires));
    }

    @Override
    public void badEvent(InboundRequest in, String allowEvents) {
        withHeader(in, Response.BAD_EVENT, "Bad Event", AllowEventsHeader.NAME, allowEvents);
    }

    private void withHeader(InboundRequest in, int status, String reason, String name, String value) {
        try {
            Response response = messages.createResponse(status, in.request());
            response.setReasonPhrase(reason);
            response.addHeader(headers.createHeader(name, value));
            send(in, response);
        } catch (ParseException e) {
            LOG.log(Level.WARNING, "call " + in.callId() + ": cannot build " + status, e);
        }
    }

    @Override
    public boolean answer(InboundRequest in, DialogLeg leg, String sdp, Optional<Party> identity, Runnable onNoAck) {
        try {
            Response ok = messages.createResponse(Response.OK, in.request());
            SipHeaders.to(ok).setTag(leg.localTag());
            ok.addHeader(requests.contact());
            if (identity.isPresent()) {
                ok.addHeader(requests.assertedIdentity(identity.get()));
            }
            ok.addHeader(headers.createAllowHeader(ALLOW));
            if (!sdp.isEmpty()) {
                ok.setContent(sdp.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application",
                        "sdp"));
            }
            long cseq = SipHeaders.cseq(in.request());
            // awaited before it leaves: its ACK can be back, on the stack's thread, before this one runs again
            answers.awaitAck(leg.callId(), cseq, ok, () -> lanes.execute(leg.callId(), onNoAck));
            if (!send(in, ok)) {
                answers.withdraw(leg.callId(), cseq);
                return false;
            }
            return true;
        } catch (ParseException e) {
            LOG.log(Level.WARNING, "call " + leg.callId() + ": cannot build 200 OK", e);
            return false;
        }
    }

    private boolean send(InboundRequest in, Response response) {
        seal.seal(response, "");
        try {
            if (in.transaction() != null) {
                in.transaction().sendResponse(response);
            } else {
                stack.provider().sendResponse(response);
            }
            counters.sent();
            return true;
        } catch (SipException | InvalidArgumentException | IllegalStateException e) {
            LOG.log(Level.FINE, "call " + in.callId() + ": response " + response.getStatusCode() + " not sent: "
                    + e.getMessage());
            return false;
        }
    }
}
