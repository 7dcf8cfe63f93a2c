package io.callpark.park;

import java.util.List;
import java.util.Optional;

/**
 * How many calls may be parked at once: at one extension, by one user (as their parker), in one tenant. Each keeps
 * one user or tenant from filling the nodes' media for everyone.
 */
public record ParkLimits(int perExtension, int perUser, int perTenant) {

    public static final int EXTENSION_MAX = 100;
    public static final int USER_MAX = 100_000;
    public static final int TENANT_MAX = 100_000;

    /**
     * Why one more call parked by {@code parker} would break the user's or the tenant's limit, given the calls the
     * tenant has parked now; empty if it may park. The extension's limit is the store's to hold (one
     * compare-and-set with the add). Parks that run at the same moment on several nodes each see the others' calls
     * only once stored, so a limit can be passed by at most the parks in flight at once.
     */
    public Optional<String> refusal(List<ParkedCall> tenantCalls, Party parker) {
        List<ParkedCall> counted = tenantCalls.stream().filter(ParkLimits::counts).toList();
        if (counted.size() >= perTenant) {
            return Optional.of(perTenant + " calls parked in the tenant already");
        }
        long byParker = counted.stream().filter(c -> c.parker().uri().equals(parker.uri())).count();
        if (byParker >= perUser) {
            return Optional.of(perUser + " calls parked by " + parker.uri() + " already");
        }
        return Optional.empty();
    }

    /**
     * Whether a parked call holds a place under the limits: one restored after a restart whose caller has not
     * answered yet may be gone, and never makes a live caller's park fail.
     */
    public static boolean counts(ParkedCall call) {
        return !call.awaitingCaller();
    }
}
