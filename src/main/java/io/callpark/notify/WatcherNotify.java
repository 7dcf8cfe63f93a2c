package io.callpark.notify;

import io.callpark.park.ParkedCall;
import io.callpark.park.Watcher;
import io.callpark.sip.Requests;
import io.callpark.sip.Transactions;
import io.callpark.store.ParkStore;
import io.callpark.store.TenantStore;
import io.callpark.store.WatcherStore;
import io.callpark.store.WatcherStore.Slot;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends one watcher of a park slot the slot's dialog-info document in its subscription's dialog, and ends the
 * subscription when the watcher's answer says it is gone (RFC 6665 4.2.2).
 */
public final class WatcherNotify {

    public static final String EVENT = "dialog";

    private static final Logger LOG = Logger.getLogger(WatcherNotify.class.getName());
    /** Answers after which the subscription stays: the watcher was there (a 500 may be a NOTIFY overtaken). */
    private static final Set<Integer> KEPT_AFTER = Set.of(Response.SERVER_INTERNAL_ERROR, Response.REQUEST_PENDING,
            Response.SERVICE_UNAVAILABLE);

    /** What a slot's watchers are shown: the calls waiting there, oldest first. */
    public record SlotState(List<ParkedCall> calls, String retrieveCode) {

        public SlotState {
            calls = List.copyOf(calls);
        }

        String document(Watcher watcher) {
            return DialogInfoBody.render(watcher.entity(), watcher.version(), calls, retrieveCode);
        }

        /** Equal for two states that look the same to a watcher. */
        long digest() {
            return DialogInfoBody.digest(calls, retrieveCode);
        }
    }

    private final Requests requests;
    private final Transactions transactions;
    private final ParkStore parks;
    private final TenantStore tenants;
    private final WatcherStore watchers;

    public WatcherNotify(Requests requests, Transactions transactions, ParkStore parks, TenantStore tenants,
                         WatcherStore watchers) {
        this.requests = requests;
        this.transactions = transactions;
        this.parks = parks;
        this.tenants = tenants;
        this.watchers = watchers;
    }

    SlotState stateOf(Slot slot) {
        return new SlotState(parks.callsAt(slot.tenant(), slot.slot()),
                tenants.settingsOf(slot.tenant()).featureCodes().retrieve());
    }

    /** NOTIFY with the watcher's current CSeq and version; {@code subscriptionState} as RFC 6665 spells it. */
    void send(Slot slot, Watcher watcher, String subscriptionState, SlotState state) {
        Request notify = requests.subscriptionNotify(watcher.dialog(), EVENT, watcher.eventId(), subscriptionState,
                WatchContact.user(slot), DialogInfoBody.CONTENT_TYPE, DialogInfoBody.CONTENT_SUBTYPE,
                state.document(watcher));
        String what = "watch " + watcher.dialog().callId() + " of " + slot.tenant() + "/" + slot.slot() + " by "
                + watcher.user() + ": NOTIFY version " + watcher.version() + " " + subscriptionState
                + " (" + state.calls().size() + " waiting)";
        transactions.send(notify).whenComplete((response, error) -> {
            int status = response == null ? Response.REQUEST_TIMEOUT : response.getStatusCode();
            if (status / 100 == 2 || KEPT_AFTER.contains(status)) {
                LOG.fine(() -> what + " -> " + status);
                return;
            }
            boolean ended = watchers.remove(slot, watcher.dialog().callId(), watcher.dialog().localTag(),
                    watcher.dialog().remoteTag()).isPresent();
            LOG.log(ended ? Level.INFO : Level.FINE, () -> what + " -> " + status
                    + (ended ? ": subscription ended" : ""));
        });
    }
}
