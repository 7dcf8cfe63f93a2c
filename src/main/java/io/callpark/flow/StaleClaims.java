package io.callpark.flow;

import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import io.callpark.sip.CallLanes;
import io.callpark.store.ParkStore;

import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The last line against a call held forever: a claim this node took (a retrieve joining, a phone ringing) that is
 * still stored long after any join or ring could have ended was left by a flow that failed half-way (a store
 * write that timed out, a bug), or by this node before a restart. It is given up: a JOINING caller is offered our
 * music again and waits (recalls, hang-up and retrieves work again), a RINGING one simply waits again.
 * Runs every {@link #SWEEP_SECONDS} on one lane; a claim counts as stale once seen in enough sweeps in a row.
 */
final class StaleClaims {

    private static final Logger LOG = Logger.getLogger(StaleClaims.class.getName());
    static final int SWEEP_SECONDS = 30;
    /**
     * a join ends within six re-INVITEs (the first and five glare retries, each ending within Timer B, 32 s) and
     * five pauses of up to 2 s: 202 s; 8 sweeps in a row are at least 210 s
     */
    static final int JOINING_SWEEPS = 8;
    /** a recall rings at most ringGroupWait (300 s) + recallRingTime (120 s): 21 sweeps are at least 10 min */
    private static final int RINGING_SWEEPS = 21;

    private final ThisNode here;
    private final ParkStore parks;
    private final CallLanes lanes;
    private final CallerJoin joins;
    private final RecallFlow recalls;
    /** claimer -> sweeps in a row that saw its claim on this node (the sweep thread's alone) */
    private volatile Map<String, Integer> seen = new HashMap<>();

    StaleClaims(ThisNode here, ParkStore parks, CallLanes lanes, CallerJoin joins, RecallFlow recalls) {
        this.here = here;
        this.parks = parks;
        this.lanes = lanes;
        this.joins = joins;
        this.recalls = recalls;
    }

    /** One sweep over the stored calls (a scan of this node's copy). */
    void sweep() {
        Map<String, Integer> next = new HashMap<>();
        for (ParkedCall call : parks.all()) {
            if (call.claimedBy() == null || !here.name().equals(call.claimedOn())) {
                continue;
            }
            String claim = call.claimedBy() + "|" + call.state();
            int sweeps = seen.getOrDefault(claim, 0) + 1;
            int staleAfter = call.state() == ParkState.RINGING ? RINGING_SWEEPS : JOINING_SWEEPS;
            if (sweeps >= staleAfter) {
                lanes.execute(call.callId(), () -> giveUp(call, sweeps));
            } else {
                next.put(claim, sweeps);
            }
        }
        seen = next;
    }

    private void giveUp(ParkedCall call, int sweeps) {
        LOG.warning(call.describe() + ": " + call.state() + " claim " + call.claimedBy() + " still held after "
                + sweeps + " sweeps of " + SWEEP_SECONDS + " s, given up");
        // a JOINING caller may hold another party's media: it is offered our music again (a move never re-INVITEs)
        boolean joined = call.state() == ParkState.JOINING && !call.claimedBy().startsWith(ParkStore.MOVER);
        joins.giveBack(call, joined, "a stale claim was given up");
        if (call.state() == ParkState.RINGING) {
            parks.callByParkId(call.tenant(), call.parkId()).filter(c -> c.claimedBy() == null)
                    .ifPresent(recalls::schedule); // the ringing that held it is gone: its recall goes on
        }
    }
}
