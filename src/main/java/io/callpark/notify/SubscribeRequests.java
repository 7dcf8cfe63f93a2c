package io.callpark.notify;

import io.callpark.park.FeatureCodeParser;
import io.callpark.park.DialogLeg;
import io.callpark.park.FeatureRequest;
import io.callpark.park.Watcher;
import io.callpark.sip.Identity;
import io.callpark.sip.InboundRequest;
import io.callpark.sip.Requests;
import io.callpark.sip.Responder;
import io.callpark.sip.SipHeaders;
import io.callpark.store.LotStore;
import io.callpark.store.TenantStore;
import io.callpark.store.WatcherStore;
import io.callpark.store.WatcherStore.Slot;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The SUBSCRIBEs of BLF keys (RFC 6665, the dialog event package): a key subscribes to the URI it dials to
 * retrieve ({@code *88103}; {@code *88} alone watches the user's own extension; a lot's slot {@code 701}), gets
 * 200 and at once a NOTIFY with the slot's state, refreshes, and ends with Expires 0. Only a user of the slot's tenant may watch it, as the proxy
 * authenticated the user.
 */
public final class SubscribeRequests {

    /** Keys one slot may have: a receptionist's console, a whole office's sidecars, and no more. */
    public static final int WATCHERS_PER_SLOT = 100;

    private static final Logger LOG = Logger.getLogger(SubscribeRequests.class.getName());

    private final Responder responder;
    private final WatcherStore watchers;
    private final TenantStore tenants;
    private final LotStore lots;
    private final WatcherNotify notify;
    private final SubscriptionTerms terms;
    private final LongSupplier clock;

    public SubscribeRequests(Responder responder, WatcherStore watchers, TenantStore tenants, LotStore lots,
                             WatcherNotify notify, SubscriptionTerms terms, LongSupplier clock) {
        this.responder = responder;
        this.watchers = watchers;
        this.tenants = tenants;
        this.lots = lots;
        this.notify = notify;
        this.terms = terms;
        this.clock = clock;
    }

    /** A SUBSCRIBE that starts a subscription (no To tag). */
    public void subscribe(InboundRequest in) {
        Request request = in.request();
        if (!ofOurPackage(in)) {
            return;
        }
        String tenant = Identity.tenantOf(request);
        Optional<String> user = Identity.callerIn(request, tenant);
        if (user.isEmpty()) {
            LOG.info("call " + in.callId() + ": SUBSCRIBE to " + tenant + " by " + Identity.caller(request).uri()
                    + " refused: not a user of the tenant");
            responder.respond(in, Response.FORBIDDEN, "Forbidden: not your tenant");
            return;
        }
        Optional<String> slotName = slotOf(request, user.get(), tenant);
        if (slotName.isEmpty()) {
            responder.respond(in, Response.NOT_FOUND, "Not Found: no park slot to watch there");
            return;
        }
        if (!SipHeaders.accepts(request, DialogInfoBody.CONTENT_TYPE, DialogInfoBody.CONTENT_SUBTYPE)) {
            responder.respond(in, Response.NOT_ACCEPTABLE, "Not Acceptable: only application/dialog-info+xml");
            return;
        }
        Optional<DialogLeg> leg = Requests.watcherLeg(request);
        if (leg.isEmpty()) {
            LOG.info("call " + in.callId() + ": SUBSCRIBE by " + user.get() + "@" + tenant + " refused: its Contact or"
                    + " Record-Route cannot be used");
            responder.respond(in, Response.FORBIDDEN, "Forbidden: NOTIFYs go only where the SUBSCRIBE came from,"
                    + " through the proxy");
            return;
        }
        Slot slot = new Slot(tenant, slotName.get());
        String watcherUser = user.get() + "@" + tenant;
        switch (terms.decide(SipHeaders.expires(request))) {
            case SubscriptionTerms.TooBrief brief -> responder.intervalTooBrief(in, brief.minSeconds());
            case SubscriptionTerms.Ended fetch -> {
                Watcher watcher = newWatcher(in, leg.get(), watcherUser, clock.getAsLong());
                responder.subscribed(in, watcher.dialog().localTag(), WatchContact.user(slot), 0);
                notify.send(slot, watcher, SubscriptionTerms.terminated(false), notify.stateOf(slot));
            }
            case SubscriptionTerms.Granted granted -> {
                Watcher watcher = newWatcher(in, leg.get(), watcherUser,
                        clock.getAsLong() + granted.seconds() * 1000L);
                if (!watchers.add(slot, watcher, WATCHERS_PER_SLOT, notify.stateOf(slot).digest())) {
                    LOG.warning("call " + in.callId() + ": " + watcherUser + " may not watch " + tenant + "/"
                            + slot.slot() + ": " + WATCHERS_PER_SLOT + " keys watch it already");
                    responder.respond(in, Response.FORBIDDEN, "Forbidden: too many keys watch this slot");
                    return;
                }
                responder.subscribed(in, watcher.dialog().localTag(), WatchContact.user(slot), granted.seconds());
                // read again after the add: a change in between is told here or by the slot's owner, never lost
                notify.send(slot, watcher, SubscriptionTerms.active(granted.seconds()), notify.stateOf(slot));
                LOG.info("watch " + in.callId() + " of " + tenant + "/" + slot.slot() + " by " + watcherUser
                        + ": subscribed for " + granted.seconds() + " s");
            }
        }
    }

    /** A SUBSCRIBE in a subscription's dialog: a refresh, or Expires 0 to end it. */
    public void resubscribe(InboundRequest in) {
        Optional<Slot> slot = WatchContact.slot(SipHeaders.user(in.request().getRequestURI()).orElse(null));
        Optional<Watcher> current = slot.flatMap(s -> watchers.of(s).stream()
                .filter(w -> w.isDialogOf(in.callId(), in.toTag(), in.fromTag())).findFirst());
        if (current.isEmpty()) {
            responder.respond(in, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    "Call/Transaction Does Not Exist: no such subscription");
            return;
        }
        if (current.get().dialog().isOutOfOrder(in.cseq())) {
            responder.respond(in, Response.SERVER_INTERNAL_ERROR, "Server Internal Error: CSeq out of order");
            return;
        }
        if (!ofOurPackage(in)) {
            return;
        }
        Slot at = slot.get();
        switch (terms.decide(SipHeaders.expires(in.request()))) {
            case SubscriptionTerms.TooBrief brief -> responder.intervalTooBrief(in, brief.minSeconds());
            case SubscriptionTerms.Ended unsubscribe -> {
                Optional<Watcher> removed = watchers.remove(at, in.callId(), in.toTag(), in.fromTag());
                finish(in, at, removed.map(Watcher::next), 0, SubscriptionTerms.terminated(false));
                LOG.info("watch " + in.callId() + " of " + at.tenant() + "/" + at.slot() + " by "
                        + current.get().user() + ": unsubscribed");
            }
            case SubscriptionTerms.Granted granted -> {
                long expiresAt = clock.getAsLong() + granted.seconds() * 1000L;
                // a refresh may move the key (RFC 6665 4.1.2.1), but only to where it sends from
                String target = Requests.watcherLeg(in.request()).map(DialogLeg::remoteTarget)
                        .orElse(current.get().dialog().remoteTarget());
                Optional<Watcher> refreshed = watchers.update(at, in.callId(), in.toTag(), in.fromTag(),
                        w -> w.refreshed(expiresAt, in.cseq(), target).next());
                finish(in, at, refreshed, granted.seconds(), SubscriptionTerms.active(granted.seconds()));
            }
        }
    }

    private void finish(InboundRequest in, Slot slot, Optional<Watcher> watcher, int expires, String state) {
        if (watcher.isEmpty()) { // ended meanwhile: expired, or its NOTIFY failed
            responder.respond(in, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    "Call/Transaction Does Not Exist: no such subscription");
            return;
        }
        responder.subscribed(in, watcher.get().dialog().localTag(), WatchContact.user(slot), expires);
        notify.send(slot, watcher.get(), state, notify.stateOf(slot));
    }

    private boolean ofOurPackage(InboundRequest in) {
        if (SipHeaders.eventPackage(in.request()).filter(WatcherNotify.EVENT::equals).isPresent()) {
            return true;
        }
        responder.badEvent(in, WatcherNotify.EVENT);
        return false;
    }

    /**
     * The slot a Request-URI names: a parking lot's slot, the retrieve code with an extension the proxy vouches is
     * the tenant's, or the bare retrieve code for the user's own extension.
     */
    private Optional<String> slotOf(Request request, String user, String tenant) {
        String requested = SipHeaders.user(request.getRequestURI()).orElse("");
        if (lots.answering(tenant, requested).filter(lot -> lot.hasSlot(requested)).isPresent()) {
            return Optional.of(requested);
        }
        var parsed = new FeatureCodeParser(tenants.settingsOf(tenant).featureCodes()).parse(requested);
        if (parsed.orElse(null) instanceof FeatureRequest.Retrieve retrieve && retrieve.parkId().isEmpty()) {
            if (retrieve.extension().isEmpty()) {
                return Optional.of(user);
            }
            return retrieve.extension().filter(Identity.subscribers(request)::contains);
        }
        return Optional.empty();
    }

    /** The new subscription on our side of its dialog: its first NOTIFY at the dialog's first CSeq, version 0. */
    private static Watcher newWatcher(InboundRequest in, DialogLeg leg, String user, long expiresAt) {
        return new Watcher(leg, SipHeaders.requestUri(in.request()), SipHeaders.eventId(in.request()), user, 0,
                expiresAt);
    }
}
