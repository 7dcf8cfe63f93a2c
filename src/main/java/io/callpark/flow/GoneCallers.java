package io.callpark.flow;

import io.callpark.media.MusicOnHold;
import io.callpark.park.DialogLeg;
import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import io.callpark.sip.CallLanes;
import io.callpark.sip.Requests;
import io.callpark.sip.Transactions;
import io.callpark.store.ParkStore;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Releases a parked caller that has gone without a BYE (its phone lost power or network). A caller this node has
 * not heard from for the silence time (no RTP from its address) is asked with an in-dialog OPTIONS; no answer,
 * 408 or 481 means it is gone: it leaves the park and its devices are told (ABANDONED). Any other answer means it
 * is there (a phone that suppresses silence sends no RTP while it listens), and its silence counts anew.
 */
final class GoneCallers {

    private static final Logger LOG = Logger.getLogger(GoneCallers.class.getName());

    private final Requests requests;
    private final Transactions transactions;
    private final ParkStore parks;
    private final MusicOnHold music;
    private final CallLanes lanes;
    private final ParkExit exit;
    private final Duration silence;

    GoneCallers(Requests requests, Transactions transactions, ParkStore parks, MusicOnHold music, CallLanes lanes,
                ParkExit exit, Duration silence) {
        this.requests = requests;
        this.transactions = transactions;
        this.parks = parks;
        this.music = music;
        this.lanes = lanes;
        this.exit = exit;
        this.silence = silence;
    }

    /** The caller of this music stream has been silent too long (called on the music thread: hands on). */
    void silent(String streamKey) {
        lanes.execute(streamKey, () -> parks.callByStreamKey(streamKey).ifPresent(call ->
                lanes.execute(call.callId(), () -> probe(streamKey, call))));
    }

    private void probe(String streamKey, ParkedCall seen) {
        if (seen.state() == ParkState.JOINING) {
            music.heard(streamKey); // being joined: the join finds out whether the caller is there
            return;
        }
        DialogLeg next = seen.leg().nextCseq();
        if (parks.replace(seen, seen.withLeg(next)).isEmpty()) {
            music.heard(streamKey); // changed meanwhile: asked again after another silence, if it lasts
            return;
        }
        transactions.send(requests.inDialog(next, Request.OPTIONS)).handle((response, error) -> {
            int status = response == null ? Response.REQUEST_TIMEOUT : response.getStatusCode();
            lanes.execute(seen.callId(), () -> answered(streamKey, seen, status));
            return null;
        });
    }

    private void answered(String streamKey, ParkedCall seen, int status) {
        if (status == Response.REQUEST_TIMEOUT || status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST) {
            exit.abandon(seen, status == Response.REQUEST_TIMEOUT, "caller gone: not heard for "
                    + silence.toSeconds() + " s, and in-dialog OPTIONS answered " + status);
            return;
        }
        LOG.fine(seen.describe() + ": silent caller answered OPTIONS " + status + ", still there");
        music.heard(streamKey);
    }
}
