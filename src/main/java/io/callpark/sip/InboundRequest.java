package io.callpark.sip;

import javax.sip.ServerTransaction;
import javax.sip.message.Request;

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
}
