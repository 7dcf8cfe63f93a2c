package io.callpark.sip;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.callpark.park.DialogLeg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackResponderTest {

    private static final ProxySeal SEAL = new ProxySeal("stack-responder-test-secret-0123");
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<Response> resent = new CopyOnWriteArrayList<>();
    private final InviteAnswers answers = new InviteAnswers(resent::add, timers);
    private final CallLanes lanes = new CallLanes(10, getClass().getClassLoader());
    private final StackResponder responder = new StackResponder(null, answers, lanes,
            new Requests("127.0.0.1", 5080, SEAL), "callpark-test", new SipCounters(), SEAL);

    @AfterEach
    void stop() throws Exception {
        timers.shutdownNow();
        lanes.close();
    }

    /**
     * On a busy node the ACK can be read and handled on the stack's thread after the 200 left and before the lane
     * that sent it runs again: it still ends the 200's retransmissions, and the call is not released as unanswered.
     */
    @Test
    void anAckThatOvertakesTheSendersNextStepStillAcknowledgesThe200() throws Exception {
        Request invite = new MessageFactoryImpl().createRequest("INVITE sip:*88103@acme.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-fast-ack\r\n"
                + "Max-Forwards: 69\r\n"
                + "From: <sip:102@acme.test>;tag=theirs\r\n"
                + "To: <sip:*88103@acme.test>\r\n"
                + "Call-ID: fast-ack\r\n"
                + "CSeq: 7 INVITE\r\n"
                + "Contact: <sip:102@127.0.0.6:5070>\r\n"
                + "Content-Length: 0\r\n\r\n");
        ServerTransaction ackedAsItLeaves = (ServerTransaction) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServerTransaction.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendResponse")) {
                        answers.acknowledged("fast-ack", 7, "ours", "theirs"); // the stack thread, with the phone's ACK
                    }
                    return null;
                });
        DialogLeg leg = new DialogLeg("fast-ack", "ours", "theirs", "<sip:*88103@acme.test>",
                "<sip:102@acme.test>", "sip:102@127.0.0.6:5070", List.of(), 0, 1, 1, 0);
        AtomicBoolean releasedAsUnanswered = new AtomicBoolean();

        assertTrue(responder.answer(new InboundRequest(invite, ackedAsItLeaves), leg, "", () ->
                releasedAsUnanswered.set(true)));

        assertFalse(answers.retransmitIfAnswered("fast-ack", 7), "no 200 is awaited any more");
        assertTrue(resent.isEmpty());
        assertFalse(releasedAsUnanswered.get());
    }

    @Test
    void anAckOrByeWithoutTheDialogsTagsLeavesThe200Awaited() throws Exception {
        Request invite = new MessageFactoryImpl().createRequest("INVITE sip:*68103@acme.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-tags\r\n"
                + "Max-Forwards: 69\r\n"
                + "From: <sip:102@acme.test>;tag=theirs\r\n"
                + "To: <sip:*68103@acme.test>\r\n"
                + "Call-ID: tags\r\n"
                + "CSeq: 3 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n");
        ServerTransaction quiet = (ServerTransaction) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServerTransaction.class}, (proxy, method, args) -> null);
        DialogLeg leg = new DialogLeg("tags", "ours", "theirs", "<sip:*68103@acme.test>",
                "<sip:102@acme.test>", "sip:102@127.0.0.6:5070", List.of(), 0, 1, 1, 0);
        assertTrue(responder.answer(new InboundRequest(invite, quiet), leg, "", () -> { }));

        answers.acknowledged("tags", 3, "guessed", "theirs");
        answers.acknowledged("tags", 3, "ours", null);
        answers.forget("tags", "guessed", "theirs");
        assertTrue(answers.retransmitIfAnswered("tags", 3), "an ACK or BYE of no dialog of ours changes nothing");
        answers.acknowledged("tags", 3, "ours", "theirs");
        assertFalse(answers.retransmitIfAnswered("tags", 3), "the dialog's own ACK ends the wait");
    }

    /** RFC 3261 8.2.2.3: a 420 names, in Unsupported, every extension the request required (RFC 4475 3.3.5). */
    @Test
    void aBadExtensionAnswerNamesEveryExtensionTheRequestRequired() throws Exception {
        Request options = new MessageFactoryImpl().createRequest("OPTIONS sip:user@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-bext01\r\n"
                + "Max-Forwards: 6\r\n"
                + "From: sip:caller@example.net;tag=242etr\r\n"
                + "To: sip:j_user@example.com\r\n"
                + "Call-ID: bext01.0ha0isndaksdj\r\n"
                + "Require: nothingSupportsThis, nothingSupportsThisEither\r\n"
                + "CSeq: 8 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n");
        List<Response> sent = new CopyOnWriteArrayList<>();
        ServerTransaction capture = (ServerTransaction) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServerTransaction.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendResponse")) {
                        sent.add((Response) args[0]);
                    }
                    return null;
                });
        responder.respond(new InboundRequest(options, capture), Response.BAD_EXTENSION, "Bad Extension");
        Response answer = sent.get(0);
        assertTrue(answer.getStatusCode() == 420, answer.toString());
        List<String> unsupported = new java.util.ArrayList<>();
        answer.getHeaders(javax.sip.header.UnsupportedHeader.NAME).forEachRemaining(h ->
                unsupported.add(((javax.sip.header.UnsupportedHeader) h).getOptionTag()));
        assertTrue(unsupported.equals(List.of("nothingSupportsThis", "nothingSupportsThisEither")),
                unsupported.toString());
    }
}
