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
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Releases a parked caller that has gone without a BYE (its phone lost power or network). A caller this node has
 * not heard from for the silence time (no RTP from its address) is asked with an in-dialog OPTIONS. A 481, or a
 * 408 to two OPTIONS in a row (a single one may be a blip), means it is gone: it leaves the park, unless anything
 * happened to the call meanwhile, and its devices are told (ABANDONED). Any other answer means it is there (a phone
 * that suppresses silence sends no RTP while it listens), and so does an OPTIONS this node could not send: its
 * silence counts anew.
 */
final class GoneCallers {

    private static final Logger LOG = Logger.getLogger(GoneCallers.class.getName());
    private static final int TIMEOUTS_TO_RELEASE = 2;

    private final ThisNode here;
    private final Requests requests;
    private final Transactions transactions;
    private final ParkStore parks;
    private final MusicOnHold music;
    private final CallLanes lanes;
    private final ParkExit exit;
    private final Duration silence;

    GoneCallers(ThisNode here, Requests requests, Transactions transactions, ParkStore parks, MusicOnHold music,
                CallLanes lanes, ParkExit exit, Duration silence) {
        this.here = here;
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
        lanes.execute(streamKey, () -> guarded(streamKey, () -> parks.callByStreamKey(streamKey).ifPresent(call ->
                lanes.execute(call.callId(), () -> guarded(streamKey, () -> probe(streamKey, call, 1))))));
    }

    /** A step that fails (a store read timed out) leaves the caller to be asked after another silence. */
    private void guarded(String streamKey, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "stream " + streamKey + ": silent caller not asked now: " + e.getMessage());
            music.heard(streamKey);
        }
    }

    private void probe(String streamKey, ParkedCall seen, int attempt) {
        if (seen.state() == ParkState.JOINING || !here.name().equals(seen.media().node())) {
            music.heard(streamKey); // being joined (the join finds out), or no longer played here
            return;
        }
        DialogLeg next = seen.leg().nextCseq();
        ParkedCall asked = parks.replace(seen, seen.withLeg(next)).orElse(null);
        if (asked == null) {
            music.heard(streamKey); // changed meanwhile: asked again after another silence, if it lasts
            return;
        }
        transactions.send(requests.inDialog(next, Request.OPTIONS)).handle((response, error) -> {
            lanes.execute(asked.callId(), () -> guarded(streamKey, () -> answered(streamKey, asked, response,
                    attempt)));
            return null;
        });
    }

    private void answered(String streamKey, ParkedCall asked, Response response, int attempt) {
        int status = response == null ? 0 : response.getStatusCode();
        if (!ParkExit.callerGone(status)) {
            LOG.fine(asked.describe() + ": silent caller answered OPTIONS " + status + ", still there");
            music.heard(streamKey);
            return;
        }
        if (status == Response.REQUEST_TIMEOUT && attempt < TIMEOUTS_TO_RELEASE) {
            probe(streamKey, asked, attempt + 1);
            return;
        }
        Predicate<ParkedCall> untouched = stored -> stored.state() != ParkState.JOINING
                && stored.leg().localCseq() == asked.leg().localCseq() && here.name().equals(stored.media().node());
        exit.abandon(asked, untouched, ParkExit.mayStillBeThere(status), "caller gone: not heard for "
                + silence.toSeconds() + " s, and in-dialog OPTIONS answered " + status);
        if (music.has(streamKey)) {
            music.heard(streamKey); // something happened to the call meanwhile: it stays
        }
    }
}
