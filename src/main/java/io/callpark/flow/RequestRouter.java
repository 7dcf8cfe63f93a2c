package io.callpark.flow;

import io.callpark.notify.SubscribeRequests;
import io.callpark.sip.Identity;

import io.callpark.sip.Responder;
import io.callpark.store.BridgeStore;
import io.callpark.store.LotStore;
import io.callpark.tenant.ParkingLot;
import io.callpark.store.TenantStore;
import io.callpark.store.ParkStore;
import io.callpark.park.DialogLeg;
import io.callpark.park.FeatureCodeParser;
import io.callpark.park.FeatureCodes;
import io.callpark.park.FeatureRequest;
import io.callpark.sip.InboundRequest;
import io.callpark.sip.InboundRequestHandler;
import io.callpark.sip.SipHeaders;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Sends each trusted request to the flow that owns it: by feature code for new calls, by Call-ID in dialogs. */
public final class RequestRouter implements InboundRequestHandler {

    private static final Logger LOG = Logger.getLogger(RequestRouter.class.getName());

    private final Responder responder;
    private final ParkStore parks;
    private final BridgeStore bridges;
    private final TenantStore tenants;
    private final ParkFlow park;
    private final ParkedLegFlow parkedLeg;
    private final RetrieveFlow retrieve;
    private final BridgeFlow bridge;
    private final RingAndJoin ringer;
    private final SubscribeRequests subscriptions;
    private final LotStore lots;

    RequestRouter(Responder responder, ParkStore parks, BridgeStore bridges, TenantStore tenants, ParkFlow park,
                  ParkedLegFlow parkedLeg, RetrieveFlow retrieve, BridgeFlow bridge, RingAndJoin ringer,
                  SubscribeRequests subscriptions, LotStore lots) {
        this.responder = responder;
        this.parks = parks;
        this.bridges = bridges;
        this.tenants = tenants;
        this.park = park;
        this.parkedLeg = parkedLeg;
        this.retrieve = retrieve;
        this.bridge = bridge;
        this.ringer = ringer;
        this.subscriptions = subscriptions;
        this.lots = lots;
    }

    @Override
    public void handle(InboundRequest in) {
        try {
            route(in);
        } catch (RuntimeException e) {
            // a cache timeout or a bug must not leave the phone without an answer; the parked call stays stored
            LOG.log(Level.SEVERE, "call " + in.callId() + ": " + in.method() + " failed", e);
            if (in.unanswered()) {
                responder.respond(in, Response.SERVER_INTERNAL_ERROR, "Server Internal Error: please try again");
            }
        }
    }

    private void route(InboundRequest in) {
        switch (in.method()) {
            case Request.OPTIONS -> responder.respond(in, Response.OK, "OK");
            case Request.INVITE -> {
                if (SipHeaders.isInitial(in.request())) {
                    newCall(in);
                } else {
                    inDialog(in);
                }
            }
            case Request.CANCEL -> cancel(in);
            case Request.ACK, Request.BYE -> inDialog(in);
            case Request.REFER, Request.NOTIFY -> {
                if (SipHeaders.isInitial(in.request())) {
                    responder.respond(in, Response.METHOD_NOT_ALLOWED, "Method Not Allowed: " + in.method()
                            + " out of a dialog is not handled here");
                } else {
                    inDialog(in);
                }
            }
            case Request.SUBSCRIBE -> {
                if (SipHeaders.isInitial(in.request())) {
                    subscriptions.subscribe(in);
                } else {
                    subscriptions.resubscribe(in);
                }
            }
            default -> responder.respond(in, Response.METHOD_NOT_ALLOWED,
                    "Method Not Allowed: " + in.method() + " is not handled here");
        }
    }

    private void newCall(InboundRequest in) {
        Optional<SipHeaders.DialogIds> replaces = SipHeaders.replaces(in.request());
        if (replaces.isPresent()) {
            park.takePlaceOf(in, replaces.get()); // an attended transfer to the park completes
            return;
        }
        String user = SipHeaders.user(in.request().getRequestURI()).orElse("");
        String tenant = Identity.tenantOf(in.request());
        Optional<ParkingLot> lot = lots.answering(tenant, user);
        if (lot.isPresent()) {
            lotCall(in, lot.get(), tenant, user);
            return;
        }
        // each tenant may have its own codes; a change applies to the next call
        FeatureCodes codes = tenants.settingsOf(tenant).featureCodes();
        FeatureRequest wanted = new FeatureCodeParser(codes).parse(user).orElse(null);
        List<ParkingLot> tenantLots = lots.all(tenant);
        if (wanted instanceof FeatureRequest.Park p && p.extension().isEmpty() && !tenantLots.isEmpty()) {
            park.parkInLot(in, tenantLots.get(0), Optional.empty()); // a tenant with lots parks *68 in its first
        } else if (wanted instanceof FeatureRequest.Park p) {
            park.park(in, p);
        } else if (wanted instanceof FeatureRequest.Retrieve r) {
            retrieve.retrieve(in, r);
        } else if (wanted instanceof FeatureRequest.GroupPark) {
            park.groupPark(in);
        } else if (wanted instanceof FeatureRequest.Malformed m) {
            responder.respond(in, Response.ADDRESS_INCOMPLETE, "Address Incomplete: " + m.why());
        } else {
            responder.respond(in, Response.NOT_FOUND,
                    "Not Found: " + user + " is no feature code or parking-lot slot");
        }
    }

    /**
     * A lot's code parks in its first free slot. A slot parks a transferred call there; dialled by a user, it takes
     * the call that waits there or, when none does, parks the user's own call (one key parks and retrieves).
     */
    private void lotCall(InboundRequest in, ParkingLot lot, String tenant, String number) {
        if (!lot.hasSlot(number)) {
            park.parkInLot(in, lot, Optional.empty());
        } else if (!Identity.isReferred(in.request()) && !parks.callsAt(tenant, number).isEmpty()) {
            retrieve.retrieve(in, new FeatureRequest.Retrieve(Optional.of(number), Optional.empty()));
        } else {
            park.parkInLot(in, lot, Optional.of(number));
        }
    }

    private void inDialog(InboundRequest in) {
        boolean ack = Request.ACK.equals(in.method());
        var parked = parks.byDialog(in.callId(), in.toTag(), in.fromTag());
        if (parked.isPresent()) {
            if (!ack && outOfOrder(in, parked.get().leg())) {
                return;
            }
            switch (in.method()) {
                case Request.BYE -> parkedLeg.bye(in, parked.get());
                case Request.INVITE -> parkedLeg.reInvite(in, parked.get());
                case Request.ACK -> { }
                default -> responder.respond(in, Response.FORBIDDEN, "Forbidden: " + in.method()
                        + " is not served while the call is parked");
            }
            return;
        }
        if (bridged(in)) {
            return;
        }
        if (Request.BYE.equals(in.method()) && ringer.phoneHungUp(in.callId(), in.toTag(), in.fromTag())) {
            responder.respond(in, Response.OK, "OK"); // a phone that answered a ringing and left before the join
            return;
        }
        if (Request.BYE.equals(in.method()) && bridged(in)) {
            return; // that join became a bridge meanwhile
        }
        if (!ack) {
            LOG.info("call " + in.callId() + ": " + in.method() + " for no dialog of ours, 481");
            responder.respond(in, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    "Call/Transaction Does Not Exist");
        }
    }

    private boolean bridged(InboundRequest in) {
        var joined = bridges.byDialog(in.callId(), in.toTag(), in.fromTag());
        if (joined.isEmpty()) {
            return false;
        }
        if (!Request.ACK.equals(in.method()) && outOfOrder(in, joined.get().leg(in.callId()))) {
            return true;
        }
        switch (in.method()) {
            case Request.BYE -> bridge.bye(in, joined.get());
            case Request.INVITE -> bridge.reInvite(in, joined.get());
            case Request.ACK -> bridge.ack(in, joined.get());
            case Request.REFER -> bridge.refer(in, joined.get());
            case Request.NOTIFY -> bridge.notify(in, joined.get());
            default -> { }
        }
        return true;
    }

    /** RFC 3261 12.2.2: a request with a lower CSeq than one the party sent before is refused with 500. */
    private boolean outOfOrder(InboundRequest in, DialogLeg leg) {
        if (!leg.isOutOfOrder(in.cseq())) {
            return false;
        }
        LOG.info("call " + in.callId() + ": " + in.method() + " CSeq " + in.cseq() + " out of order, 500");
        responder.respond(in, Response.SERVER_INTERNAL_ERROR, "Server Internal Error: CSeq out of order");
        return true;
    }

    /** CANCEL: answered at once; it ends a retrieve still in progress, and is moot for a park already answered. */
    private void cancel(InboundRequest in) {
        Optional<InboundRequest> invite = in.cancelledInvite();
        if (invite.isEmpty()) {
            responder.respond(in, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Call/Transaction Does Not Exist");
            return;
        }
        responder.respond(in, Response.OK, "OK");
        if (!retrieve.cancel(in.callId()) && invite.get().stillProceeding()) {
            responder.respond(invite.get(), Response.REQUEST_TERMINATED, "Request Terminated");
        }
    }
}
