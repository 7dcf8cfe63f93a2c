package io.callpark.park;

import java.util.Locale;

/** SDP stream direction (RFC 3264 6.1), as seen by the side that wrote it. */
public enum MediaDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** The direction an answer takes for an offer with this direction. */
    public MediaDirection answer() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** Whether the side that wrote this direction sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MediaDirection parse(String attribute) {
        return valueOf(attribute.toUpperCase(Locale.ROOT));
    }
}
