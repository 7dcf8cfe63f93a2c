package io.callpark.park;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Our tag in a dialog names what the dialog belongs to, so any node finds it from an in-dialog request (a BYE, a
 * re-INVITE) by the tag the request carries, and no index of Call-IDs is written:
 * <ul>
 *   <li>a parked caller's dialog names the call (tenant and park id);</li>
 *   <li>the other leg of a joined call (a retriever's, a ringing phone's) names the bridge, whose id is the
 *       parked caller's tag.</li>
 * </ul>
 * A tag is {@code <kind><base64url(name)>.<random hex>} (RFC 3261 token characters). It names a call or a bridge
 * only: a request must still match that dialog (Call-ID and both tags) to act on it.
 */
public final class DialogTag {

    /** A parked call a tag names. */
    public record ParkRef(String tenant, String parkId) {
    }

    /** Tags are half of what makes a dialog: one tag seen must tell nothing of the next (RFC 3261 19.3). */
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char PARKED = 'p';
    private static final char BRIDGED = 'b';
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private DialogTag() {
    }

    /** A new tag for a parked caller's dialog. */
    public static String ofParkedCall(String tenant, String parkId) {
        return tag(PARKED, tenant + "/" + parkId);
    }

    /** The parked call a tag names; empty for any other tag (of another kind, or made up). */
    public static Optional<ParkRef> parkedCall(String tag) {
        return name(PARKED, tag).flatMap(named -> {
            int slash = named.lastIndexOf('/');
            return slash <= 0 || slash == named.length() - 1 ? Optional.empty()
                    : Optional.of(new ParkRef(named.substring(0, slash), named.substring(slash + 1)));
        });
    }

    /** A new tag for the other leg of the bridge {@code bridgeId}. */
    public static String ofBridge(String bridgeId) {
        return tag(BRIDGED, bridgeId);
    }

    /** The bridge a tag names; empty for any other tag. */
    public static Optional<String> bridge(String tag) {
        return name(BRIDGED, tag).filter(name -> !name.isEmpty());
    }

    private static String tag(char kind, String name) {
        return kind + ENCODER.encodeToString(name.getBytes(StandardCharsets.UTF_8)) + "."
                + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    }

    private static Optional<String> name(char kind, String tag) {
        if (tag == null || tag.isEmpty() || tag.charAt(0) != kind) {
            return Optional.empty();
        }
        int dot = tag.lastIndexOf('.');
        if (dot <= 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(DECODER.decode(tag.substring(1, dot)), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
