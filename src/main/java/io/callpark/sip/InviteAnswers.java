package io.callpark.sip;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The 2xx-to-INVITE reliability that RFC 3261 leaves to the UA core (13.3.1.4, 13.2.2.4): our 200 OK is
 * retransmitted (T1 doubling to T2) until its ACK arrives, and a retransmitted 2xx from the far side is ACKed again.
 * Node-local: a 2xx in flight is seconds long, far shorter than any failover.
 */
final class InviteAnswers {

    static final long T1_MS = 500;
    static final long T2_MS = 4000;
    static final long TIMER_H_MS = 64 * T1_MS;
    private static final long ACK_MEMORY_MS = 32_000;

    private record Key(String callId, long cseq) {
    }

    private final class PendingAnswer {
        final Response response;
        final Runnable onNoAck;
        final long deadline;
        long interval = T1_MS;
        volatile ScheduledFuture<?> timer;

        PendingAnswer(Response response, Runnable onNoAck) {
            this.response = response;
            this.onNoAck = onNoAck;
            this.deadline = System.currentTimeMillis() + TIMER_H_MS;
        }
    }

    private final Map<Key, PendingAnswer> pending = new ConcurrentHashMap<>();
    private final Map<Key, Request> sentAcks = new ConcurrentHashMap<>();
    /** The To tag of the first 2xx to each INVITE we sent: a 2xx with another tag is a second fork. */
    private final Map<Key, String> answeredBy = new ConcurrentHashMap<>();
    private final Consumer<Response> resend;
    private final ScheduledExecutorService timers;
    private Consumer<Request> ackSender = r -> { };

    InviteAnswers(Consumer<Response> resend, ScheduledExecutorService timers) {
        this.resend = resend;
        this.timers = timers;
    }

    void ackSender(Consumer<Request> sender) {
        this.ackSender = sender;
    }

    void awaitAck(String callId, long cseq, Response ok, Runnable onNoAck) {
        Key key = new Key(callId, cseq);
        PendingAnswer answer = new PendingAnswer(ok, onNoAck);
        pending.put(key, answer);
        schedule(key, answer);
    }

    private void schedule(Key key, PendingAnswer answer) {
        answer.timer = timers.schedule(() -> fire(key, answer), answer.interval, TimeUnit.MILLISECONDS);
    }

    private void fire(Key key, PendingAnswer answer) {
        if (pending.get(key) != answer) {
            return;
        }
        if (System.currentTimeMillis() >= answer.deadline) {
            if (pending.remove(key, answer)) { // the ACK may have won the race
                answer.onNoAck.run();
            }
            return;
        }
        resend.accept(answer.response);
        answer.interval = Math.min(answer.interval * 2, T2_MS);
        schedule(key, answer);
    }

    /** A retransmitted INVITE we already answered gets the same 200 again; true if that was the case. */
    boolean retransmitIfAnswered(String callId, long cseq) {
        PendingAnswer answer = pending.get(new Key(callId, cseq));
        if (answer == null) {
            return false;
        }
        resend.accept(answer.response);
        return true;
    }

    /** The ACK of our 2xx: only one in that dialog (both tags) stops its retransmissions. */
    void acknowledged(String callId, long cseq, String toTag, String fromTag) {
        PendingAnswer answer = pending.get(new Key(callId, cseq));
        if (answer != null && inDialogOf(answer.response, toTag, fromTag)) {
            withdraw(callId, cseq);
        }
    }

    private static boolean inDialogOf(Response ok, String toTag, String fromTag) {
        return Objects.equals(SipHeaders.to(ok).getTag(), toTag) && Objects.equals(SipHeaders.from(ok).getTag(),
                fromTag);
    }

    /** The 2xx is not awaited any more: acknowledged, or never sent. */
    void withdraw(String callId, long cseq) {
        PendingAnswer answer = pending.remove(new Key(callId, cseq));
        if (answer != null && answer.timer != null) {
            answer.timer.cancel(false);
        }
    }

    /** A BYE in the dialog (both tags) that overtook the ACK: its 2xx is not awaited any more. */
    void forget(String callId, String toTag, String fromTag) {
        pending.entrySet().removeIf(e -> {
            if (e.getKey().callId().equals(callId) && inDialogOf(e.getValue().response, toTag, fromTag)) {
                if (e.getValue().timer != null) {
                    e.getValue().timer.cancel(false);
                }
                return true;
            }
            return false;
        });
    }

    void rememberAck(String callId, long cseq, Request ack) {
        Key key = new Key(callId, cseq);
        sentAcks.put(key, ack);
        timers.schedule(() -> sentAcks.remove(key, ack), ACK_MEMORY_MS, TimeUnit.MILLISECONDS);
    }

    void answeredBy(String callId, long cseq, String toTag) {
        Key key = new Key(callId, cseq);
        if (toTag != null && answeredBy.putIfAbsent(key, toTag) == null) {
            timers.schedule(() -> answeredBy.remove(key), ACK_MEMORY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A 2xx that came again, outside its transaction: ACKed again if it is the retransmission of the answer we took.
     *
     * @return false when it comes from another device than the one that answered first (a forked INVITE)
     */
    boolean reAcknowledge(String callId, long cseq, String toTag) {
        Key key = new Key(callId, cseq);
        String first = answeredBy.get(key);
        if (first != null && !first.equals(toTag)) {
            return false;
        }
        Request ack = sentAcks.get(key);
        if (ack != null) {
            ackSender.accept(ack);
        }
        return true;
    }



    void cancelAll() {
        pending.values().forEach(a -> {
            if (a.timer != null) {
                a.timer.cancel(false);
            }
        });
        pending.clear();
        sentAcks.clear();
        answeredBy.clear();
    }
}
