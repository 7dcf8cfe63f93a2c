package io.callpark.flow;

import io.callpark.sip.Requests;
import io.callpark.sip.Transactions;
import io.callpark.media.MusicOnHold;
import io.callpark.store.ParkStore;
import java.util.concurrent.ScheduledExecutorService;
import io.callpark.store.BridgeStore;
import io.callpark.sip.CallLanes;
import io.callpark.media.MediaRejectedException;
import io.callpark.media.SdpCodec;
import io.callpark.park.Bridge;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import io.callpark.park.DialogLeg;
import io.callpark.park.DialogTag;
import io.callpark.store.schema.CallLocator;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The caller's half of every join (a *88 retrieve, a retrieve from the API, a recall): the claimed parked caller
 * is re-INVITEd with the other party's SDP (RFC 3725), a glare (491) is retried after a random pause, and the
 * outcome says what the caller did. {@link #bridge} then makes the two one call.
 */
final class CallerJoin {

    private static final Logger LOG = Logger.getLogger(CallerJoin.class.getName());
    private static final int MAX_GLARE_RETRIES = 5;

    /** What the caller did with the offer. */
    enum Result {
        /** took it: {@code answer} carries its SDP; the ACK is sent */
        ANSWERED,
        /** the stored call changed before the offer went out (the caller hung up): nothing was sent */
        STALE,
        /** the other party's SDP cannot be offered; the claim is released */
        UNUSABLE_SDP,
        /** the caller is gone (481) or did not answer (408: it gets a BYE); the call is to be abandoned */
        CALLER_GONE,
        /** the caller refused with another status; the claim is released */
        REFUSED,
        /** the party we join it with gave up meanwhile; the claim is released */
        WITHDRAWN
    }

    /**
     * @param call     the call as stored after the offer (leg with our CSeq, SDP version and refreshed target)
     * @param answer   the caller's 2xx for ANSWERED
     * @param byeCaller for CALLER_GONE: whether it may still be there
     */
    record Outcome(Result result, ParkedCall call, Optional<Response> answer, int status, boolean byeCaller) {
        static Outcome of(Result result, ParkedCall call, int status) {
            return new Outcome(result, call, Optional.empty(), status, false);
        }
    }

    private final ThisNode here;
    private final Transactions transactions;
    private final Requests requests;
    private final ParkStore parks;
    private final BridgeStore bridges;
    private final MusicOnHold music;
    private final CallLanes lanes;
    private final ScheduledExecutorService timers;
    private final ParkExit exit;

    CallerJoin(ThisNode here, Transactions transactions, Requests requests, ParkStore parks, BridgeStore bridges,
               MusicOnHold music, CallLanes lanes, ScheduledExecutorService timers, ParkExit exit) {
        this.here = here;
        this.transactions = transactions;
        this.requests = requests;
        this.parks = parks;
        this.bridges = bridges;
        this.music = music;
        this.lanes = lanes;
        this.timers = timers;
        this.exit = exit;
    }

    /**
     * Offers the claimed caller {@code sdp}; the outcome is handed over on {@code lane}.
     *
     * @param withdrawn true once the other party gave up (checked before a retry and after a refusal)
     */
    void offer(ParkedCall claimed, Party joiner, String sdp, String lane, BooleanSupplier withdrawn,
               Consumer<Outcome> then) {
        attempt(claimed, new Join(joiner, sdp, lane, withdrawn, then), 0);
    }

    /** One join: who joins the caller (named in the re-INVITE), with which SDP, on which lane, told how. */
    private record Join(Party joiner, String sdp, String lane, BooleanSupplier withdrawn, Consumer<Outcome> then) {
    }

    private void attempt(ParkedCall call, Join join, int glare) {
        String sdp = join.sdp();
        Consumer<Outcome> then = join.then();
        DialogLeg leg = call.leg().nextCseq().nextSdpVersion();
        String offer;
        try {
            offer = SdpCodec.withOrigin(sdp, here.address(), leg.sdpSessionId(), leg.sdpVersion());
        } catch (MediaRejectedException e) {
            parks.release(call);
            then.accept(Outcome.of(Result.UNUSABLE_SDP, call, Response.NOT_ACCEPTABLE_HERE));
            return;
        }
        Optional<ParkedCall> stored = parks.replace(call, call.withLeg(leg));
        if (stored.isEmpty()) {
            then.accept(Outcome.of(Result.STALE, call, 0));
            return;
        }
        Request reInvite = requests.reInviteFrom(leg, offer, join.joiner());
        LOG.info(call.describe() + ": re-INVITE to join with " + call.claimedBy());
        transactions.send(reInvite).whenComplete((response, error) -> lanes.execute(join.lane(), () -> {
            if (error != null) {
                LOG.warning(call.describe() + ": re-INVITE not sent: " + error.getMessage());
                then.accept(new Outcome(Result.CALLER_GONE, stored.get(), Optional.empty(), 0, true));
            } else {
                answered(stored.get(), join, glare, response);
            }
        }));
    }

    private void answered(ParkedCall call, Join join, int glare, Response response) {
        Consumer<Outcome> then = join.then();
        int status = response.getStatusCode();
        if (status / 100 == 2) {
            ParkedCall refreshed = call.withLeg(Legs.refreshTarget(call.leg(), response));
            transactions.ack(refreshed.leg(), Optional.empty());
            then.accept(new Outcome(Result.ANSWERED, refreshed, Optional.of(response), status, false));
            return;
        }
        if (join.withdrawn().getAsBoolean()) {
            parks.release(call);
            then.accept(Outcome.of(Result.WITHDRAWN, call, status));
            return;
        }
        if (status == Response.REQUEST_PENDING && glare < MAX_GLARE_RETRIES) {
            // the caller owns the Call-ID, so we wait 0-2 s before trying again (RFC 3261 14.1)
            long pause = ThreadLocalRandom.current().nextLong(0, 2000);
            timers.schedule(() -> lanes.execute(join.lane(), () -> retry(call, join, glare + 1)), pause,
                    TimeUnit.MILLISECONDS);
            return;
        }
        if (ParkExit.callerGone(status)) {
            then.accept(new Outcome(Result.CALLER_GONE, call, Optional.empty(), status,
                    ParkExit.mayStillBeThere(status)));
            return;
        }
        parks.release(call);
        then.accept(Outcome.of(Result.REFUSED, call, status));
    }

    private void retry(ParkedCall call, Join join, int glare) {
        if (join.withdrawn().getAsBoolean()) {
            parks.release(call);
            join.then().accept(Outcome.of(Result.WITHDRAWN, call, Response.REQUEST_PENDING));
            return;
        }
        parks.find(new CallLocator(call.tenant(), call.extension(), call.parkId()))
                .filter(current -> call.claimedBy().equals(current.claimedBy()))
                .ifPresentOrElse(current -> attempt(current, join, glare),
                        () -> join.then().accept(Outcome.of(Result.STALE, call, 0)));
    }

    /**
     * Gives up a claim after a flow failed half-way: the call waits again, after a re-INVITE with our music if the
     * caller may hold the other party's media. If the store fails again, {@link StaleClaims} gives it up later.
     */
    void giveBack(ParkedCall claimed, boolean callerJoined, String why) {
        try {
            Optional<ParkedCall> stored = parks.find(new CallLocator(claimed.tenant(), claimed.extension(),
                    claimed.parkId()));
            Optional<ParkedCall> current = stored.filter(c -> Objects.equals(c.claimedBy(), claimed.claimedBy()));
            if (current.isEmpty()) {
                if (callerJoined && stored.isEmpty() && bridges.find(claimed.leg().localTag()).isEmpty()) {
                    // it left the park (a write made but not confirmed) and no bridge holds it: the caller, with
                    // another party's media, would wait on nothing
                    transactions.send(requests.inDialog(claimed.leg().nextCseq(), Request.BYE));
                    LOG.warning(claimed.describe() + ": neither parked nor joined after " + why + ", caller released");
                }
                return; // it left, or is no longer this claim's
            }
            if (callerJoined) {
                backToMusic(current.get(), why);
            } else {
                parks.release(current.get());
            }
        } catch (RuntimeException e) {
            LOG.warning(claimed.describe() + ": claim " + claimed.claimedBy() + " not given back (" + e.getMessage()
                    + "), left to the stale-claim sweep");
        }
    }

    /**
     * The caller took the other party's SDP but that party is gone (cancelled, hung up): the caller is offered our
     * music again. The call stays held (a caller re-INVITE meets 491) until the caller accepted, then waits again.
     */
    void backToMusic(ParkedCall call, String why) {
        backToMusic(call, why, 0);
    }

    private void backToMusic(ParkedCall call, String why, int glare) {
        DialogLeg leg = call.leg().nextCseq().nextSdpVersion();
        Optional<ParkedCall> stored = parks.updateClaimed(call, c -> c.withLeg(leg));
        if (stored.isEmpty()) {
            return;
        }
        MusicReInvite.send(requests, transactions, here.address(), leg, call.media()).thenAccept(outcome -> {
            ParkedCall current = stored.get();
            if (outcome.accepted()) {
                parks.updateClaimed(current, c -> c.withLeg(outcome.leg()).withMedia(outcome.media()).released());
                music.play(current.streamKey(), outcome.media());
                LOG.info(call.describe() + ": " + why + ", caller back on music");
            } else if (outcome.status() == Response.REQUEST_PENDING && glare < MAX_GLARE_RETRIES) {
                timers.schedule(() -> lanes.execute(call.callId(), () -> backToMusic(current, why,
                        glare + 1)), ThreadLocalRandom.current().nextLong(0, 2000), TimeUnit.MILLISECONDS);
            } else {
                exit.abandon(current, outcome.status() != Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                        "caller could not be put back on music (" + outcome.status() + ")");
            }
        });
    }

    /**
     * Makes the joined caller and {@code other} one call: the bridge exists before the park entry goes, so the
     * caller's requests always find one of them; the music stops. Empty when the caller's BYE crossed its 2xx
     * (the call left the park meanwhile): nobody to join. The bridge's id is the caller's tag, and {@code other}'s
     * tag names it ({@link DialogTag#ofBridge}).
     */
    Optional<Bridge> bridge(ParkedCall call, DialogLeg other) {
        Bridge bridge = new Bridge(call.leg().localTag(), call.tenant(), call.leg(), other);
        bridges.put(bridge);
        boolean left;
        try {
            left = parks.remove(call.tenant(), call.extension(), call.parkId(),
                    c -> call.claimedBy().equals(c.claimedBy())).isPresent();
        } catch (RuntimeException e) {
            bridges.remove(bridge.id()); // the call is still parked (claimed): no bridge may stand for it
            throw e;
        }
        if (!left) {
            bridges.remove(bridge.id());
            return Optional.empty();
        }
        music.close(call.streamKey());
        return Optional.of(bridge);
    }
}
