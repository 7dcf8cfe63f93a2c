package io.callpark.flow;

import io.callpark.sip.Requests;
import io.callpark.sip.Transactions;
import io.callpark.sip.Responder;
import io.callpark.sip.CallLanes;
import io.callpark.store.BridgeStore;
import io.callpark.media.MediaRejectedException;
import io.callpark.media.SdpCodec;
import io.callpark.park.Bridge;
import io.callpark.park.DialogLeg;
import io.callpark.sip.Identity;
import io.callpark.sip.InboundRequest;
import io.callpark.sip.SipHeaders;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * In-dialog requests of a joined call: a BYE from either side ends both legs; a re-INVITE (hold, unhold) from
 * either side is passed to the other and its answer passed back, under each leg's own SDP origin.
 */
final class BridgeFlow {

    private static final Logger LOG = Logger.getLogger(BridgeFlow.class.getName());

    private final ThisNode here;
    private final Responder responder;
    private final Transactions transactions;
    private final Requests requests;
    private final BridgeStore bridges;
    private final CallLanes lanes;
    /** Bridges with a re-INVITE being relayed (a second one meets 491), with the ACK still owed if any. */
    private final Map<String, PendingRelay> relaying = new ConcurrentHashMap<>();

    private record PendingRelay(String fromCallId, DialogLeg toLeg, boolean ackOwed) {
    }

    /** Bridges with a transfer passed on: the referring party's call and its REFER's CSeq (the NOTIFYs' id). */
    private final Map<String, PendingRefer> pendingRefers = new ConcurrentHashMap<>();

    private record PendingRefer(String fromCallId, long cseq) {
    }

    BridgeFlow(ThisNode here, Responder responder, Transactions transactions, Requests requests, BridgeStore bridges,
               CallLanes lanes) {
        this.here = here;
        this.responder = responder;
        this.transactions = transactions;
        this.requests = requests;
        this.bridges = bridges;
        this.lanes = lanes;
    }

    void bye(InboundRequest in, Bridge bridge) {
        responder.respond(in, Response.OK, "OK");
        relaying.remove(bridge.id());
        pendingRefers.remove(bridge.id());
        bridges.remove(bridge.id()).ifPresent(removed -> {
            DialogLeg other = removed.otherLeg(in.callId()).nextCseq();
            transactions.send(requests.inDialog(other, Request.BYE));
            LOG.info(removed.describe() + ": ended by BYE on call " + in.callId());
        });
    }

    void reInvite(InboundRequest in, Bridge bridge) {
        if (relaying.putIfAbsent(bridge.id(), new PendingRelay(in.callId(), null, false)) != null) {
            responder.respond(in, Response.REQUEST_PENDING, "Request Pending");
            return;
        }
        Optional<String> offer = SipHeaders.sdpBody(in.request());
        String target = SipHeaders.contactUri(in.request())
                .orElse(bridge.leg(in.callId()).remoteTarget());
        String otherCallId = bridge.otherLeg(in.callId()).callId();
        bridges.updateLeg(bridge.id(), in.callId(), leg -> leg.refreshedBy(target, in.cseq()));
        Optional<Bridge> advanced = bridges.updateLeg(bridge.id(), otherCallId,
                leg -> offer.isPresent() ? leg.nextCseq().nextSdpVersion() : leg.nextCseq());
        if (advanced.isEmpty()) {
            relaying.remove(bridge.id());
            responder.respond(in, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Call/Transaction Does Not Exist");
            return;
        }
        DialogLeg toLeg = advanced.get().leg(otherCallId);
        Request relay;
        try {
            relay = offer.isPresent()
                    ? requests.inDialog(toLeg, Request.INVITE, SdpCodec.withOrigin(
                    RequiredOffer.pointedAtSender(offer.get(), in.request()), here.address(),
                    toLeg.sdpSessionId(), toLeg.sdpVersion()))
                    : requests.inDialog(toLeg, Request.INVITE);
        } catch (MediaRejectedException e) {
            relaying.remove(bridge.id());
            responder.respond(in, Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here: " + e.getMessage());
            return;
        }
        transactions.send(relay).whenComplete((response, error) ->
                lanes.execute(in.callId(), () -> relayAnswer(in, bridge.id(), toLeg, offer.isPresent(),
                        response)));
    }

    private void relayAnswer(InboundRequest in, String bridgeId, DialogLeg toLeg, boolean offerSent,
                             Response response) {
        if (response == null || response.getStatusCode() / 100 != 2) {
            relaying.remove(bridgeId);
            int status = response == null ? Response.SERVER_INTERNAL_ERROR : response.getStatusCode();
            String reason = response == null ? "Server Internal Error" : response.getReasonPhrase();
            responder.respond(in, status, reason);
            return;
        }
        if (offerSent) {
            transactions.ack(toLeg, Optional.empty());
            relaying.remove(bridgeId);
        } else {
            relaying.put(bridgeId, new PendingRelay(in.callId(), toLeg, true));
        }
        bridges.updateLeg(bridgeId, toLeg.callId(), leg -> Legs.refreshTarget(leg, response));
        Optional<Bridge> bridge = bridges.updateLeg(bridgeId, in.callId(), DialogLeg::nextSdpVersion);
        if (bridge.isEmpty()) {
            relaying.remove(bridgeId);
            responder.respond(in, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Call/Transaction Does Not Exist");
            return;
        }
        DialogLeg fromLeg = bridge.get().leg(in.callId());
        Optional<String> answer = SipHeaders.sdpBody(response);
        try {
            String sdp = answer.isPresent()
                    ? SdpCodec.withOrigin(RequiredOffer.pointedAtSender(answer.get(), response), here.address(),
                    fromLeg.sdpSessionId(), fromLeg.sdpVersion())
                    : "";
            responder.answer(in, fromLeg, sdp, () -> {
                PendingRelay owed = relaying.remove(bridgeId);
                if (owed != null && owed.ackOwed()) {
                    transactions.ack(owed.toLeg(), Optional.empty()); // the other side must not wait for it
                }
                LOG.warning(bridgeId + ": relayed re-INVITE not acknowledged by call " + in.callId());
            });
        } catch (MediaRejectedException e) {
            PendingRelay owed = relaying.remove(bridgeId);
            if (owed != null && owed.ackOwed()) {
                transactions.ack(owed.toLeg(), Optional.empty()); // the other side must not wait for it
            }
            responder.respond(in, Response.SERVER_INTERNAL_ERROR, "Server Internal Error: " + e.getMessage());
        }
    }

    /**
     * A blind transfer by one party (REFER): passed on to the other party in its leg, sealed with who refers whom
     * as the store knows them (never the REFER's own headers), and its answer passed back. The other party's phone
     * then calls the target itself; to a park code, its call parks with the referring party as the parker.
     */
    void refer(InboundRequest in, Bridge bridge) {
        Optional<String> referTo = SipHeaders.referTo(in.request());
        if (referTo.isEmpty()) {
            responder.respond(in, Response.BAD_REQUEST, "Bad Request: REFER without Refer-To");
            return;
        }
        DialogLeg referrer = bridge.leg(in.callId());
        String otherCallId = bridge.otherLeg(in.callId()).callId();
        bridges.updateLeg(bridge.id(), in.callId(), leg -> leg.refreshedBy(leg.remoteTarget(), in.cseq()));
        Optional<Bridge> advanced = bridges.updateLeg(bridge.id(), otherCallId, DialogLeg::nextCseq);
        if (advanced.isEmpty()) {
            responder.respond(in, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Call/Transaction Does Not Exist");
            return;
        }
        DialogLeg transferee = advanced.get().leg(otherCallId);
        // only the retriever (or the phone that took a recall) was authenticated as who its leg says; the parked
        // caller may have come from a trunk under any From: its transfer names no parker
        boolean vouched = referrer.callId().equals(bridge.retriever().callId());
        Optional<String> by = vouched ? Optional.of(Identity.aorOf(referrer.remoteParty())) : Optional.empty();
        String referred = Identity.aorOf(transferee.remoteParty());
        pendingRefers.put(bridge.id(), new PendingRefer(in.callId(), in.cseq()));
        LOG.info(bridge.describe() + ": " + by.orElse("the parked caller") + " transfers " + referred + " to "
                + SipHeaders.withoutHeaders(referTo.get()));
        transactions.send(requests.refer(transferee, referTo.get(), by, referred)).whenComplete((response, error) ->
                lanes.execute(in.callId(), () -> {
                    if (response == null || response.getStatusCode() >= 300) {
                        pendingRefers.remove(bridge.id());
                    }
                    if (response == null) {
                        responder.respond(in, Response.SERVER_INTERNAL_ERROR, "Server Internal Error: transfer"
                                + " not passed on");
                    } else {
                        responder.respond(in, response.getStatusCode(), response.getReasonPhrase());
                    }
                }));
    }

    /**
     * A NOTIFY of the transferee about the progress of a transfer this node passed on goes to the party that
     * referred it, under the id of that party's own REFER (RFC 3515). Any other NOTIFY is answered and dropped: a
     * caller's events never reach the retriever's phone in the proxy's name.
     */
    void notify(InboundRequest in, Bridge bridge) {
        responder.respond(in, Response.OK, "OK");
        PendingRefer refer = pendingRefers.get(bridge.id());
        String otherCallId = bridge.otherLeg(in.callId()).callId();
        if (refer == null || !refer.fromCallId().equals(otherCallId)
                || !SipHeaders.eventPackage(in.request()).filter("refer"::equals).isPresent()) {
            LOG.fine(bridge.describe() + ": NOTIFY on call " + in.callId() + " not passed on");
            return;
        }
        if (SipHeaders.subscriptionTerminated(in.request())) {
            pendingRefers.remove(bridge.id());
        }
        bridges.updateLeg(bridge.id(), otherCallId, DialogLeg::nextCseq).ifPresent(b -> transactions.send(
                requests.relayedNotify(b.leg(otherCallId), in.request(), Long.toString(refer.cseq()))));
    }

    /** ACK of a relayed re-INVITE: with a delayed offer, the answer it carries goes on to the other side. */
    void ack(InboundRequest in, Bridge bridge) {
        PendingRelay relay = relaying.get(bridge.id());
        if (relay == null || !relay.ackOwed() || !relay.fromCallId().equals(in.callId())) {
            return;
        }
        relaying.remove(bridge.id());
        Optional<String> answer = SipHeaders.sdpBody(in.request());
        try {
            Optional<String> rewritten = Optional.empty();
            if (answer.isPresent()) {
                DialogLeg versioned = bridges.updateLeg(bridge.id(), relay.toLeg().callId(),
                        DialogLeg::nextSdpVersion).map(b -> b.leg(relay.toLeg().callId())).orElse(relay.toLeg());
                rewritten = Optional.of(SdpCodec.withOrigin(RequiredOffer.pointedAtSender(answer.get(),
                        in.request()), here.address(), versioned.sdpSessionId(), versioned.sdpVersion()));
            }
            transactions.ack(relay.toLeg(), rewritten);
        } catch (MediaRejectedException e) {
            transactions.ack(relay.toLeg(), Optional.empty());
        }
    }
}
