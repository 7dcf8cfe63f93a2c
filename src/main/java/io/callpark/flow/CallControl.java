package io.callpark.flow;

import io.callpark.store.TenantStore;
import io.callpark.store.ParkStore;
import io.callpark.sip.CallLanes;
import io.callpark.event.ParkEvent;
import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import io.callpark.store.ParkStore.MoveResult;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What an application may do to parked calls (the REST API's parked-call resource): list them, hang one up, move
 * it to another extension, have a phone ring to take it. Each action runs on the call's lane, in order with the caller's own requests on this
 * node, and decides against the replicated state, so it is safe from any node.
 */
public final class CallControl {

    private static final Logger LOG = Logger.getLogger(CallControl.class.getName());
    private static final long ACTION_TIMEOUT_S = 10;

    /** How an action ended. */
    public enum Outcome {
        DONE,
        /** no such call in the tenant (or it left meanwhile) */
        NOT_FOUND,
        /** a retrieve holds the call right now */
        BEING_RETRIEVED,
        /** the target extension has as many calls as the tenant allows */
        TARGET_FULL
    }

    public record Result(Outcome outcome, Optional<ParkedCall> call) {
        static Result of(Outcome outcome) {
            return new Result(outcome, Optional.empty());
        }
    }

    private final ThisNode here;
    private final ParkStore parks;
    private final TenantStore tenants;
    private final CallLanes lanes;
    private final ParkExit exit;
    private final Consumer<ParkEvent> events;
    private final RingAndJoin ringer;

    CallControl(ThisNode here, ParkStore parks, TenantStore tenants, CallLanes lanes, Consumer<ParkEvent> events,
                ParkExit exit, RingAndJoin ringer) {
        this.here = here;
        this.parks = parks;
        this.tenants = tenants;
        this.lanes = lanes;
        this.events = events;
        this.exit = exit;
        this.ringer = ringer;
    }

    public List<ParkedCall> list(String tenant, Optional<String> extension) {
        return parks.ofTenant(tenant, extension);
    }

    public Optional<ParkedCall> find(String tenant, String parkId) {
        return parks.callByParkId(tenant, parkId);
    }

    /** Ends the call: the caller gets a BYE, the extension's devices a NOTIFY, subscribers a hung-up event. */
    public Result hangUp(String tenant, String parkId) throws TimeoutException {
        return onCallLane(tenant, parkId, call -> exit.hangUp(call)
                .map(gone -> new Result(Outcome.DONE, Optional.of(gone)))
                .orElseGet(() -> Result.of(Outcome.BEING_RETRIEVED)));
    }

    /** Moves the call to another extension of the tenant; it keeps its park id, music and place in time. */
    public Result move(String tenant, String parkId, String extension) throws TimeoutException {
        return onCallLane(tenant, parkId, call -> {
            if (call.extension().equals(extension)) {
                return new Result(Outcome.DONE, Optional.of(call));
            }
            int limit = tenants.settingsOf(tenant).callsPerExtension();
            MoveResult moved = parks.move(call, extension, limit, here.name());
            return switch (moved) {
                case FULL -> Result.of(Outcome.TARGET_FULL);
                case GONE -> Result.of(Outcome.NOT_FOUND);
                case MOVED -> {
                    ParkedCall after = call.movedTo(extension);
                    LOG.info(after.describe() + ": moved from ext " + call.extension() + " through the API");
                    events.accept(ParkEvent.moved(call, after));
                    yield new Result(Outcome.DONE, Optional.of(after));
                }
            };
        });
    }

    /**
     * One-click retrieval: rings the extension's phones and joins the caller with the first that answers. Returns
     * once the phones ring (the call is then being retrieved); a retrieved event follows the answer, and the call
     * waits again when nobody answers within {@code ringSeconds}.
     */
    public Result retrieveTo(String tenant, String parkId, String extension, int ringSeconds)
            throws TimeoutException {
        return onCallLane(tenant, parkId, call -> {
            Party phone = new Party(ParkedCall.extensionUri(extension, tenant), "");
            boolean ringing = ringer.start(call, List.of(new RingAndJoin.Target(phone, 0)),
                    RingAndJoin.Style.plain(ringSeconds * 1000L), outcome -> {
                        if (outcome.result() == RingAndJoin.Result.JOINED) {
                            events.accept(ParkEvent.retrieved(outcome.call(), outcome.by().orElseThrow()));
                        }
                    });
            return ringing ? new Result(Outcome.DONE, find(tenant, parkId)) : Result.of(Outcome.BEING_RETRIEVED);
        });
    }

    /** Runs the action on the call's lane with the call as stored now; NOT_FOUND / BEING_RETRIEVED decided first. */
    private Result onCallLane(String tenant, String parkId, java.util.function.Function<ParkedCall, Result> action)
            throws TimeoutException {
        Optional<ParkedCall> seen = find(tenant, parkId);
        if (seen.isEmpty()) {
            return Result.of(Outcome.NOT_FOUND);
        }
        return await(seen.get().callId(), () -> {
            Optional<ParkedCall> current = find(tenant, parkId);
            if (current.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND);
            }
            if (current.get().state() != ParkState.PARKED) {
                return Result.of(Outcome.BEING_RETRIEVED);
            }
            return action.apply(current.get());
        });
    }

    private <T> T await(String callId, Supplier<T> work) throws TimeoutException {
        CompletableFuture<T> result = new CompletableFuture<>();
        lanes.execute(callId, () -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(ACTION_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
