package io.callpark.park;

import io.callpark.media.MediaBinding;
import io.callpark.sip.DialogLeg;

import java.util.List;

/**
 * One parked caller: the replicated record any node needs to notify about it, join it or end it.
 *
 * @param parkId     short number, unique in the tenant while parked; dialable as *88*parkId
 * @param tenant     SIP domain
 * @param extension  where it is parked
 * @param parker     who parked it
 * @param parked     who waits
 * @param parkedAt   epoch milliseconds
 * @param state      see {@link ParkState}
 * @param claimedBy  Call-ID of the retrieve that holds it while JOINING, else null
 * @param leg        the dialog with the parked caller
 * @param media      the music stream
 * @param notifyTargets URIs whose devices get park-info NOTIFYs
 */
public record ParkedCall(
        String parkId,
        String tenant,
        String extension,
        Party parker,
        Party parked,
        long parkedAt,
        ParkState state,
        String claimedBy,
        DialogLeg leg,
        MediaBinding media,
        List<String> notifyTargets) {

    public ParkedCall {
        notifyTargets = List.copyOf(notifyTargets);
    }

    public ParkedCall claimed(String retrieveCallId) {
        return new ParkedCall(parkId, tenant, extension, parker, parked, parkedAt, ParkState.JOINING,
                retrieveCallId, leg, media, notifyTargets);
    }

    public ParkedCall released() {
        return new ParkedCall(parkId, tenant, extension, parker, parked, parkedAt, ParkState.PARKED,
                null, leg, media, notifyTargets);
    }

    /** The call waiting at another extension of its tenant, told to that extension's devices. */
    public ParkedCall movedTo(String newExtension) {
        return new ParkedCall(parkId, tenant, newExtension, parker, parked, parkedAt, ParkState.PARKED, null, leg,
                media, List.of(extensionUri(newExtension, tenant)));
    }

    /** The address of a user of the tenant: whom a park-info NOTIFY about a call at that extension goes to. */
    public static String extensionUri(String extension, String tenant) {
        return "sip:" + extension + "@" + tenant;
    }

    public ParkedCall withLeg(DialogLeg newLeg) {
        return new ParkedCall(parkId, tenant, extension, parker, parked, parkedAt, state, claimedBy, newLeg,
                media, notifyTargets);
    }

    public ParkedCall withMedia(MediaBinding newMedia) {
        return new ParkedCall(parkId, tenant, extension, parker, parked, parkedAt, state, claimedBy, leg,
                newMedia, notifyTargets);
    }

    /** Key of the music stream on the playing node. */
    public String streamKey() {
        return tenant + "/" + parkId;
    }

    /** A URI that fetches exactly this call: the tenant's retrieve code, '*', the park id. */
    public String retrieveUri(String retrieveCode) {
        return "sip:" + retrieveCode + "*" + parkId + "@" + tenant;
    }

    public String callId() {
        return leg.callId();
    }

    /** One-line identity for logs. */
    public String describe() {
        return "call " + leg.callId() + " tenant " + tenant + " ext " + extension + " park " + parkId;
    }
}
