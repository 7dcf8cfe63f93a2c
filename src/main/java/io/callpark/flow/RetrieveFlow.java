package io.callpark.flow;

import io.callpark.event.ParkEvent;
import io.callpark.event.ParkEventType;
import io.callpark.media.MediaDirection;
import io.callpark.media.MediaRejectedException;
import io.callpark.media.SdpCodec;
import io.callpark.park.Bridge;
import io.callpark.park.FeatureRequest;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import io.callpark.sip.DialogLeg;
import io.callpark.sip.InboundRequest;
import io.callpark.sip.SipHeaders;
import io.callpark.store.ParkStore.Locator;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Retrieves a parked call (RFC 3725 flow: the parked caller is re-INVITEd with the retriever's SDP, then the
 * retriever is answered with the caller's SDP) and leaves the two joined in a {@link Bridge}.
 */
final class RetrieveFlow {

    private static final Logger LOG = Logger.getLogger(RetrieveFlow.class.getName());
    private static final int MAX_GLARE_RETRIES = 5;
    private static final int MAX_GONE_CALLERS = 10;

    private final CallparkNode node;
    private final Consumer<ParkEvent> events;
    private final ParkExit exit;
    /** Retrieves whose INVITE is not yet answered, by the retriever's Call-ID (for CANCEL). */
    private final Map<String, Attempt> pending = new ConcurrentHashMap<>();

    /** One retrieve INVITE; {@code finished} flips once: answered, cancelled or refused. */
    private static final class Attempt {
        final InboundRequest in;
        final String tenant;
        final String extension;
        final Optional<String> parkId;
        final String sdp;
        final AtomicBoolean finished = new AtomicBoolean();
        volatile boolean cancelled;
        int glareRetries;
        int goneCallers;

        Attempt(InboundRequest in, String tenant, String extension, Optional<String> parkId, String sdp) {
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

    RetrieveFlow(CallparkNode node, Consumer<ParkEvent> events, ParkExit exit) {
        this.node = node;
        this.events = events;
        this.exit = exit;
    }

    void retrieve(InboundRequest in, FeatureRequest.Retrieve wanted) {
        Request request = in.request();
        String tenant = Identity.tenantOf(request);
        Party retriever = Identity.caller(request);
        Optional<String> ownExtension = Identity.userIn(retriever, tenant);
        if (ownExtension.isEmpty()) {
            node.sip().respond(in, Response.FORBIDDEN, "Forbidden: retriever is not a user of " + tenant);
            return;
        }
        Optional<String> sdp = RequiredOffer.of(node, in);
        if (sdp.isEmpty()) {
            return;
        }
        Optional<String> extension = wanted.parkId().isPresent()
                ? wanted.parkId().flatMap(id -> node.parks().byParkId(tenant, id)).map(Locator::extension)
                : wanted.extension().or(() -> ownExtension);
        if (extension.isEmpty()) {
            node.sip().respond(in, Response.NOT_FOUND, "Not Found: no parked call " + wanted.parkId().orElse(""));
            return;
        }
        Attempt attempt = new Attempt(in, tenant, extension.get(), wanted.parkId(), sdp.get());
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
        node.sip().respond(attempt.in, Response.REQUEST_TERMINATED, "Request Terminated");
        return true;
    }

    private void claimNext(Attempt attempt) {
        Optional<ParkedCall> claimed = node.parks().claim(attempt.tenant, attempt.extension, attempt.parkId,
                attempt.callId());
        if (claimed.isEmpty()) {
            refuse(attempt, Response.NOT_FOUND, attempt.parkId.isPresent()
                    ? "Not Found: no parked call " + attempt.parkId.get()
                    : "Not Found: no call parked at " + attempt.extension);
            return;
        }
        join(attempt, claimed.get());
    }

    private void join(Attempt attempt, ParkedCall call) {
        DialogLeg leg = call.leg().nextCseq().nextSdpVersion();
        String offer;
        try {
            offer = SdpCodec.withOrigin(attempt.sdp, node.config().sipAddress(), leg.sdpSessionId(), leg.sdpVersion());
        } catch (MediaRejectedException e) {
            node.parks().update(call.released());
            refuse(attempt, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here: " + e.getMessage());
            return;
        }
        Optional<ParkedCall> stored = node.parks().update(call.withLeg(leg));
        if (stored.isEmpty()) {
            claimNext(attempt); // the caller hung up meanwhile
            return;
        }
        Request reInvite = node.sip().inDialogRequest(leg, Request.INVITE);
        node.sip().setSdp(reInvite, offer);
        LOG.info(call.describe() + ": joining with retriever call " + attempt.callId());
        node.sip().send(reInvite).whenComplete((response, error) -> {
            if (error != null) {
                LOG.warning(call.describe() + ": re-INVITE not sent: " + error.getMessage());
                afterCallerGone(attempt, stored.get());
            } else {
                onCallerAnswer(attempt, stored.get(), response);
            }
        });
    }

    private void onCallerAnswer(Attempt attempt, ParkedCall call, Response response) {
        int status = response.getStatusCode();
        if (status / 100 == 2) {
            node.sip().ack(call.leg(), Optional.empty());
            if (attempt.cancelled) {
                backToMusic(call);
            } else {
                complete(attempt, call, response);
            }
            return;
        }
        if (attempt.cancelled) {
            node.parks().update(call.released());
            return;
        }
        if (status == Response.REQUEST_PENDING && attempt.glareRetries++ < MAX_GLARE_RETRIES) {
            // the caller owns the Call-ID, so we wait 0-2 s before trying again (RFC 3261 14.1)
            long delay = ThreadLocalRandom.current().nextLong(0, 2000);
            node.timers().schedule(() -> node.lanes().execute(call.callId(), () -> retryAfterGlare(attempt, call)),
                    delay, TimeUnit.MILLISECONDS);
            return;
        }
        if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
            afterCallerGone(attempt, call);
            return;
        }
        node.parks().update(call.released());
        refuse(attempt, Response.TEMPORARILY_UNAVAILABLE,
                "Temporarily Unavailable: parked caller refused the join (" + status + ")");
    }

    private void retryAfterGlare(Attempt attempt, ParkedCall call) {
        if (attempt.cancelled) {
            node.parks().update(call.released());
            return;
        }
        node.parks().find(new Locator(call.tenant(), call.extension(), call.parkId()))
                .ifPresentOrElse(current -> join(attempt, current), () -> claimNext(attempt));
    }

    private void afterCallerGone(Attempt attempt, ParkedCall call) {
        exit.abandon(call, false, "caller did not answer the join re-INVITE");
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
            backToMusic(call);
            return;
        }
        pending.remove(attempt.callId());
        node.music().close(call.streamKey());
        if (node.parks().remove(call.tenant(), call.extension(), call.parkId()).isEmpty()) {
            // the caller's BYE crossed its 200 OK: nobody is left to join
            node.sip().respond(attempt.in, Response.NOT_FOUND, "Not Found: the parked caller has hung up");
            return;
        }
        DialogLeg retrieverLeg = ParkFlow.uasLeg(attempt.in.request());
        Optional<String> callerSdp = SipHeaders.sdpBody(callerAnswer);
        String answer;
        try {
            if (callerSdp.isEmpty()) {
                throw new MediaRejectedException("parked caller answered the join without SDP");
            }
            answer = SdpCodec.withOrigin(callerSdp.get(), node.config().sipAddress(), retrieverLeg.sdpSessionId(),
                    retrieverLeg.sdpVersion());
        } catch (MediaRejectedException e) {
            node.sip().respond(attempt.in, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here: " + e.getMessage());
            node.sip().send(node.sip().inDialogRequest(call.leg().nextCseq(), Request.BYE));
            LOG.warning(call.describe() + ": join failed, " + e.getMessage());
            events.accept(ParkEvent.of(ParkEventType.ABANDONED, call));
            return;
        }
        Bridge bridge = new Bridge(UUID.randomUUID().toString(), call.tenant(), call.leg(), retrieverLeg);
        node.bridges().put(bridge);
        node.sip().answer(attempt.in, retrieverLeg, answer, () -> node.bridges().remove(bridge.id()).ifPresent(b -> {
            node.sip().send(node.sip().inDialogRequest(b.parked().nextCseq(), Request.BYE));
            LOG.warning(b.describe() + ": retriever never acknowledged the join, caller released");
        }));
        LOG.info(call.describe() + ": retrieved by " + Identity.caller(attempt.in.request()).uri() + " in "
                + bridge.describe());
        events.accept(ParkEvent.of(ParkEventType.RETRIEVED, call));
    }

    /** The caller took the retriever's SDP but the retriever is gone: give the caller its music back. */
    private void backToMusic(ParkedCall call) {
        DialogLeg leg = call.leg().nextCseq().nextSdpVersion();
        ParkedCall released = call.released().withLeg(leg);
        if (node.parks().update(released).isEmpty()) {
            return;
        }
        Request reInvite = node.sip().inDialogRequest(leg, Request.INVITE);
        var media = call.media();
        node.sip().setSdp(reInvite, SdpCodec.musicSdp(node.config().sipAddress(), media.localPort(), media, MediaDirection.SENDRECV, leg.sdpSessionId(),
                leg.sdpVersion()));
        node.sip().send(reInvite).thenAccept(response -> {
            if (response.getStatusCode() / 100 == 2) {
                node.sip().ack(leg, Optional.empty());
                node.music().play(released.streamKey(), media);
                LOG.info(call.describe() + ": retriever cancelled, caller back on music");
            } else if (response.getStatusCode() == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST) {
                exit.abandon(released, false, "caller gone after a cancelled retrieve");
            }
        });
    }

    private void refuse(Attempt attempt, int status, String reason) {
        if (!attempt.finished.compareAndSet(false, true)) {
            return;
        }
        pending.remove(attempt.callId());
        LOG.info("call " + attempt.callId() + " tenant " + attempt.tenant + " ext " + attempt.extension
                + ": retrieve refused, " + reason);
        node.sip().respond(attempt.in, status, reason);
    }
}
