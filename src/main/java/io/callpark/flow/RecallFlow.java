package io.callpark.flow;

import io.callpark.store.TenantStore;
import io.callpark.store.ParkStore;
import java.util.concurrent.ScheduledExecutorService;
import io.callpark.store.GroupStore;
import io.callpark.sip.CallLanes;
import io.callpark.event.ParkEvent;
import io.callpark.event.ParkEventType;
import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import io.callpark.park.RecallState;
import io.callpark.recall.RecallPlan;
import io.callpark.tenant.Group;
import io.callpark.tenant.TenantSettings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Recalls parked calls nobody retrieved in time. Each call's timer lives in its replicated record
 * ({@link RecallState#at()}); the node that plays the call's music runs it, and a node that adopts a call runs it
 * from then on, so a node that dies takes no timer with it. A recall first holds the call (RINGING), so it happens
 * once in the cluster, never while a retrieve holds the call, and a retrieve still wins while the recall rings.
 */
final class RecallFlow {

    private static final Logger LOG = Logger.getLogger(RecallFlow.class.getName());
    private static final long BUSY_RECHECK_MS = 2000;
    /** How often the node looks for its recalls that are due: one is late by at most this much. */
    static final long SWEEP_MS = 100;
    /** RFC 7462: a call that comes back because the transfer (here: the park) did not end with someone taking it. */
    static final String ALERT_INFO = "<urn:alert:service:recall:transfer>";

    private final ThisNode here;
    private final ParkStore parks;
    private final TenantStore tenants;
    private final GroupStore ringGroups;
    private final GroupStore parkGroups;
    private final CallLanes lanes;
    private final RingAndJoin ringer;
    private final ParkExit exit;
    private final Consumer<ParkEvent> events;
    /** The recalls this node runs, by stream key: one sweep finds those due (a timer task per call was 100 bytes). */
    private final Map<String, Due> due = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweeper;

    RecallFlow(ThisNode here, ParkStore parks, TenantStore tenants, GroupStore ringGroups, GroupStore parkGroups,
               CallLanes lanes, ScheduledExecutorService timers, ParkExit exit, RingAndJoin ringer,
               Consumer<ParkEvent> events) {
        this.here = here;
        this.parks = parks;
        this.tenants = tenants;
        this.ringGroups = ringGroups;
        this.parkGroups = parkGroups;
        this.lanes = lanes;
        this.sweeper = timers.scheduleWithFixedDelay(this::fireDue, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
        this.exit = exit;
        this.events = events;
        this.ringer = ringer;
    }

    /** The settings a call's recall follows: its tenant's, under its park group's own. */
    TenantSettings settingsFor(String tenant, String group) {
        TenantSettings settings = tenants.settingsOf(tenant);
        return group.isEmpty() ? settings
                : parkGroups.find(tenant, group).map(g -> settings.with(g.recall())).orElse(settings);
    }

    /** The recall a call parked now at that extension gets: its park group's (if any) and the time it is due. */
    RecallState firstRecall(String tenant, String extension, long parkedAt) {
        String group = parkGroups.of(tenant, extension).map(Group::name).orElse("");
        return RecallState.at(parkedAt + settingsFor(tenant, group).recallTime() * 1000L, group);
    }

    /** Runs the call's recall on this node when it is due (again). */
    void schedule(ParkedCall call) {
        if (call.recall().at() == 0) {
            return;
        }
        at(call, call.recall().at());
    }

    /** A recall this node runs: the keys to find its call again (not the call) and when it is due. */
    private record Due(String tenant, String parkId, String callId, long at) {
    }

    private void later(ParkedCall call, long delayMs) {
        at(call, System.currentTimeMillis() + delayMs);
    }

    private void at(ParkedCall call, long at) {
        due.put(call.streamKey(), new Due(call.tenant(), call.parkId(), call.callId(), at));
    }

    private void fireDue() {
        long now = System.currentTimeMillis();
        due.forEach((key, recall) -> {
            if (recall.at() <= now && due.remove(key, recall)) {
                try {
                    lanes.execute(recall.callId(), () -> fire(recall.tenant(), recall.parkId(), recall.callId()));
                } catch (RuntimeException e) { // lanes closed: the node is stopping
                    LOG.fine("call " + recall.callId() + " tenant " + recall.tenant() + ": recall not run, " + e);
                }
            }
        });
    }

    /** The call's music stopped on this node (it left the park, or another node plays it): so does its recall here. */
    void forget(String streamKey) {
        due.remove(streamKey);
    }

    /** Recall timers running on this node. */
    int pending() {
        return due.size();
    }

    private void fire(String tenant, String parkId, String callId) {
        Optional<ParkedCall> found = parks.callByParkId(tenant, parkId).filter(c -> c.callId().equals(callId));
        if (found.isEmpty() || !here.name().equals(found.get().media().node())) {
            return; // gone (a call that took its park id since has a recall of its own), or another node runs it
        }
        ParkedCall call = found.get();
        if (call.recall().at() > System.currentTimeMillis() + 50) {
            schedule(call); // its recall moved on meanwhile
            return;
        }
        if (call.state() != ParkState.PARKED) {
            later(call, BUSY_RECHECK_MS); // a retrieve or another ringing holds it; if that fails it waits again
            return;
        }
        TenantSettings settings = settingsFor(tenant, call.recall().group());
        List<String> ringGroup = settings.ringGroup().isEmpty() ? List.of()
                : ringGroups.find(tenant, settings.ringGroup())
                .map(g -> g.members().stream().map(m -> ParkedCall.extensionUri(m, tenant)).toList())
                .orElse(List.of());
        RecallPlan.Step step = RecallPlan.step(settings, call.recall().attempt(), call.parker().uri(),
                call.parked().uri(), ringGroup, tenant);
        if (step instanceof RecallPlan.Ring ring) {
            ring(call, ring, settings);
        } else {
            exit.expire(call, "nobody answered " + call.recall().attempt() + " recall(s)");
        }
    }

    private void ring(ParkedCall call, RecallPlan.Ring ring, TenantSettings settings) {
        List<RingAndJoin.Target> targets = ring.targets().stream()
                .map(t -> new RingAndJoin.Target(new Party(t.uri(), ""), t.afterMs())).toList();
        RingAndJoin.Style style = new RingAndJoin.Style(ring.ringMs(), Optional.of("Park recall: "
                + displayOf(call.parked())),
                Optional.of(ALERT_INFO));
        boolean started = ringer.start(call, targets, style, outcome -> after(call, ring, settings, outcome));
        if (!started) {
            later(call, BUSY_RECHECK_MS);
            return;
        }
        LOG.info(call.describe() + ": recall attempt " + (call.recall().attempt() + 1)
                + (ring.finalDestination() ? " (final destination)" : ""));
        events.accept(ParkEvent.of(ParkEventType.RECALLING, call));
    }

    private void after(ParkedCall call, RecallPlan.Ring ring, TenantSettings settings, RingAndJoin.Outcome outcome) {
        switch (outcome.result()) {
            case JOINED -> events.accept(ParkEvent.by(ParkEventType.RECALLED, outcome.call(), outcome.by().orElseThrow()));
            case NO_ANSWER -> {
                long next = System.currentTimeMillis() + (ring.finalDestination() ? 0 : settings.retryInterval() * 1000L);
                parks.modify(call.tenant(), call.extension(), call.parkId(), stored ->
                        stored.callId().equals(call.callId()) && stored.state() == ParkState.PARKED
                                ? stored.withRecall(new RecallState(next, ring.nextAttempt(), stored.recall().group()))
                                : stored).ifPresent(this::schedule);
            }
            case TAKEN, CALLER_GONE -> { } // a retrieve took it, or the caller left: nothing to recall
        }
    }

    /**
     * A parked caller pressed a key: the tenant's return key rings the parker at once (one attempt); if nobody
     * answers, the call waits as before and its recall stays due when it was.
     */
    void keyPressed(String streamKey, char key) {
        parks.callByStreamKey(streamKey).ifPresent(seen -> lanes.execute(seen.callId(), () -> {
            TenantSettings settings = tenants.settingsOf(seen.tenant());
            Optional<ParkedCall> call = parks.callByStreamKey(streamKey)
                    .filter(c -> c.state() == ParkState.PARKED && !c.parker().uri().equals(c.parked().uri()));
            if (call.isEmpty() || !settings.dtmfReturnKey().equals(String.valueOf(key))) {
                return;
            }
            String who = displayOf(call.get().parked());
            RingAndJoin.Style style = new RingAndJoin.Style(settings.recallRingTime() * 1000L,
                    Optional.of("Park return: " + who), Optional.of(ALERT_INFO));
            boolean started = ringer.start(call.get(), List.of(new RingAndJoin.Target(call.get().parker(), 0)), style,
                    outcome -> {
                        if (outcome.result() == RingAndJoin.Result.JOINED) {
                            events.accept(ParkEvent.by(ParkEventType.RECALLED, outcome.call(), outcome.by().orElseThrow()));
                        }
                    });
            if (started) {
                LOG.info(call.get().describe() + ": caller pressed " + key + ", back to the parker "
                        + call.get().parker().uri());
                events.accept(ParkEvent.of(ParkEventType.RECALLING, call.get()));
            }
        }));
    }

    private static String displayOf(Party party) {
        return party.displayName().isEmpty() ? userOf(party.uri()) : party.displayName();
    }

    private static String userOf(String uri) {
        int colon = uri.indexOf(':');
        int at = uri.indexOf('@');
        return at > colon ? uri.substring(colon + 1, at) : uri;
    }

    void stop() {
        sweeper.cancel(false);
        due.clear();
    }
}
