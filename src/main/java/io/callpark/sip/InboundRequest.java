package io.callpark.sip;

import gov.nist.javax.sip.stack.SIPServerTransaction;

import javax.sip.ServerTransaction;
import javax.sip.TransactionState;
import javax.sip.message.Request;
import java.util.Optional;

/**
 * A request that passed the trust check, with its server transaction (null for ACK, which has none).
 */
public record InboundRequest(Request request, ServerTransaction transaction) {

    public String method() {
        return request.getMethod();
    }

    public String callId() {
        return SipHeaders.callId(request);
    }

    /** The To tag: ours, in a request within a dialog we answered. */
    public String toTag() {
        return SipHeaders.to(request).getTag();
    }

    public long cseq() {
        return SipHeaders.cseq(request);
    }

    /** The From tag: the far end's. */
    public String fromTag() {
        return SipHeaders.from(request).getTag();
    }

    /** For a CANCEL: the INVITE it cancels, if this node has it. */
    public Optional<InboundRequest> cancelledInvite() {
        ServerTransaction invite = transaction instanceof SIPServerTransaction server
                ? server.getCanceledInviteTransaction() : null;
        return Optional.ofNullable(invite).map(tx -> new InboundRequest(tx.getRequest(), tx));
    }

    /** Whether no final response went out yet (an INVITE still ringing or being worked on). */
    public boolean stillProceeding() {
        return transaction != null && transaction.getState() == TransactionState.PROCEEDING;
    }

    /** Whether a final response may still be sent in its transaction. */
    public boolean unanswered() {
        return transaction != null && transaction.getState() != TransactionState.COMPLETED
                && transaction.getState() != TransactionState.TERMINATED;
    }
}
