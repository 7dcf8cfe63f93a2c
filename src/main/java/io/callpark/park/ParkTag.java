package io.callpark.park;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Our tag in a parked caller's dialog names the call (its tenant and park id): any node finds the call from an
 * in-dialog request (a BYE, a re-INVITE) by the tag the request carries, so parking writes no index of Call-IDs.
 * The tag names a call only; the request must still match that call's dialog (Call-ID and both tags) to act on it.
 */
public final class ParkTag {

    /** What a tag names. */
    public record Ref(String tenant, String parkId) {
    }

    private static final String PREFIX = "p";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private ParkTag() {
    }

    /** A new tag for the call: {@code p<base64url(tenant/parkId)>.<random hex>} (RFC 3261 token characters). */
    public static String of(String tenant, String parkId) {
        String named = ENCODER.encodeToString((tenant + "/" + parkId).getBytes(StandardCharsets.UTF_8));
        return PREFIX + named + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** The call a tag names; empty for any other tag (one of another kind, or made up). */
    public static Optional<Ref> parse(String tag) {
        if (tag == null || !tag.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = tag.lastIndexOf('.');
        if (dot <= PREFIX.length()) {
            return Optional.empty();
        }
        String named;
        try {
            named = new String(DECODER.decode(tag.substring(PREFIX.length(), dot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int slash = named.lastIndexOf('/');
        if (slash <= 0 || slash == named.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Ref(named.substring(0, slash), named.substring(slash + 1)));
    }
}
