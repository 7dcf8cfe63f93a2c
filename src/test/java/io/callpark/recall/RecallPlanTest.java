package io.callpark.recall;

import io.callpark.park.FeatureCodes;
import io.callpark.recall.RecallPlan.End;
import io.callpark.recall.RecallPlan.Ring;
import io.callpark.recall.RecallPlan.Target;
import io.callpark.tenant.RecallDestination;
import io.callpark.tenant.TenantSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class RecallPlanTest {

    private static final String PARKER = "sip:101@acme.test";
    private static final String CALLER = "sip:carol@acme.test";
    private static final List<String> DESK = List.of("sip:102@acme.test", "sip:101@acme.test", "sip:104@acme.test");

    private static TenantSettings settings(RecallDestination destination, int attempts, String last) {
        TenantSettings d = TenantSettings.defaults(new io.callpark.park.ParkLimits(10, 50, 500),
                new FeatureCodes("*68", "*88", "*58"));
        return new TenantSettings(30, destination, "desk", 15, 10, 20, attempts, last, 10, "", d.featureCodes(), "", 50,
                500);
    }

    private static RecallPlan.Step step(TenantSettings s, int attempt, String parker) {
        return RecallPlan.step(s, attempt, parker, CALLER, DESK, "acme.test");
    }

    @Test
    void parkerModeRingsTheParkerEachAttemptThenEnds() {
        TenantSettings s = settings(RecallDestination.PARKER, 2, "");
        assertEquals(new Ring(List.of(new Target(PARKER, 0)), 20_000, false, 1), step(s, 0, PARKER));
        assertEquals(new Ring(List.of(new Target(PARKER, 0)), 20_000, false, 2), step(s, 1, PARKER));
        assertInstanceOf(End.class, step(s, 2, PARKER), "no caller waits forever");
    }

    @Test
    void parkerFirstThenTheRingGroupAfterTheWaitAndNotRevertedAfterwards() {
        TenantSettings s = settings(RecallDestination.PARKER_THEN_RING_GROUP, 2, "");
        Ring first = (Ring) step(s, 0, PARKER);
        assertEquals(List.of(new Target(PARKER, 0), new Target("sip:102@acme.test", 15_000),
                new Target("sip:104@acme.test", 15_000)), first.targets(), "the parker is not rung twice");
        assertEquals(35_000, first.ringMs(), "the wait, then the ring group's ring time");
        assertEquals(List.of(new Target("sip:102@acme.test", 0), new Target("sip:104@acme.test", 0)),
                ((Ring) step(s, 1, PARKER)).targets(), "the second attempt rings the ring group only");
    }

    @Test
    void ringGroupModeAndTheFinalDestination() {
        TenantSettings s = settings(RecallDestination.RING_GROUP, 1, "199");
        assertEquals(3, ((Ring) step(s, 0, "sip:105@acme.test")).targets().size());
        assertEquals(new Ring(List.of(new Target("sip:199@acme.test", 0)), 20_000, true, 2), step(s, 1, PARKER));
        assertInstanceOf(End.class, step(s, 2, PARKER));
    }

    @Test
    void aCallerThatParkedItselfIsNotRungBack() {
        TenantSettings s = settings(RecallDestination.PARKER, 3, "199");
        assertEquals(new Ring(List.of(new Target("sip:199@acme.test", 0)), 20_000, true, 4), step(s, 0, CALLER),
                "straight to the final destination");
        assertInstanceOf(End.class, step(settings(RecallDestination.PARKER, 3, ""), 0, CALLER));
    }
}
