package io.callpark.event;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What happened to a parked call. PARKED, MOVED and RECALLING mean the call waits; the others that it left. */
public enum ParkEventType {
    /** The caller waits with music at an extension. */
    PARKED,
    /** Somebody retrieved it and is talking to the caller. */
    RETRIEVED,
    /** The caller hung up (or vanished) while parked. */
    ABANDONED,
    /** The call was moved to another extension (through the API); it still waits. */
    MOVED,
    /** The call was ended through the API: the caller got a BYE. */
    HUNG_UP,
    /** Nobody retrieved it in time: phones ring to take it back (the parker, the ring group); it still waits. */
    RECALLING,
    /** A phone the recall rang answered and talks to the caller. */
    RECALLED,
    /** Nobody answered any recall: the caller was released politely. */
    EXPIRED;

    /** The name used on the wire (park-info state, API events, logs): {@code parked}, {@code hung-up}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<ParkEventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }

    /** Whether the call has left the park with this event. */
    public boolean leavesThePark() {
        return this != PARKED && this != MOVED && this != RECALLING;
    }
}
