package io.callpark.park;

import io.callpark.park.DialogLeg;

/**
 * A retrieved call: the parked caller's leg joined with the retriever's leg. The app stays in the signalling
 * path (BYE and re-INVITE pass through it); media flows directly between the two phones.
 *
 * @param id        bridge id
 * @param tenant    SIP domain
 * @param parked    the leg to the caller who was parked
 * @param retriever the leg to the phone that retrieved it
 */
public record Bridge(String id, String tenant, DialogLeg parked, DialogLeg retriever) {

    public DialogLeg leg(String callId) {
        return parked.callId().equals(callId) ? parked : retriever;
    }

    public DialogLeg otherLeg(String callId) {
        return parked.callId().equals(callId) ? retriever : parked;
    }

    public Bridge withLeg(DialogLeg leg) {
        return parked.callId().equals(leg.callId())
                ? new Bridge(id, tenant, leg, retriever)
                : new Bridge(id, tenant, parked, leg);
    }

    public String describe() {
        return "bridge " + id + " tenant " + tenant + " calls " + parked.callId() + " + " + retriever.callId();
    }
}
