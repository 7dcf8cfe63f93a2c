package io.callpark.notify;

import io.callpark.event.ParkEvent;
import io.callpark.event.ParkEventType;
import io.callpark.sip.Requests;
import io.callpark.sip.Transactions;
import io.callpark.store.TenantStore;
import io.callpark.park.ParkedCall;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import javax.sip.message.Request;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the devices of every notify target about a park change with an out-of-dialog NOTIFY (Event: park-info).
 * One NOTIFY per target user: Kamailio forks it to each registered device.
 */
@ApplicationScoped
public class ParkInfoNotifier {

    private static final Logger LOG = Logger.getLogger(ParkInfoNotifier.class.getName());
    public static final String EVENT = "park-info";

    @Inject
    Requests requests;

    @Inject
    Transactions transactions;

    @Inject
    TenantStore tenants;

    /**
     * The devices of the call's extension learn the new state; on a move, the old extension's devices learn that
     * the call left them ({@code moved}) and the new one's that it waits there ({@code parked}).
     */
    void on(@Observes ParkEvent event) {
        String retrieveCode = tenants.settingsOf(event.call().tenant()).featureCodes().retrieve();
        event.movedFrom().ifPresent(before -> tell(before, event.type().wireName(), Optional.of(event.at()),
                retrieveCode));
        if (event.type() == ParkEventType.MOVED) {
            tell(event.call(), ParkEventType.PARKED.wireName(), Optional.empty(), retrieveCode);
        } else {
            tell(event.call(), event.type().wireName(),
                    event.type().leavesThePark() ? Optional.of(event.at()) : Optional.empty(), retrieveCode);
        }
    }

    private void tell(ParkedCall call, String state, Optional<Instant> leftAt, String retrieveCode) {
        String body = ParkInfoBody.render(call, state, leftAt, retrieveCode);
        for (String target : call.notifyTargets()) {
            send(call, target, body, state);
        }
    }

    private void send(ParkedCall call, String target, String body, String state) {
        Request notify = requests.notify("sip:park@" + call.tenant(), target, EVENT, ParkInfoBody.CONTENT_TYPE,
                ParkInfoBody.CONTENT_SUBTYPE, body);
        transactions.send(notify).whenComplete((response, error) -> {
            int status = response == null ? 0 : response.getStatusCode();
            // a device told is the rule (FINE); one that was not is what an operator looks for
            LOG.log(status / 100 == 2 ? Level.FINE : Level.INFO, () -> call.describe() + ": park-info " + state
                    + " to " + target + " -> " + (error != null ? error.getMessage() : String.valueOf(status)));
        });
    }
}
