package io.callpark.park;

import java.util.List;

/** Parked calls for tests: plain values of the domain's records. */
public final class Calls {

    private Calls() {
    }

    public static DialogLeg leg(String callId) {
        return new DialogLeg(callId, "ourtag-" + callId, "theirtag-" + callId, "<sip:*68103@acme.test>",
                "\"Carol\" <sip:carol@acme.test>", "sip:carol@127.0.0.5:5070;transport=udp",
                List.of("<sip:127.0.0.1:5060;lr>"), 4711, 99, 1);
    }

    public static MediaBinding media(String node) {
        return new MediaBinding(node, 20000, "127.0.0.5", 40000, List.of(0, 8), 101, MediaDirection.SENDRECV);
    }

    /** A call waiting at {@code extension} of acme.test, parked by 101 at {@code parkedAt}. */
    public static ParkedCall parked(String parkId, String extension, String callId, long parkedAt) {
        return new ParkedCall(parkId, "acme.test", extension, new Party("sip:101@acme.test", "Alice"),
                new Party("sip:carol@acme.test", "Carol"), parkedAt, ParkState.PARKED, null, null, leg(callId),
                media("node1"), List.of(ParkedCall.extensionUri(extension, "acme.test")),
                RecallState.at(parkedAt + 120_000, ""));
    }
}
