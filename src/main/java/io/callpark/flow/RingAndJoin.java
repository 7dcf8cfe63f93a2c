package io.callpark.flow;

import io.callpark.sip.Requests;
import io.callpark.sip.Transactions;
import io.callpark.store.ParkStore;
import java.util.concurrent.ScheduledExecutorService;
import io.callpark.sip.CallLanes;
import io.callpark.media.MediaRejectedException;
import io.callpark.media.SdpCodec;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import io.callpark.park.DialogLeg;
import io.callpark.park.DialogTag;
import io.callpark.sip.OutgoingInvite;
import io.callpark.sip.SipHeaders;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rings phones for a parked call and joins the caller with the first that answers (RFC 3725: each phone is offered
 * the caller's media, the caller is re-INVITEd with the answer). While they ring the call is RINGING: the caller
 * keeps its music and a retrieve may still take the call, which stops the ringing. Several phones may ring at
 * once, each from its own moment; the others stop when one answers, and one that answers too late is released.
 * Every device of a target rings (Kamailio forks); a second device that answers too is released by the SIP edge.
 */
final class RingAndJoin {

    private static final Logger LOG = Logger.getLogger(RingAndJoin.class.getName());
    private static final long CLAIM_CHECK_MS = 1000;

    /** A phone to ring, {@code afterMs} after the ringing starts. */
    record Target(Party party, long afterMs) {
    }

    /**
     * How the phones are rung.
     *
     * @param ringMs    how long the whole ringing lasts
     * @param display   the display name the phones show (the caller's when empty)
     * @param alertInfo an Alert-Info value for a distinctive ring, or empty
     */
    record Style(long ringMs, Optional<String> display, Optional<String> alertInfo) {
        static Style plain(long ringMs) {
            return new Style(ringMs, Optional.empty(), Optional.empty());
        }
    }

    /** How a ringing ended. */
    enum Result {
        /** a phone answered and was joined with the caller */
        JOINED,
        /** nobody answered in time (or every phone refused); the call waits again */
        NO_ANSWER,
        /** a retrieve took the call while it rang */
        TAKEN,
        /** the caller left meanwhile, or could not be joined */
        CALLER_GONE
    }

    /** @param by the phone that answered, for JOINED */
    record Outcome(Result result, ParkedCall call, Optional<Party> by) {
    }

    private final ThisNode here;
    private final Transactions transactions;
    private final Requests requests;
    private final ParkStore parks;
    private final CallLanes lanes;
    private final ScheduledExecutorService scheduler;
    private final ParkExit exit;
    private final CallerJoin joins;
    /** Phones that answered and are being joined, by their Call-ID: their BYE may come before the bridge. */
    private final Map<String, Ringing> joining = new ConcurrentHashMap<>();

    RingAndJoin(ThisNode here, Transactions transactions, Requests requests, ParkStore parks, CallLanes lanes,
                ScheduledExecutorService scheduler, ParkExit exit, CallerJoin joins) {
        this.here = here;
        this.transactions = transactions;
        this.requests = requests;
        this.parks = parks;
        this.lanes = lanes;
        this.scheduler = scheduler;
        this.exit = exit;
        this.joins = joins;
    }

    /**
     * Holds the waiting call for a new ringing and starts it; false when the call is not waiting (gone, or held
     * by something else). {@code done} runs once, on the ringing's lane.
     */
    boolean start(ParkedCall call, List<Target> targets, Style style, Consumer<Outcome> done) {
        String ringId = "ring-" + UUID.randomUUID();
        Optional<ParkedCall> held = parks.ring(call, ringId, here.name());
        if (held.isEmpty()) {
            return false;
        }
        Ringing ringing = new Ringing(ringId, held.get(), targets, style, done);
        lanes.execute(ringId, () -> ringing.guarded(ringing::begin));
        return true;
    }

    /** One ringing: its phones, its timers; every step runs on the lane of its id. */
    private final class Ringing {
        final String id;
        final ParkedCall held;
        final List<Target> targets;
        final Style style;
        final Consumer<Outcome> done;
        final List<OutgoingInvite> invites = new ArrayList<>();
        final List<ScheduledFuture<?>> timers = new ArrayList<>();
        final long sessionId = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
        int refused;
        boolean finished;
        boolean answered;
        /** set by the phone's BYE (another lane), read under the lock with {@code bridged} */
        boolean phoneLeft;
        /** the dialog of the phone that answered: its BYE is matched by Call-ID and both tags */
        volatile DialogLeg answeredLeg;
        boolean bridged;
        /** the caller took the answering phone's SDP (it holds another party's media until it is bridged) */
        boolean callerJoined;

        Ringing(String id, ParkedCall held, List<Target> targets, Style style, Consumer<Outcome> done) {
            this.id = id;
            this.held = held;
            this.targets = targets;
            this.style = style;
            this.done = done;
        }

        void begin() {
            LOG.info(held.describe() + ": ringing " + targets.stream().map(t -> t.party().uri()).toList() + " for "
                    + style.ringMs() / 1000 + " s (" + id + ")");
            for (Target target : targets) {
                timers.add(scheduler.schedule(() -> lanes.execute(id, () -> guarded(() -> send(target))),
                        target.afterMs(), TimeUnit.MILLISECONDS));
            }
            timers.add(scheduler.schedule(() -> lanes.execute(id, () -> guarded(this::timeUp)), style.ringMs(),
                    TimeUnit.MILLISECONDS));
            timers.add(scheduler.scheduleWithFixedDelay(() -> lanes.execute(id, () -> guarded(this::checkClaim)),
                    CLAIM_CHECK_MS, CLAIM_CHECK_MS, TimeUnit.MILLISECONDS));
        }

        void send(Target target) {
            if (finished || answered) {
                return;
            }
            OutgoingInvite invite = transactions.sendInvite(invite(target.party()));
            invites.add(invite);
            invite.finalResponse().whenComplete((response, error) -> lanes.execute(id,
                    () -> guarded(() -> onFinal(target.party(), invite, response))));
        }

        Request invite(Party target) {
            Party caller = held.parked();
            String display = style.display().orElse(caller.displayName()).replace("\"", "");
            String from = (display.isEmpty() ? "" : "\"" + display + "\" ") + "<" + caller.uri() + ">";
            return requests.ringingInvite(from, DialogTag.ofBridge(held.leg().localTag()), target.uri(),
                    style.alertInfo(), SdpCodec.offerForCaller(here.address(), held.media(), sessionId, 1));
        }

        void onFinal(Party target, OutgoingInvite invite, Response response) {
            boolean ok = response != null && response.getStatusCode() / 100 == 2;
            if (!ok) {
                refused++;
                if (!answered && !finished && refused == targets.size()) {
                    end(Result.NO_ANSWER, "every phone refused");
                }
                return;
            }
            DialogLeg phone = Requests.uacLeg(response, sessionId, 1);
            if (answered || finished) {
                transactions.ack(phone, Optional.empty());
                hangUp(phone, "another phone answered first, or the ringing ended");
                return;
            }
            answered = true;
            answeredLeg = phone;
            joining.put(phone.callId(), this); // before the ACK: the phone's BYE may follow it at once
            transactions.ack(phone, Optional.empty());
            cancelOthers(invite);
            join(target, phone, response);
        }

        void join(Party target, DialogLeg phone, Response answer) {
            String phoneSdp;
            try {
                phoneSdp = offerForCaller(answer);
            } catch (MediaRejectedException e) {
                hangUp(phone, "its answer cannot be offered to the caller: " + e.getMessage());
                end(Result.NO_ANSWER, "the phone's answer was refused: " + e.getMessage());
                return;
            }
            Optional<ParkedCall> committed = parks.callByParkId(held.tenant(), held.parkId())
                    .filter(c -> id.equals(c.claimedBy()))
                    .flatMap(parks::commit);
            if (committed.isEmpty()) {
                hangUp(phone, "a retrieve took the call, or the caller left");
                end(parks.callByParkId(held.tenant(), held.parkId()).isPresent() ? Result.TAKEN
                        : Result.CALLER_GONE, "");
                return;
            }
            joins.offer(committed.get(), target, phoneSdp, id, this::phoneLeft, outcome -> guarded(() -> {
                switch (outcome.result()) {
                    case ANSWERED -> {
                        callerJoined = true;
                        bridge(target, phone, outcome.call());
                    }
                    case CALLER_GONE -> {
                        exit.abandon(outcome.call(), outcome.byeCaller(), "caller did not answer the join re-INVITE");
                        hangUp(phone, "the caller is gone");
                        finish(new Outcome(Result.CALLER_GONE, outcome.call(), Optional.empty()));
                    }
                    case WITHDRAWN -> finish(new Outcome(Result.NO_ANSWER, outcome.call(), Optional.empty()));
                    case STALE, UNUSABLE_SDP, REFUSED -> {
                        hangUp(phone, "the caller could not be joined (" + outcome.result() + " " + outcome.status() + ")");
                        finish(new Outcome(Result.CALLER_GONE, outcome.call(), Optional.empty()));
                    }
                }
            }));
        }

        /**
         * The phone's SDP, every address in it pointed at where its answer came from (as Kamailio vouches): the
         * caller's phone sends its RTP to the phone that answered, never to a third address that phone names.
         */
        private String offerForCaller(Response answer) throws MediaRejectedException {
            Optional<String> sdp = SipHeaders.sdpBody(answer);
            if (sdp.isEmpty()) {
                throw new MediaRejectedException("it answered without SDP");
            }
            return RequiredOffer.pointedAtSender(sdp.get(), answer);
        }

        /** Runs a step of the ringing; if it fails (a store write timed out), the ringing ends in a defined state. */
        void guarded(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        /**
         * The phone that answered is released, the others stop ringing, the call is given back (on music again if
         * the caller took the phone's media) and the recall goes on as after a ringing nobody answered.
         */
        private void failed(RuntimeException e) {
            LOG.severe(held.describe() + ": ringing " + id + " failed: " + e);
            LOG.log(Level.FINE, held.describe() + ": ringing failure", e);
            if (finished) {
                return;
            }
            try {
                cancelOthers(null);
                if (answeredLeg != null && !bridged) {
                    hangUp(answeredLeg, "the join failed");
                }
            } finally {
                joins.giveBack(held, callerJoined, "ringing " + id + " failed");
                finish(new Outcome(Result.NO_ANSWER, held, Optional.empty()));
            }
        }

        /** The caller took the phone's SDP: one call now, unless the phone hung up meanwhile. */
        void bridge(Party target, DialogLeg phone, ParkedCall call) {
            Optional<io.callpark.park.Bridge> bridge;
            synchronized (this) {
                bridge = phoneLeft ? Optional.empty() : joins.bridge(call, phone);
                bridged = bridge.isPresent();
            }
            if (bridge.isPresent()) {
                LOG.info(call.describe() + ": taken by " + target.uri() + " in " + bridge.get().describe());
                finish(new Outcome(Result.JOINED, call, Optional.of(target)));
            } else if (phoneLeft) {
                joins.backToMusic(call, "the phone hung up as it was joined");
                finish(new Outcome(Result.NO_ANSWER, call, Optional.empty()));
            } else {
                hangUp(phone, "the caller hung up as it was joined");
                finish(new Outcome(Result.CALLER_GONE, call, Optional.empty()));
            }
        }

        synchronized boolean phoneLeft() {
            return phoneLeft;
        }

        /** The answered phone hung up; false when it is bridged already (the bridge then handles its BYE). */
        synchronized boolean leave() {
            if (bridged) {
                return false;
            }
            phoneLeft = true;
            return true;
        }

        void timeUp() {
            if (!answered && !finished) {
                end(Result.NO_ANSWER, "nobody answered in " + style.ringMs() / 1000 + " s");
            }
        }

        /** A retrieve that took the call, or a caller who left, ends the ringing at once. */
        void checkClaim() {
            if (answered || finished) {
                return;
            }
            Optional<ParkedCall> now = parks.callByParkId(held.tenant(), held.parkId());
            if (now.isEmpty()) {
                end(Result.CALLER_GONE, "the caller left");
            } else if (!id.equals(now.get().claimedBy())) {
                end(Result.TAKEN, "a retrieve took the call");
            }
        }

        /** Ends a ringing nobody answered: the phones stop, the call waits again (if it is still ours). */
        void end(Result result, String why) {
            if (finished) {
                return;
            }
            cancelOthers(null);
            Optional<ParkedCall> now = parks.callByParkId(held.tenant(), held.parkId())
                    .filter(c -> id.equals(c.claimedBy()));
            now.ifPresent(parks::release);
            if (!why.isEmpty()) {
                LOG.info(held.describe() + ": ringing " + id + " ended, " + why);
            }
            finish(new Outcome(result, now.map(ParkedCall::released).orElse(held), Optional.empty()));
        }

        void finish(Outcome outcome) {
            if (finished) {
                return;
            }
            finished = true;
            timers.forEach(t -> t.cancel(false));
            invites.forEach(i -> joining.remove(i.callId()));
            done.accept(outcome);
        }

        void cancelOthers(OutgoingInvite keep) {
            timers.forEach(t -> t.cancel(false));
            invites.stream().filter(i -> i != keep).forEach(i -> i.cancel().run());
        }
    }

    /**
     * A BYE on a dialog this node may be joining: true when it is the phone of a join in progress (the caller
     * then goes back to its music), false when it is nothing of ours here (or already a bridge).
     */
    boolean phoneHungUp(String callId, String localTag, String remoteTag) {
        Ringing ringing = joining.get(callId);
        return ringing != null && ringing.answeredLeg.isDialogOf(callId, localTag, remoteTag) && ringing.leave();
    }

    private void hangUp(DialogLeg phone, String why) {
        transactions.send(requests.inDialog(phone.nextCseq(), Request.BYE));
        LOG.info("call " + phone.callId() + ": phone released, " + why);
    }
}
