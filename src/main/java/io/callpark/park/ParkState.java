package io.callpark.park;

/**
 * Where a parked call is. PARKED -> JOINING when a retrieve claims it; JOINING -> PARKED when the join fails;
 * a call leaves the park (and the store) when it is joined or its caller goes away.
 */
public enum ParkState {
    PARKED,
    JOINING
}
