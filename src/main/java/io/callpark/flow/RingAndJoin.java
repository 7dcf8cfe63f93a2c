package io.callpark.flow;

import io.callpark.event.ParkEvent;
import io.callpark.media.SdpCodec;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import io.callpark.sip.DialogLeg;
import io.callpark.sip.OutgoingInvite;
import io.callpark.sip.SipEndpoint;
import io.callpark.sip.SipHeaders;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.text.ParseException;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Rings a phone for a parked call and joins the caller with whoever answers (RFC 3725: the phone is offered the
 * caller's media, the caller is re-INVITEd with the phone's answer). The caller keeps its music while the phone
 * rings; if nobody answers in time the INVITE is cancelled and the call waits again. Every device of the target
 * rings (Kamailio forks); a second device that answers too is released.
 */
final class RingAndJoin {

    private static final Logger LOG = Logger.getLogger(RingAndJoin.class.getName());

    private final CallparkNode node;
    private final ParkExit exit;
    private final Consumer<ParkEvent> events;
    private final CallerJoin joins;

    RingAndJoin(CallparkNode node, ParkExit exit, Consumer<ParkEvent> events) {
        this.node = node;
        this.exit = exit;
        this.events = events;
        this.joins = new CallerJoin(node);
    }

    /** An INVITE ready to ring a phone: its Call-ID claims the parked call before it is sent. */
    record Ring(Request invite, String callId, Party target, long sdpSessionId) {
    }

    /** The INVITE that will ring {@code target} for the call, shown as coming from the parked caller. */
    Ring prepare(ParkedCall call, Party target) {
        Party caller = call.parked();
        String from = (caller.displayName().isEmpty() ? "" : "\"" + caller.displayName().replace("\"", "") + "\" ")
                + "<" + caller.uri() + ">";
        Request invite = node.sip().outOfDialogRequest(Request.INVITE, from, "<" + target.uri() + ">");
        long sessionId = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
        try {
            invite.addHeader(node.sip().ourContact());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        node.sip().setSdp(invite, SdpCodec.offerForCaller(node.config().sipAddress(), call.media(), sessionId, 1));
        return new Ring(invite, SipHeaders.callId(invite), target, sessionId);
    }

    /**
     * Sends the prepared INVITE for the call, which the INVITE's Call-ID has claimed; the rest runs on that Call-ID's
     * lane.
     */
    void ring(ParkedCall claimed, Ring ring, int ringSeconds) {
        Party target = ring.target();
        OutgoingInvite ringing = node.sip().sendInvite(ring.invite());
        ScheduledFuture<?> noAnswer = node.timers().schedule(ringing.cancel(), ringSeconds, TimeUnit.SECONDS);
        LOG.info(claimed.describe() + ": ringing " + target.uri() + " (call " + ringing.callId() + ") for "
                + ringSeconds + " s");
        ringing.finalResponse().whenComplete((response, error) -> node.lanes().execute(ringing.callId(), () -> {
            noAnswer.cancel(false);
            if (error != null || response.getStatusCode() / 100 != 2) {
                String why = error != null ? error.getMessage() : response.getStatusCode() + " "
                        + response.getReasonPhrase();
                node.parks().release(claimed);
                LOG.info(claimed.describe() + ": " + target.uri() + " did not take the call (" + why
                        + "), it waits again");
                return;
            }
            answered(claimed, target, SipEndpoint.uacLeg(response, ring.sdpSessionId(), 1), response);
        }));
    }

    private void answered(ParkedCall claimed, Party target, DialogLeg phone, Response answer) {
        node.sip().ack(phone, Optional.empty());
        Optional<String> phoneSdp = SipHeaders.sdpBody(answer);
        Optional<ParkedCall> current = node.parks().callByParkId(claimed.tenant(), claimed.parkId())
                .filter(c -> phone.callId().equals(c.claimedBy()));
        if (current.isEmpty() || phoneSdp.isEmpty()) {
            hangUpPhone(phone, current.isEmpty() ? "the caller left meanwhile" : "the phone answered without SDP");
            current.ifPresent(node.parks()::release);
            return;
        }
        joins.offer(current.get(), phoneSdp.get(), phone.callId(), () -> false, outcome -> {
            switch (outcome.result()) {
                case ANSWERED -> joins.bridge(outcome.call(), phone).ifPresentOrElse(bridge -> {
                    LOG.info(outcome.call().describe() + ": retrieved by " + target.uri() + " in " + bridge.describe());
                    events.accept(ParkEvent.retrieved(outcome.call(), target));
                }, () -> hangUpPhone(phone, "the caller hung up as it was joined"));
                case CALLER_GONE -> {
                    exit.abandon(outcome.call(), outcome.byeCaller(), "caller did not answer the join re-INVITE");
                    hangUpPhone(phone, "the caller is gone");
                }
                case STALE, UNUSABLE_SDP, REFUSED, WITHDRAWN -> hangUpPhone(phone,
                        "the caller could not be joined (" + outcome.result() + " " + outcome.status() + ")");
            }
        });
    }

    private void hangUpPhone(DialogLeg phone, String why) {
        node.sip().send(node.sip().inDialogRequest(phone.nextCseq(), Request.BYE));
        LOG.info("call " + phone.callId() + ": phone released, " + why);
    }
}
