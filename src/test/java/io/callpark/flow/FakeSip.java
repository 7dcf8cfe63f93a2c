package io.callpark.flow;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.callpark.park.DialogLeg;
import io.callpark.park.Party;
import io.callpark.sip.InboundRequest;
import io.callpark.sip.OutgoingInvite;
import io.callpark.sip.ProxySeal;
import io.callpark.sip.Responder;
import io.callpark.sip.SipHeaders;
import io.callpark.sip.Transactions;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The SIP edge for flow tests: records what the flows answer and send, and lets the test play the far side of
 * each request it sent (complete its future with a response built from it).
 */
final class FakeSip implements Responder, Transactions {

    /** A response the flows gave (status, reason, Warning, SDP of a 200, Retry-After or -1). */
    record Answer(String callId, String method, int status, String reason, String warning, String sdp,
                  DialogLeg leg, int retryAfter, Map<String, String> headers) {
        Answer(String callId, String method, int status, String reason, String warning, String sdp, DialogLeg leg,
               int retryAfter) {
            this(callId, method, status, reason, warning, sdp, leg, retryAfter, Map.of());
        }
    }

    /** A request the flows sent and its pending outcome. */
    record Sent(Request request, CompletableFuture<Response> outcome, boolean cancelled) {
        String method() {
            return request.getMethod();
        }

        String callId() {
            return SipHeaders.callId(request);
        }

        String body() {
            byte[] raw = request.getRawContent();
            return raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
        }

        /** The far side (at 127.0.0.5, the phones' address) answers with {@code status} (and SDP for a 2xx). */
        void answer(int status, String sdp) throws Exception {
            answerFrom("127.0.0.5", status, sdp);
        }

        /** A far side at {@code host} answers: Kamailio seals the address the answer came from. */
        void answerFrom(String host, int status, String sdp) throws Exception {
            Response response = new MessageFactoryImpl().createResponse(status, request);
            if (SipHeaders.to(response).getTag() == null) {
                SipHeaders.to(response).setTag("far-" + Math.abs(callId().hashCode()));
            }
            if (sdp != null) {
                response.setContent(sdp, new gov.nist.javax.sip.header.HeaderFactoryImpl()
                        .createContentTypeHeader("application", "sdp"));
            }
            PROXY.seal(response, "src=" + host + ":5070");
            outcome.complete(response);
        }
    }

    /** The seal Kamailio and the node of the flow tests share. */
    static final ProxySeal PROXY = new ProxySeal("flow-harness-sip-secret-0123456789");

    final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    final List<DialogLeg> acks = new CopyOnWriteArrayList<>();

    @Override
    public void respond(InboundRequest in, int status, String reason) {
        respond(in, status, reason, null);
    }

    @Override
    public void respond(InboundRequest in, int status, String reason, String warning) {
        if (status > 100) {
            answers.add(new Answer(in.callId(), in.method(), status, reason, warning, "", null, -1));
        }
    }

    @Override
    public void unavailable(InboundRequest in, String why, int retryAfterSeconds) {
        answers.add(new Answer(in.callId(), in.method(), Response.SERVICE_UNAVAILABLE, "Service Unavailable: " + why,
                why, "", null, retryAfterSeconds));
    }

    @Override
    public boolean answer(InboundRequest in, DialogLeg leg, String sdp, Optional<Party> identity,
                          Runnable onNoAck) {
        answers.add(new Answer(in.callId(), in.method(), 200, "OK", null, sdp, leg, -1,
                identity.map(p -> Map.of("P-Asserted-Identity", "\"" + p.displayName() + "\" <" + p.uri() + ">"))
                        .orElse(Map.of())));
        return true;
    }

    @Override
    public void subscribed(InboundRequest in, String localTag, String contactUser, int expires) {
        answers.add(new Answer(in.callId(), in.method(), 200, "OK", null, "", null, -1,
                Map.of("To-tag", localTag, "Contact-user", contactUser, "Expires", Integer.toString(expires))));
    }

    @Override
    public void intervalTooBrief(InboundRequest in, int minExpires) {
        answers.add(new Answer(in.callId(), in.method(), 423, "Interval Too Brief", null, "", null, -1,
                Map.of("Min-Expires", Integer.toString(minExpires))));
    }

    @Override
    public void badEvent(InboundRequest in, String allowEvents) {
        answers.add(new Answer(in.callId(), in.method(), 489, "Bad Event", null, "", null, -1,
                Map.of("Allow-Events", allowEvents)));
    }

    @Override
    public CompletableFuture<Response> send(Request request) {
        CompletableFuture<Response> outcome = new CompletableFuture<>();
        sent.add(new Sent(request, outcome, false));
        return outcome;
    }

    @Override
    public OutgoingInvite sendInvite(Request invite) {
        CompletableFuture<Response> outcome = new CompletableFuture<>();
        Sent ringing = new Sent(invite, outcome, false);
        sent.add(ringing);
        return new OutgoingInvite(SipHeaders.callId(invite), outcome, () -> {
            if (!outcome.isDone()) {
                try {
                    ringing.answer(Response.REQUEST_TERMINATED, null);
                } catch (Exception e) {
                    outcome.completeExceptionally(e);
                }
            }
        });
    }

    @Override
    public void ack(DialogLeg leg, Optional<String> sdp) {
        acks.add(leg);
    }

    /** A header to add to a request the test builds. */
    javax.sip.header.Header header(String name, String value) throws java.text.ParseException {
        return new gov.nist.javax.sip.header.HeaderFactoryImpl().createHeader(name, value);
    }

    /** The final answer the flows gave to the request with that Call-ID. */
    Answer awaitAnswer(String callId) throws InterruptedException {
        return awaitAnswer(callId, null);
    }

    /** The final answer the flows gave to the request with that Call-ID and method (any method: null). */
    Answer awaitAnswer(String callId, String method) throws InterruptedException {
        Answer answer;
        List<Answer> others = new java.util.ArrayList<>();
        try {
            while ((answer = answers.poll(5, TimeUnit.SECONDS)) != null) {
                if (answer.callId().equals(callId) && (method == null || answer.method().equals(method))) {
                    return answer;
                }
                others.add(answer);
            }
        } finally {
            answers.addAll(others);
        }
        throw new AssertionError("no answer to " + callId + "; others: " + others);
    }

    /** The next request the flows sent that matches. */
    Sent awaitSent(Predicate<Sent> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Sent> others = new java.util.ArrayList<>();
        try {
            Sent next;
            while ((next = sent.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                if (wanted.test(next)) {
                    return next;
                }
                others.add(next);
            }
        } finally {
            sent.addAll(others);
        }
        throw new AssertionError("nothing matching was sent; sent: "
                + others.stream().map(s -> s.method() + " " + s.request.getRequestURI()).toList());
    }
}
