package io.callpark.event;

import java.util.Locale;

/** What happened to a parked call. Every type but PARKED means the call has left the park. */
public enum ParkEventType {
    /** The caller waits with music at an extension. */
    PARKED,
    /** Somebody retrieved it and is talking to the caller. */
    RETRIEVED,
    /** The caller hung up (or vanished) while parked. */
    ABANDONED;

    /** The name used on the wire (park-info state attribute, logs). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
