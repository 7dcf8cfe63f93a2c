package io.callpark.park;

/**
 * A BLF key watching a park slot: one subscription to the dialog event package (RFC 6665, RFC 4235), kept in the
 * replicated subscriber lists so that any node can notify it and neither a node's death nor a restart loses it.
 *
 * @param dialog      the subscription's dialog; its {@code localCseq} is the CSeq of the last NOTIFY sent
 * @param entity      the URI the key watches (the SUBSCRIBE's Request-URI), the document's {@code entity}
 * @param eventId     the {@code id} of the SUBSCRIBE's Event header ("" when none), repeated in every NOTIFY
 * @param user        whose key it is (user@tenant, as the proxy authenticated it)
 * @param version     the version of the last document sent (RFC 4235 4.1: 0 first, one more each time)
 * @param expiresAtMs when the subscription ends unless it is refreshed (epoch milliseconds)
 */
public record Watcher(DialogLeg dialog, String entity, String eventId, String user, long version,
                      long expiresAtMs) {

    public Watcher {
        entity = Shared.text(entity); // many keys watch the same slot
    }

    /** Whether a request with this Call-ID, our tag and the watcher's tag belongs to this subscription. */
    public boolean isDialogOf(String callId, String localTag, String remoteTag) {
        return dialog.isDialogOf(callId, localTag, remoteTag);
    }

    /** The watcher as it is once one more NOTIFY is sent to it: the next CSeq, the next document version. */
    public Watcher next() {
        return new Watcher(dialog.nextCseq(), entity, eventId, user, version + 1, expiresAtMs);
    }

    /**
     * The watcher after its refresh SUBSCRIBE {@code cseq}, which runs it until {@code expiresAt} and names
     * {@code target} as its Contact (a target refresh, RFC 6665 4.1.2.1).
     */
    public Watcher refreshed(long expiresAt, long cseq, String target) {
        return new Watcher(dialog.refreshedBy(target, cseq), entity, eventId, user, version, expiresAt);
    }

    public boolean hasExpired(long nowMs) {
        return nowMs >= expiresAtMs;
    }

    /** Seconds left at {@code nowMs} (the Expires the watcher is told), never less than 0. */
    public long secondsLeft(long nowMs) {
        return Math.max(0, (expiresAtMs - nowMs + 999) / 1000);
    }
}
