package io.callpark.sip;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.callpark.park.DialogLeg;

import javax.sip.ClientTransaction;
import javax.sip.SipException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.text.ParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link Transactions} on the JAIN-SIP stack. Each request's future completes on its Call-ID's lane; a request
 * the far side never answers finally ends with a local 408 after 64*T1: an INVITE the proxy answered 100 Trying
 * waits for its final response with no timer of the stack's (RFC 3261 17.1.1.2), and a re-INVITE a phone never
 * answers must not hold its call forever.
 */
final class StackTransactions implements Transactions {

    private static final Logger LOG = Logger.getLogger(StackTransactions.class.getName());

    private final SipStack stack;
    private final InviteAnswers answers;
    private final CallLanes lanes;
    private final ScheduledExecutorService timers;
    private final Requests requests;
    private final SipCounters counters;

    StackTransactions(SipStack stack, InviteAnswers answers, CallLanes lanes, ScheduledExecutorService timers,
                      Requests requests, SipCounters counters) {
        this.stack = stack;
        this.answers = answers;
        this.lanes = lanes;
        this.timers = timers;
        this.requests = requests;
        this.counters = counters;
    }

    @Override
    public CompletableFuture<Response> send(Request request) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        try {
            ClientTransaction tx = stack.provider().getNewClientTransaction(request);
            tx.setApplicationData(result);
            tx.sendRequest();
            counters.sent();
            deadline(tx, result, "Request Timeout: no final answer");
        } catch (SipException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    @Override
    public OutgoingInvite sendInvite(Request invite) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        String callId = SipHeaders.callId(invite);
        try {
            ClientTransaction tx = stack.provider().getNewClientTransaction(invite);
            tx.setApplicationData(result);
            tx.sendRequest();
            counters.sent();
            return new OutgoingInvite(callId, result, () -> cancel(tx, result));
        } catch (SipException e) {
            result.completeExceptionally(e);
            return new OutgoingInvite(callId, result, () -> { });
        }
    }

    @Override
    public void ack(DialogLeg leg, Optional<String> sdp) {
        Request ack = sdp.map(body -> requests.inDialog(leg, Request.ACK, body))
                .orElseGet(() -> requests.inDialog(leg, Request.ACK));
        try {
            answers.rememberAck(leg.callId(), leg.localCseq(), ack);
            stack.provider().sendRequest(ack);
            counters.sent();
        } catch (SipException e) {
            LOG.log(Level.WARNING, "call " + leg.callId() + ": ACK not sent", e);
        }
    }

    /** A response from the proxy; {@code tx} is null for a 2xx that came again outside its transaction. */
    void responded(ClientTransaction tx, Response response) {
        String callId = SipHeaders.callId(response);
        boolean inviteOk = response.getStatusCode() / 100 == 2
                && Request.INVITE.equals(SipHeaders.cseqMethod(response));
        if (tx == null) {
            if (inviteOk && !answers.reAcknowledge(callId, SipHeaders.cseq(response),
                    SipHeaders.to(response).getTag())) {
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
        complete(tx, response);
    }

    /** Ends the request as if the far side had answered 408 (nothing came back in time). */
    void timedOut(ClientTransaction tx, String reason) {
        try {
            Response timeout = new MessageFactoryImpl().createResponse(Response.REQUEST_TIMEOUT, tx.getRequest());
            timeout.setReasonPhrase(reason);
            complete(tx, timeout);
        } catch (ParseException e) {
            LOG.log(Level.WARNING, "cannot build local 408", e);
        }
    }

    private void cancel(ClientTransaction invite, CompletableFuture<Response> result) {
        if (result.isDone()) {
            return;
        }
        try {
            Request cancel = invite.createCancel();
            stack.seal(cancel);
            stack.provider().getNewClientTransaction(cancel).sendRequest();
            counters.sent();
        } catch (SipException e) {
            LOG.fine("call " + SipHeaders.callId(invite.getRequest()) + ": CANCEL not sent: " + e.getMessage());
        }
        deadline(invite, result, "Request Timeout: CANCEL not answered");
    }

    private void deadline(ClientTransaction tx, CompletableFuture<Response> result, String reason) {
        timers.schedule(() -> {
            if (tx.getApplicationData() == result) {
                LOG.info("call " + SipHeaders.callId(tx.getRequest()) + ": " + tx.getRequest().getMethod() + " "
                        + reason.toLowerCase(Locale.ROOT));
                timedOut(tx, reason);
            }
        }, InviteAnswers.TIMER_H_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * A 2xx from a second device of a forked INVITE, after another device answered first (RFC 3261 13.2.2.4):
     * that dialog is acknowledged and ended at once, so the phone stops ringing and nobody is left on a dead line.
     */
    private void releaseStrayFork(Response response) {
        String callId = SipHeaders.callId(response);
        try {
            DialogLeg stray = Requests.uacLeg(response, 0, 0);
            stack.provider().sendRequest(requests.inDialog(stray, Request.ACK));
            counters.sent();
            send(requests.inDialog(stray.nextCseq(), Request.BYE));
            LOG.info("call " + callId + ": a second device answered the forked INVITE; acknowledged and released");
        } catch (SipException | RuntimeException e) {
            LOG.log(Level.WARNING, "call " + callId + ": stray 2xx of a forked INVITE not released", e);
        }
    }

    @SuppressWarnings("unchecked")
    private void complete(ClientTransaction tx, Response response) {
        Object data = tx.getApplicationData();
        if (data instanceof CompletableFuture<?> future) {
            tx.setApplicationData(null);
            lanes.execute(SipHeaders.callId(response), () -> ((CompletableFuture<Response>) future).complete(response));
        }
    }
}
