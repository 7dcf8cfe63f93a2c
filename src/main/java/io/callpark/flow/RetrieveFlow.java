package io.callpark.flow;

import io.callpark.sip.Identity;

import io.callpark.sip.Requests;
import io.callpark.sip.Transactions;
import io.callpark.sip.Responder;
import io.callpark.store.ParkStore;
import io.callpark.store.BridgeStore;
import io.callpark.store.GroupStore;
import io.callpark.event.ParkEvent;
import io.callpark.media.MediaRejectedException;
import io.callpark.media.SdpCodec;
import io.callpark.park.Bridge;
import io.callpark.park.FeatureRequest;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import io.callpark.park.DialogLeg;
import io.callpark.park.DialogTag;
import io.callpark.sip.InboundRequest;
import io.callpark.sip.SipHeaders;
import io.callpark.store.schema.CallLocator;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Retrieves a parked call (RFC 3725 flow: the parked caller is re-INVITEd with the retriever's SDP, then the
 * retriever is answered with the caller's SDP) and leaves the two joined in a {@link Bridge}.
 */
final class RetrieveFlow {

    private static final Logger LOG = Logger.getLogger(RetrieveFlow.class.getName());
    private static final int MAX_GONE_CALLERS = 10;

    private final ThisNode here;
    private final Responder responder;
    private final Transactions transactions;
    private final Requests requests;
    private final ParkStore parks;
    private final BridgeStore bridges;
    private final GroupStore parkGroups;
    private final Consumer<ParkEvent> events;
    private final ParkExit exit;
    private final CallerJoin joins;
    /** Retrieves whose INVITE is not yet answered, by the retriever's Call-ID (for CANCEL). */
    private final Map<String, Attempt> pending = new ConcurrentHashMap<>();

    /** One retrieve INVITE; {@code finished} flips once: answered, cancelled or refused. */
    private static final class Attempt {
        final InboundRequest in;
        final String tenant;
        final String extension;
        final Optional<String> parkId;
        /** the retriever's park group mates: a plain *88 takes their oldest call when its own extension has none */
        final List<String> groupMates;
        final String sdp;
        final AtomicBoolean finished = new AtomicBoolean();
        /** a final response went to the retriever */
        volatile boolean answered;
        volatile boolean cancelled;
        int goneCallers;

        Attempt(InboundRequest in, String tenant, String extension, Optional<String> parkId, String sdp,
                List<String> groupMates) {
            this.groupMates = groupMates;
            this.in = in;
            this.tenant = tenant;
            this.extension = extension;
            this.parkId = parkId;
            this.sdp = sdp;
        }

        String callId() {
            return in.callId();
        }
    }

    RetrieveFlow(ThisNode here, Responder responder, Transactions transactions, Requests requests, ParkStore parks,
                 BridgeStore bridges, GroupStore parkGroups, Consumer<ParkEvent> events, ParkExit exit,
                 CallerJoin joins) {
        this.here = here;
        this.responder = responder;
        this.transactions = transactions;
        this.requests = requests;
        this.parks = parks;
        this.bridges = bridges;
        this.parkGroups = parkGroups;
        this.events = events;
        this.exit = exit;
        this.joins = joins;
    }

    void retrieve(InboundRequest in, FeatureRequest.Retrieve wanted) {
        Request request = in.request();
        String tenant = Identity.tenantOf(request);
        Party retriever = Identity.caller(request);
        Optional<String> ownExtension = Identity.callerIn(request, tenant); // a trunk's caller never retrieves
        if (ownExtension.isEmpty()) {
            responder.respond(in, Response.FORBIDDEN, "Forbidden: retriever is not a user of " + tenant);
            return;
        }
        // the caller's phone is to send only to the retriever
        Optional<String> sdp = RequiredOffer.of(responder, in, SdpCodec::pointedAt);
        if (sdp.isEmpty()) {
            return;
        }
        Optional<String> extension = wanted.parkId().isPresent()
                ? wanted.parkId().flatMap(id -> parks.byParkId(tenant, id)).map(CallLocator::extension)
                : wanted.extension().or(() -> ownExtension);
        if (extension.isEmpty()) {
            responder.respond(in, Response.NOT_FOUND, "Not Found: no parked call " + wanted.parkId().orElse(""));
            return;
        }
        boolean plain = wanted.parkId().isEmpty() && wanted.extension().isEmpty();
        List<String> mates = plain ? parkGroups.of(tenant, ownExtension.get())
                .map(g -> g.members().stream().filter(m -> !m.equals(ownExtension.get())).toList())
                .orElse(List.of()) : List.of();
        Attempt attempt = new Attempt(in, tenant, extension.get(), wanted.parkId(), sdp.get(), mates);
        pending.put(attempt.callId(), attempt);
        claimNext(attempt);
    }

    /** CANCEL of a retrieve INVITE; true if it was still pending here. */
    boolean cancel(String callId) {
        Attempt attempt = pending.get(callId);
        if (attempt == null || !attempt.finished.compareAndSet(false, true)) {
            return false;
        }
        attempt.cancelled = true;
        pending.remove(callId);
        finalAnswer(attempt, Response.REQUEST_TERMINATED, "Request Terminated");
        return true;
    }

    /** The oldest call waiting at one of the retriever's park group mates, claimed; empty if none (or taken). */
    private Optional<ParkedCall> claimGroupsOldest(Attempt attempt) {
        for (int tries = 0; tries < MAX_GONE_CALLERS; tries++) {
            Optional<ParkedCall> oldest = attempt.groupMates.stream()
                    .flatMap(m -> parks.ofTenant(attempt.tenant, Optional.of(m)).stream())
                    .filter(c -> c.state().retrievable())
                    .min(java.util.Comparator.comparingLong(ParkedCall::parkedAt));
            if (oldest.isEmpty()) {
                return Optional.empty();
            }
            Optional<ParkedCall> claimed = parks.claim(attempt.tenant, oldest.get().extension(),
                    Optional.of(oldest.get().parkId()), attempt.callId(), here.name());
            if (claimed.isPresent()) {
                return claimed;
            }
        }
        return Optional.empty();
    }

    private void claimNext(Attempt attempt) {
        Optional<ParkedCall> claimed = parks.claim(attempt.tenant, attempt.extension, attempt.parkId,
                attempt.callId(), here.name()).or(() -> claimGroupsOldest(attempt));
        if (claimed.isEmpty()) {
            LOG.fine(() -> "call " + attempt.callId() + ": nothing to claim at " + attempt.extension + ", stored: "
                    + parks.callsAt(attempt.tenant, attempt.extension));
            refuse(attempt, Response.NOT_FOUND, attempt.parkId.isPresent()
                    ? "Not Found: no parked call " + attempt.parkId.get()
                    : "Not Found: no call parked at " + attempt.extension);
            return;
        }
        try {
            join(attempt, claimed.get());
        } catch (RuntimeException e) {
            failed(attempt, claimed.get(), false, e);
        }
    }

    private void join(Attempt attempt, ParkedCall call) {
        joins.offer(call, Identity.caller(attempt.in.request()), attempt.sdp, attempt.callId(),
                () -> attempt.cancelled, outcome -> {
            try {
                joined(attempt, outcome);
            } catch (RuntimeException e) {
                failed(attempt, outcome.call(), outcome.result() == CallerJoin.Result.ANSWERED, e);
            }
        });
    }

    private void joined(Attempt attempt, CallerJoin.Outcome outcome) {
        switch (outcome.result()) {
            case ANSWERED -> {
                if (attempt.cancelled) {
                    joins.backToMusic(outcome.call(), "retriever cancelled");
                } else {
                    complete(attempt, outcome.call(), outcome.answer().orElseThrow());
                }
            }
            case STALE -> claimNext(attempt); // the caller hung up meanwhile
            case UNUSABLE_SDP -> refuse(attempt, Response.NOT_ACCEPTABLE_HERE,
                    "Not Acceptable Here: the retriever's SDP cannot be offered to the parked caller");
            case CALLER_GONE -> afterCallerGone(attempt, outcome.call(), outcome.byeCaller());
            case REFUSED -> refuse(attempt, Response.TEMPORARILY_UNAVAILABLE,
                    "Temporarily Unavailable: parked caller refused the join (" + outcome.status() + ")");
            case WITHDRAWN -> { } // the CANCEL was answered already
        }
    }

    /**
     * A step of the retrieve failed (a store write timed out): the retriever gets a final answer, and the claimed
     * call is given back, on music again if the caller may hold the retriever's media ({@link StaleClaims} finishes
     * what cannot be done now).
     */
    private void failed(Attempt attempt, ParkedCall call, boolean callerJoined, RuntimeException e) {
        LOG.severe(call.describe() + ": retrieve " + attempt.callId() + " failed: " + e);
        LOG.log(Level.FINE, call.describe() + ": retrieve failure", e);
        attempt.finished.set(true);
        pending.remove(attempt.callId());
        if (!attempt.answered) {
            finalAnswer(attempt, Response.SERVER_INTERNAL_ERROR,
                    "Server Internal Error: the park store failed, try again");
        }
        joins.giveBack(call, callerJoined, "retrieve " + attempt.callId() + " failed");
    }

    /** The caller did not take the join: 481 means it is gone; after a timeout it may still be there (BYE it). */
    private void afterCallerGone(Attempt attempt, ParkedCall call, boolean byeCaller) {
        exit.abandon(call, byeCaller, "caller did not answer the join re-INVITE");
        if (attempt.cancelled) {
            return;
        }
        if (attempt.parkId.isEmpty() && attempt.goneCallers++ < MAX_GONE_CALLERS) {
            claimNext(attempt);
        } else {
            refuse(attempt, Response.NOT_FOUND, "Not Found: the parked caller has hung up");
        }
    }

    private void complete(Attempt attempt, ParkedCall call, Response callerAnswer) {
        if (!attempt.finished.compareAndSet(false, true)) {
            joins.backToMusic(call, "retriever cancelled");
            return;
        }
        pending.remove(attempt.callId());
        DialogLeg retrieverLeg = Requests.uasLeg(attempt.in.request(), DialogTag.ofBridge(call.leg().localTag()));
        Optional<String> callerSdp = SipHeaders.sdpBody(callerAnswer);
        String answer;
        try {
            if (callerSdp.isEmpty()) {
                throw new MediaRejectedException("parked caller answered the join without SDP");
            }
            // the retriever's phone sends only to the caller, whatever the caller's answer names
            answer = SdpCodec.withOrigin(RequiredOffer.pointedAtSender(callerSdp.get(), callerAnswer), here.address(),
                    retrieverLeg.sdpSessionId(), retrieverLeg.sdpVersion());
        } catch (MediaRejectedException e) {
            finalAnswer(attempt, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here: " + e.getMessage());
            exit.abandon(call, true, "join failed, " + e.getMessage());
            return;
        }
        Optional<Bridge> joined = joins.bridge(call, retrieverLeg);
        if (joined.isEmpty()) {
            finalAnswer(attempt, Response.NOT_FOUND, "Not Found: the parked caller has hung up");
            return;
        }
        Bridge bridge = joined.get();
        attempt.answered = true;
        responder.answer(attempt.in, retrieverLeg, answer, Optional.of(call.parked()),
                () -> bridges.remove(bridge.id()).ifPresent(b -> {
            transactions.send(requests.inDialog(b.parked().nextCseq(), Request.BYE));
            LOG.warning(b.describe() + ": retriever never acknowledged the join, caller released");
        }));
        LOG.info(call.describe() + ": retrieved by " + Identity.caller(attempt.in.request()).uri() + " in "
                + bridge.describe());
        events.accept(ParkEvent.retrieved(call, Identity.caller(attempt.in.request())));
    }

    private void refuse(Attempt attempt, int status, String reason) {
        if (!attempt.finished.compareAndSet(false, true)) {
            return;
        }
        pending.remove(attempt.callId());
        LOG.info("call " + attempt.callId() + " tenant " + attempt.tenant + " ext " + attempt.extension
                + ": retrieve refused, " + reason);
        finalAnswer(attempt, status, reason);
    }

    /** The retriever's final answer: a step failing after it answers nothing more. */
    private void finalAnswer(Attempt attempt, int status, String reason) {
        attempt.answered = true;
        responder.respond(attempt.in, status, reason);
    }
}
