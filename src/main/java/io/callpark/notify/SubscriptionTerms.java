package io.callpark.notify;

import java.util.OptionalInt;

/**
 * How long a BLF subscription (RFC 6665, the dialog event package of RFC 4235) lasts: what a SUBSCRIBE asked for
 * and what it is granted, and the Subscription-State each NOTIFY carries.
 *
 * @param minSeconds     shorter asks are refused (423 Interval Too Brief with Min-Expires): a key refreshing
 *                       every few seconds would cost a write each time
 * @param maxSeconds     longer asks are cut to this
 * @param defaultSeconds granted when the SUBSCRIBE names none (RFC 4235 3.4: one hour)
 */
public record SubscriptionTerms(int minSeconds, int maxSeconds, int defaultSeconds) {

    public static final SubscriptionTerms DIALOG_PACKAGE = new SubscriptionTerms(60, 3600, 3600);

    public SubscriptionTerms {
        if (minSeconds < 1 || minSeconds > defaultSeconds || defaultSeconds > maxSeconds) {
            throw new IllegalArgumentException("need 1 <= min <= default <= max, got " + minSeconds + "/"
                    + defaultSeconds + "/" + maxSeconds);
        }
    }

    /** What becomes of a SUBSCRIBE. */
    public sealed interface Decision permits Granted, Ended, TooBrief {
    }

    /** Active for {@code seconds} (the Expires of the 200 and of the NOTIFYs' Subscription-State). */
    public record Granted(int seconds) implements Decision {
    }

    /** Expires: 0, an unsubscribe or a fetch: one NOTIFY with the state, then {@code terminated}. */
    public record Ended() implements Decision {
    }

    /** Refused with 423 Interval Too Brief and this Min-Expires. */
    public record TooBrief(int minSeconds) implements Decision {
    }

    /** @param requested the SUBSCRIBE's Expires, if it has one */
    public Decision decide(OptionalInt requested) {
        if (requested.isEmpty()) {
            return new Granted(defaultSeconds);
        }
        int asked = requested.getAsInt();
        if (asked == 0) {
            return new Ended();
        }
        if (asked < minSeconds) {
            return new TooBrief(minSeconds);
        }
        return new Granted(Math.min(asked, maxSeconds));
    }

    /** The Subscription-State of a NOTIFY sent {@code secondsLeft} before the subscription ends. */
    public static String active(long secondsLeft) {
        return "active;expires=" + Math.max(0, secondsLeft);
    }

    /** The Subscription-State of the last NOTIFY: unsubscribed (or fetched), or expired ({@code timeout}). */
    public static String terminated(boolean expired) {
        return expired ? "terminated;reason=timeout" : "terminated";
    }
}
