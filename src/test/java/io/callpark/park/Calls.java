package io.callpark.park;

import java.util.List;

/** Parked calls for tests: plain values of the domain's records. */
public final class Calls {

    private Calls() {
    }

    /** A leg with a tag that names no call: as the release before {@link DialogTag} gave it. */
    public static DialogLeg leg(String callId) {
        return leg(callId, "ourtag-" + callId);
    }

    public static DialogLeg leg(String callId, String localTag) {
        return new DialogLeg(callId, localTag, "theirtag-" + callId, "<sip:*68103@acme.test>",
                "\"Carol\" <sip:carol@acme.test>", "sip:carol@127.0.0.5:5070;transport=udp",
                List.of("<sip:127.0.0.1:5060;lr>"), 4711, 99, 1, 0);
    }

    public static MediaBinding media(String node) {
        return new MediaBinding(node, 20000, "127.0.0.5", 40000, List.of(0, 8), 101, MediaDirection.SENDRECV);
    }

    /**
     * A call waiting at {@code extension} of acme.test, parked by 101 at {@code parkedAt}, by a node of the release
     * before {@link DialogTag} (the wire-format fixtures hold such calls).
     */
    public static ParkedCall parked(String parkId, String extension, String callId, long parkedAt) {
        return parked(parkId, extension, leg(callId), parkedAt);
    }

    /** As {@link #parked}, with the tag this release gives a parked caller's dialog. */
    public static ParkedCall parkedWithTag(String parkId, String extension, String callId, long parkedAt) {
        return parked(parkId, extension, leg(callId, DialogTag.ofParkedCall("acme.test", parkId)), parkedAt);
    }

    private static ParkedCall parked(String parkId, String extension, DialogLeg leg, long parkedAt) {
        return new ParkedCall(parkId, "acme.test", extension, new Party("sip:101@acme.test", "Alice"),
                new Party("sip:carol@acme.test", "Carol"), parkedAt, ParkState.PARKED, null, null, leg,
                media("node1"), List.of(ParkedCall.extensionUri(extension, "acme.test")),
                RecallState.at(parkedAt + 120_000, ""), false);
    }
}
