package io.callpark.flow;

import io.callpark.park.DialogLeg;
import io.callpark.sip.SipHeaders;

import javax.sip.message.Message;

/** Dialog-leg updates that follow from a message of the other side. */
final class Legs {

    private Legs() {
    }

    /** A target refresh (RFC 3261 12.2): the Contact of a re-INVITE or its 2xx becomes the leg's remote target. */
    static DialogLeg refreshTarget(DialogLeg leg, Message message) {
        return SipHeaders.contactUri(message).map(leg::withRemoteTarget)
                .orElse(leg);
    }
}
