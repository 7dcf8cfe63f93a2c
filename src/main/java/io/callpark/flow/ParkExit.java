package io.callpark.flow;

import io.callpark.sip.Requests;
import io.callpark.sip.Transactions;
import io.callpark.store.ParkStore;
import io.callpark.media.MusicOnHold;
import io.callpark.event.ParkEvent;
import io.callpark.event.ParkEventType;
import io.callpark.park.ParkedCall;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Logger;

/** The one way a caller leaves the park without being joined: store, music and devices all learn of it. */
final class ParkExit {

    private static final Logger LOG = Logger.getLogger(ParkExit.class.getName());

    private final Transactions transactions;
    private final Requests requests;
    private final ParkStore parks;
    private final MusicOnHold music;
    private final Consumer<ParkEvent> events;

    ParkExit(Transactions transactions, Requests requests, ParkStore parks, MusicOnHold music,
             Consumer<ParkEvent> events) {
        this.transactions = transactions;
        this.requests = requests;
        this.parks = parks;
        this.music = music;
        this.events = events;
    }

    /**
     * Removes the call if it is still parked; the caller gets a BYE when {@code byeCaller} (it is still there).
     * Another node may already have removed it: then nothing happens here.
     */
    void abandon(ParkedCall call, boolean byeCaller, String why) {
        leave(call, c -> true, byeCaller, ParkEventType.ABANDONED, why);
    }

    /** Abandons the call only if it is still stored as {@code onlyIf} says (nothing happened to it meanwhile). */
    void abandon(ParkedCall call, Predicate<ParkedCall> onlyIf, boolean byeCaller, String why) {
        leave(call, onlyIf, byeCaller, ParkEventType.ABANDONED, why);
    }

    /** An answer of the caller's dialog that says it is gone: 481 (no such dialog) or 408 (nothing came back). */
    static boolean callerGone(int status) {
        return status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT;
    }

    /** Whether a caller whose dialog answered {@code status} may still be there to get a BYE (a 408, not a 481). */
    static boolean mayStillBeThere(int status) {
        return status != Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST;
    }

    /** Ends a call that waits (not one being retrieved) on the operator's or tenant's request: the caller gets a BYE. */
    Optional<ParkedCall> hangUp(ParkedCall call) {
        return leave(call, c -> c.claimedBy() == null, true, ParkEventType.HUNG_UP, "hung up through the API");
    }

    /** Releases a caller nobody took after every recall: BYE, and the devices and subscribers are told. */
    Optional<ParkedCall> expire(ParkedCall call, String why) {
        return leave(call, c -> c.claimedBy() == null, true, ParkEventType.EXPIRED, why);
    }

    /**
     * Ends the parker's own call that waited for an attended transfer to bring the caller in its place (RFC 3891):
     * BYE, and no event, as the caller's park that follows is the one to tell.
     */
    Optional<ParkedCall> replaced(ParkedCall call) {
        return leave(call, c -> c.claimedBy() == null, true, null, "replaced by the transferred caller");
    }

    /** @param type the event to publish, null for none */
    private Optional<ParkedCall> leave(ParkedCall call, Predicate<ParkedCall> onlyIf, boolean byeCaller,
                                       ParkEventType type, String why) {
        Optional<ParkedCall> left = parks.remove(call.tenant(), call.extension(), call.parkId(), onlyIf);
        left.ifPresent(removed -> {
            music.close(removed.streamKey());
            if (byeCaller) {
                transactions.send(requests.inDialog(removed.leg().nextCseq(), Request.BYE));
            }
            LOG.info(removed.describe() + ": left the park, " + why);
            if (type != null) {
                events.accept(ParkEvent.of(type, removed));
            }
        });
        return left;
    }
}
