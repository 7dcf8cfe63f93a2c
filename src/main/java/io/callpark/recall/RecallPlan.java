package io.callpark.recall;

import io.callpark.tenant.RecallDestination;
import io.callpark.tenant.TenantSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * What a recall does at each attempt, by the recall settings: whom to ring, from when and for how long, or that
 * the caller is released. Attempts ring the parker, the ring group or both ({@link RecallDestination}); after
 * {@code recallAttempts} of them one last ring goes to {@code recallFinal} when set, and then the recall ends. A
 * caller who parked itself is never rung back; the parker is never part of its own ring group's ring twice.
 */
public final class RecallPlan {

    /** A phone to ring, {@code afterMs} after the attempt starts. */
    public record Target(String uri, long afterMs) {
    }

    /** One step. {@code nextAttempt} is the attempt to try after this one if nobody answers it. */
    public sealed interface Step permits Ring, End {
    }

    /** Ring these phones for {@code ringMs}; {@code finalDestination} when it is the last ring before the end. */
    public record Ring(List<Target> targets, long ringMs, boolean finalDestination, int nextAttempt)
            implements Step {
        public Ring {
            targets = List.copyOf(targets);
        }
    }

    /** Nobody is left to ring: the caller is released. */
    public record End() implements Step {
    }

    private RecallPlan() {
    }

    /**
     * @param attempt    recall attempts made so far
     * @param parker     who parked the call (its SIP URI)
     * @param caller     who waits (its SIP URI): a self-park has no parker to ring back
     * @param ringGroup  the URIs of the ring group's members, in order (empty when it has none)
     * @param tenant     the domain of the recall's final destination extension
     */
    public static Step step(TenantSettings settings, int attempt, String parker, String caller,
                            List<String> ringGroup, String tenant) {
        int attempts = settings.recallAttempts();
        long ringMs = settings.recallRingTime() * 1000L;
        if (attempt < attempts) {
            List<Target> targets = new ArrayList<>();
            boolean ringParker = !parker.equals(caller) && (settings.recallDestination() == RecallDestination.PARKER
                    || settings.recallDestination() == RecallDestination.PARKER_THEN_RING_GROUP && attempt == 0);
            boolean ringGroupToo = settings.recallDestination() != RecallDestination.PARKER;
            long groupAfter = ringParker ? settings.ringGroupWait() * 1000L : 0;
            if (ringParker) {
                targets.add(new Target(parker, 0));
            }
            if (ringGroupToo) {
                ringGroup.stream().filter(m -> !m.equals(parker) && !m.equals(caller))
                        .forEach(m -> targets.add(new Target(m, groupAfter)));
            }
            if (!targets.isEmpty()) {
                long total = ringParker && ringGroupToo && targets.size() > 1 ? groupAfter + ringMs : ringMs;
                return new Ring(targets, total, false, attempt + 1);
            }
        }
        if (attempt <= attempts && !settings.recallFinal().isEmpty()) {
            String last = "sip:" + settings.recallFinal() + "@" + tenant;
            return new Ring(List.of(new Target(last, 0)), ringMs, true, attempts + 1);
        }
        return new End();
    }
}
