package io.callpark.park;

/**
 * Where a parked call is. PARKED -> RINGING while phones ring to take it (one-click retrieval, recall): a retrieve
 * may still take it then. PARKED or RINGING -> JOINING when a retrieve claims it, or a ringing phone answers;
 * RINGING or JOINING -> PARKED when that fails or nobody answers. A call leaves the park (and the store) when it
 * is joined or its caller goes away.
 */
public enum ParkState {
    PARKED,
    RINGING,
    JOINING;

    /** Whether a retrieve may take the call now. */
    public boolean retrievable() {
        return this != JOINING;
    }
}
