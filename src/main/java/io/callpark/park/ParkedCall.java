package io.callpark.park;

import io.callpark.park.MediaBinding;
import io.callpark.park.DialogLeg;

import java.util.List;

/**
 * One parked caller: the replicated record any node needs to notify about it, join it, recall it or end it.
 *
 * @param parkId     short number, unique in the tenant while parked; dialable as *88*parkId
 * @param tenant     SIP domain
 * @param extension  where it is parked
 * @param parker     who parked it
 * @param parked     who waits
 * @param parkedAt   epoch milliseconds
 * @param state      see {@link ParkState}
 * @param claimedBy  id of what holds it while RINGING or JOINING (a retrieve's Call-ID, a ringing's id), else null
 * @param claimedOn  the node that holds that claim (a claim of a node that died is given up), else null
 * @param leg        the dialog with the parked caller
 * @param media      the music stream
 * @param notifyTargets URIs whose devices get park-info NOTIFYs
 * @param recall     its recall: when, how often tried, the park group it was parked in
 * @param awaitingCaller adopted by a node that has re-INVITEd the caller and had no answer yet: the caller may be
 *                   gone (calls restored after a restart), so it holds no place under any limit meanwhile
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
        String claimedOn,
        DialogLeg leg,
        MediaBinding media,
        List<String> notifyTargets,
        RecallState recall,
        boolean awaitingCaller) {

    public ParkedCall {
        parkId = Shared.text(parkId); // a tenant's park ids are few, and its index holds them again
        tenant = Shared.text(tenant);
        extension = Shared.text(extension);
        claimedOn = Shared.text(claimedOn);
        notifyTargets = Shared.texts(notifyTargets);
        recall = recall == null ? RecallState.NONE : recall; // calls stored before recall existed
    }

    /** Held by {@code claimer} on {@code node} in {@code newState} (RINGING or JOINING). */
    public ParkedCall claimed(ParkState newState, String claimer, String node) {
        return new ParkedCall(parkId, tenant, extension, parker, parked, parkedAt, newState, claimer, node, leg,
                media, notifyTargets, recall, awaitingCaller);
    }

    public ParkedCall released() {
        return new ParkedCall(parkId, tenant, extension, parker, parked, parkedAt, ParkState.PARKED, null, null,
                leg, media, notifyTargets, recall, awaitingCaller);
    }

    /** The call waiting at another extension of its tenant, told to that extension's devices. */
    public ParkedCall movedTo(String newExtension) {
        return new ParkedCall(parkId, tenant, newExtension, parker, parked, parkedAt, ParkState.PARKED, null, null,
                leg, media, List.of(extensionUri(newExtension, tenant)), recall, awaitingCaller);
    }

    /** The address of a user of the tenant: whom a park-info NOTIFY about a call at that extension goes to. */
    public static String extensionUri(String extension, String tenant) {
        return "sip:" + extension + "@" + tenant;
    }

    public ParkedCall withLeg(DialogLeg newLeg) {
        return new ParkedCall(parkId, tenant, extension, parker, parked, parkedAt, state, claimedBy, claimedOn,
                newLeg, media, notifyTargets, recall, awaitingCaller);
    }

    public ParkedCall withMedia(MediaBinding newMedia) {
        return new ParkedCall(parkId, tenant, extension, parker, parked, parkedAt, state, claimedBy, claimedOn,
                leg, newMedia, notifyTargets, recall, awaitingCaller);
    }

    /** Adopted and its caller re-INVITEd ({@code true}), or heard from since ({@code false}). */
    public ParkedCall awaitingCaller(boolean awaiting) {
        return new ParkedCall(parkId, tenant, extension, parker, parked, parkedAt, state, claimedBy, claimedOn,
                leg, media, notifyTargets, recall, awaiting);
    }

    public ParkedCall withRecall(RecallState newRecall) {
        return new ParkedCall(parkId, tenant, extension, parker, parked, parkedAt, state, claimedBy, claimedOn,
                leg, media, notifyTargets, newRecall, awaitingCaller);
    }

    /** Key of the music stream on the playing node. */
    public String streamKey() {
        return streamKey(tenant, parkId);
    }

    /** Key of the music stream of the call {@code parkId} of {@code tenant} (opened before the call is stored). */
    public static String streamKey(String tenant, String parkId) {
        return Shared.text(tenant + "/" + parkId); // kept by the music stream while the call waits
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
