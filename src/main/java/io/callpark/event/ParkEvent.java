package io.callpark.event;

import io.callpark.park.ParkedCall;
import io.callpark.park.Party;

import java.time.Instant;
import java.util.Optional;

/**
 * Published (CDI event) after the park state changed; consumers (park-info NOTIFY, API events and webhooks)
 * subscribe.
 *
 * @param call     the call as it is after the change (for MOVED: at its new extension)
 * @param movedFrom for MOVED: the call as it was at its old extension
 * @param by       who caused it when known: the retriever of RETRIEVED, the phone that took a RECALLED call
 */
public record ParkEvent(ParkEventType type, ParkedCall call, Instant at, Optional<ParkedCall> movedFrom,
                        Optional<Party> by) {

    public static ParkEvent of(ParkEventType type, ParkedCall call) {
        return new ParkEvent(type, call, Instant.now(), Optional.empty(), Optional.empty());
    }

    public static ParkEvent retrieved(ParkedCall call, Party retriever) {
        return by(ParkEventType.RETRIEVED, call, retriever);
    }

    /** An event with the party that caused it: the retriever, the phone that took a recall. */
    public static ParkEvent by(ParkEventType type, ParkedCall call, Party party) {
        return new ParkEvent(type, call, Instant.now(), Optional.empty(), Optional.of(party));
    }

    public static ParkEvent moved(ParkedCall before, ParkedCall after) {
        return new ParkEvent(ParkEventType.MOVED, after, Instant.now(), Optional.of(before), Optional.empty());
    }
}
