package io.callpark.flow;

import io.callpark.sip.Identity;

import io.callpark.sip.Requests;
import io.callpark.sip.Responder;
import io.callpark.sip.SipHeaders;
import io.callpark.store.TenantStore;
import io.callpark.media.HoldMusic;
import io.callpark.media.MusicOnHold;
import io.callpark.media.Prompts;
import io.callpark.sip.KamailioRpc;
import io.callpark.store.GroupStore;
import io.callpark.store.LotStore;
import io.callpark.event.ParkEvent;
import io.callpark.event.ParkEventType;
import io.callpark.park.AudioOffer;
import io.callpark.park.MediaBinding;
import io.callpark.media.SdpCodec;
import io.callpark.park.FeatureRequest;
import io.callpark.park.ParkState;
import io.callpark.park.DialogTag;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import io.callpark.park.DialogLeg;
import io.callpark.sip.InboundRequest;
import io.callpark.recall.GroupParkChoice;
import io.callpark.store.ParkStore.AddResult;
import io.callpark.tenant.Group;
import io.callpark.store.ParkStore;
import io.callpark.tenant.ParkingLot;
import io.callpark.tenant.TenantSettings;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Parks a caller: *68ext (or *68 at the parker's own extension), reached by blind transfer (the parker is the
 * user whose REFER Kamailio saw, {@link Identity#parker}) or dialled directly (the caller parks itself). The
 * parker must be a user of the tenant, the extension one Kamailio vouches exists. Answers with music on hold and
 * publishes PARKED, which makes the park-info NOTIFYs go out. A parker who dials the code itself hears where its
 * call waits first: that is how an attended transfer parks (RFC 3891: the caller's INVITE with Replaces then takes
 * the parker's place, {@link #takePlaceOf}).
 */
final class ParkFlow {

    private static final Logger LOG = Logger.getLogger(ParkFlow.class.getName());
    private static final int PARK_ID_ATTEMPTS = 32;
    /** A parked call waits for minutes: a caller told to come back should not come back at once. */
    private static final int RETRY_AFTER_SECONDS = 30;

    private final ThisNode here;
    private final Responder responder;
    private final ParkStore parks;
    private final TenantStore tenants;
    private final GroupStore parkGroups;
    private final KamailioRpc kamailio;
    private final MusicOnHold music;
    private final Consumer<ParkEvent> events;
    private final Prompts prompts;
    private final LotStore lots;
    private final ParkExit exit;
    private final RecallFlow recalls;

    ParkFlow(ThisNode here, Responder responder, ParkStore parks, TenantStore tenants, GroupStore parkGroups,
             LotStore lots, KamailioRpc kamailio, MusicOnHold music, Prompts prompts, Consumer<ParkEvent> events,
             ParkExit exit, RecallFlow recalls) {
        this.here = here;
        this.responder = responder;
        this.parks = parks;
        this.tenants = tenants;
        this.parkGroups = parkGroups;
        this.kamailio = kamailio;
        this.music = music;
        this.events = events;
        this.prompts = prompts;
        this.lots = lots;
        this.exit = exit;
        this.recalls = recalls;
    }

    void park(InboundRequest in, FeatureRequest.Park wanted) {
        Request request = in.request();
        String tenant = Identity.tenantOf(request);
        Party caller = Identity.caller(request);
        Party parker = Identity.parker(request);
        Optional<String> own = Identity.parkerIn(request, tenant);
        if (own.isEmpty()) {
            responder.respond(in, Response.FORBIDDEN, "Forbidden: not your tenant", "the parker (the caller, or"
                    + " the user whose REFER sent the caller) is not a user of " + tenant);
            return;
        }
        if (wanted.extension().isPresent() && !Identity.subscribers(request).contains(wanted.extension().get())) {
            responder.respond(in, Response.NOT_FOUND, "Extension Not Found",
                    wanted.extension().get() + " is no user of " + tenant);
            return;
        }
        String extension = wanted.extension().orElse(own.get());
        parkAt(in, new Place(tenant, extension, List.of(ParkedCall.extensionUri(extension, tenant)), parker, caller,
                tenants.settingsOf(tenant).callsPerExtension()), Optional.empty());
    }

    /**
     * Parks in a slot of a parking lot ({@code slot}), or in its first free slot (empty): one call a slot. The
     * parker's devices are told where the call went.
     */
    void parkInLot(InboundRequest in, ParkingLot lot, Optional<String> slot) {
        Request request = in.request();
        String tenant = Identity.tenantOf(request);
        Party parker = Identity.parker(request);
        if (Identity.parkerIn(request, tenant).isEmpty()) {
            responder.respond(in, Response.FORBIDDEN, "Forbidden: not your tenant", "the parker (the caller, or"
                    + " the user whose REFER sent the caller) is not a user of " + tenant);
            return;
        }
        Optional<String> at = slot.or(() -> lot.firstFree(s -> !parks.callsAt(tenant, s).isEmpty()));
        if (at.isEmpty()) {
            LOG.info("call " + in.callId() + " tenant " + tenant + ": refused, parking lot " + lot.name() + " is full");
            responder.respond(in, Response.BUSY_HERE, "Busy Here: every slot of " + lot.name() + " is taken",
                    "parking lot " + lot.name() + " (" + lot.first() + "-" + lot.last() + ") is full");
            return;
        }
        parkAt(in, new Place(tenant, at.get(), List.of(parker.uri()), parker, Identity.caller(request), 1),
                Optional.empty());
    }

    /**
     * An attended transfer completes (RFC 3891): the caller's INVITE with Replaces names the call the parker made to
     * the park code, and the caller takes its place, slot and parker. Only a parker's own call is replaced (never a
     * waiting caller's), by a user or a trusted trunk of its tenant and, when Kamailio saw the REFER, on that parker's
     * word.
     */
    void takePlaceOf(InboundRequest in, SipHeaders.DialogIds replaces) {
        Request request = in.request();
        Optional<ParkedCall> held = parks.byDialog(replaces.callId(), replaces.toTag(), replaces.fromTag())
                .or(() -> parks.byDialog(replaces.callId(), replaces.fromTag(), replaces.toTag()));
        if (held.isEmpty()) {
            responder.respond(in, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    "Call/Transaction Does Not Exist: no parked call to replace");
            return;
        }
        ParkedCall placeholder = held.get();
        String tenant = placeholder.tenant();
        Party caller = Identity.caller(request);
        String refusal = !placeholder.parked().uri().equals(placeholder.parker().uri())
                ? "only a parker's own call is replaced"
                : Identity.callerIn(request, tenant).isEmpty()
                        && !Identity.trunkTenant(request).equals(Optional.of(tenant)) ? "not your tenant"
                : Identity.isReferred(request) && !Identity.parker(request).uri().equals(placeholder.parker().uri())
                ? "the transfer is not the parker's" : null;
        if (refusal != null) {
            LOG.info(placeholder.describe() + ": INVITE " + in.callId() + " from " + caller.uri()
                    + " may not replace it: " + refusal);
            responder.respond(in, Response.FORBIDDEN, "Forbidden: " + refusal);
            return;
        }
        LOG.info(placeholder.describe() + ": the attended transfer brings " + caller.uri() + " (call " + in.callId()
                + ") in its place");
        int limit = lots.answering(tenant, placeholder.extension()).isPresent() ? 1
                : tenants.settingsOf(tenant).callsPerExtension();
        parkAt(in, new Place(tenant, placeholder.extension(), placeholder.notifyTargets(), placeholder.parker(),
                caller, limit), Optional.of(placeholder));
    }

    /**
     * *58: parks the call with the parker's park group, at its first available member in member order (registered
     * and in no call, as Kamailio knows), and tells every member's devices.
     */
    void groupPark(InboundRequest in) {
        Request request = in.request();
        String tenant = Identity.tenantOf(request);
        Party caller = Identity.caller(request);
        Party parker = Identity.parker(request);
        Optional<Group> group = Identity.parkerIn(request, tenant).flatMap(e -> parkGroups.of(tenant, e));
        if (group.isEmpty()) {
            String why = parker.uri() + " is in no park group of " + tenant;
            responder.respond(in, Response.FORBIDDEN, "Forbidden: " + why, why);
            return;
        }
        List<String> members = group.get().members();
        String extension = GroupParkChoice.extensionFor(members, m -> available(m + "@" + tenant));
        LOG.info("call " + in.callId() + " tenant " + tenant + ": group park with " + group.get().name() + " at "
                + extension + " of " + members);
        parkAt(in, new Place(tenant, extension, members.stream().map(m -> ParkedCall.extensionUri(m, tenant))
                .toList(), parker, caller, tenants.settingsOf(tenant).callsPerExtension()), Optional.empty());
    }

    /** Registered and in no call; when Kamailio cannot tell, taken as available. */
    private boolean available(String aor) {
        return kamailio.registered(aor).orElse(true) && !kamailio.busy(aor).orElse(false);
    }

    /**
     * Where and for whom a call parks.
     *
     * @param limit the calls that may wait at the extension (a lot's slot: one)
     */
    private record Place(String tenant, String extension, List<String> notifyTargets, Party parker, Party caller,
                         int limit) {
    }

    /**
     * Parks the caller at the place once every check passed: capacity, limits, its SDP, a park id. With
     * {@code replacing}, the parker's own call that an attended transfer replaces ends only then, so a park that
     * cannot be made leaves it waiting.
     */
    private void parkAt(InboundRequest in, Place place, Optional<ParkedCall> replacing) {
        String tenant = place.tenant();
        String extension = place.extension();
        if (music.streamCount() >= here.mediaCapacity()) {
            LOG.info("call " + in.callId() + " tenant " + tenant + " extension " + extension + ": sent elsewhere, "
                    + "this node plays music to " + here.mediaCapacity() + " calls, its capacity");
            responder.unavailable(in, "this node's media capacity is reached", RETRY_AFTER_SECONDS);
            return;
        }
        TenantSettings settings = tenants.settingsOf(tenant);
        List<ParkedCall> counted = parks.ofTenant(tenant, Optional.empty()).stream()
                .filter(c -> replacing.map(r -> !r.parkId().equals(c.parkId())).orElse(true)).toList();
        Optional<String> overLimit = settings.limits().refusal(counted, place.parker());
        if (overLimit.isPresent()) {
            // the reason names no user and no figure: the caller may be outside the tenant (a transferee)
            LOG.info("call " + in.callId() + " tenant " + tenant + " extension " + extension + ": refused, "
                    + overLimit.get());
            responder.respond(in, Response.BUSY_HERE, "Busy Here: too many calls parked",
                    "a limit of parked calls of the parker or the tenant is reached");
            return;
        }
        Optional<AudioOffer> offer = RequiredOffer.of(responder, in, (sdp, source) -> SdpCodec.parse(sdp)
                .sentFrom(source)); // music goes where the caller's signalling came from
        if (offer.isEmpty()) {
            return;
        }
        Optional<String> parkId = reserveParkId(tenant, extension);
        if (parkId.isEmpty()) {
            responder.unavailable(in, "no free park id", RETRY_AFTER_SECONDS);
            return;
        }
        if (replacing.isPresent() && exit.replaced(replacing.get()).isEmpty()) {
            parks.freeParkId(tenant, parkId.get());
            responder.respond(in, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    "Call/Transaction Does Not Exist: the parked call is being retrieved or has left");
            return;
        }
        // a parker on the line (it dialled the code itself) hears where the call waits; a replacing caller does not
        boolean announce = replacing.isEmpty() && !Identity.isReferred(in.request());
        admit(in, settings, place, parkId.get(), offer.get(), announce);
    }

    private void admit(InboundRequest in, TenantSettings settings, Place place, String parkId, AudioOffer offer,
                       boolean announce) {
        Request request = in.request();
        String tenant = place.tenant();
        String extension = place.extension();
        Party parker = place.parker();
        Party caller = place.caller();
        int limit = place.limit();
        String streamKey = ParkedCall.streamKey(tenant, parkId);
        int port;
        try {
            Optional<HoldMusic> announcement = announce ? Optional.of(prompts.parkedAt(tenant, extension))
                    : Optional.empty();
            port = music.open(streamKey, ParkStore.extensionKey(tenant, extension), tenant,
                    !settings.dtmfReturnKey().isEmpty(), announcement);
        } catch (IOException e) {
            parks.freeParkId(tenant, parkId);
            responder.unavailable(in, "no free media port", RETRY_AFTER_SECONDS);
            return;
        }
        DialogLeg leg = Requests.uasLeg(request, DialogTag.ofParkedCall(tenant, parkId));
        MediaBinding media = MediaBinding.of(here.name(), port, offer);
        long now = System.currentTimeMillis();
        ParkedCall call = new ParkedCall(parkId, tenant, extension, parker, caller, now, ParkState.PARKED, null, null,
                leg, media, place.notifyTargets(), recalls.firstRecall(tenant, extension, now), false);
        AddResult added;
        try {
            added = parks.add(call, limit);
        } catch (RuntimeException e) {
            LOG.severe(call.describe() + ": not parked, the store failed: " + e);
            LOG.log(Level.FINE, call.describe() + ": store failure", e);
            undo(call);
            responder.unavailable(in, "the park store failed", RETRY_AFTER_SECONDS); // another node may not
            return;
        }
        if (added != AddResult.ADDED) {
            music.close(streamKey);
            parks.freeParkId(tenant, parkId);
            if (added == AddResult.FULL) {
                String why = limit == 1 ? "a call waits at " + extension + " already"
                        : limit + " calls already parked at " + extension;
                LOG.info(call.describe() + ": refused, " + why);
                responder.respond(in, Response.BUSY_HERE, "Busy Here: " + why, why);
            } else if (!isRetransmission(in, tenant, extension)) {
                // this Call-ID waits at the extension already, parked by another INVITE (a node the proxy gave
                // up on, a park that failed half-way): this one still gets a final answer
                LOG.warning(call.describe() + ": refused, its Call-ID is parked there already");
                responder.respond(in, Response.SERVER_INTERNAL_ERROR, "Server Internal Error: this call is parked"
                        + " already");
            }
            return;
        }
        String answer = SdpCodec.musicSdp(here.address(), port, media, offer.direction().answer(),
                leg.sdpSessionId(), leg.sdpVersion());
        responder.answer(in, leg, answer,
                () -> exit.abandon(call, true, "no ACK for our 200 OK (RFC 3261 13.3.1.4)"));
        music.play(streamKey, media);
        recalls.schedule(call);
        LOG.info(call.describe() + ": parked by " + parker.uri() + ", caller " + caller.uri());
        events.accept(ParkEvent.of(ParkEventType.PARKED, call));
    }

    /**
     * The same INVITE again (its From tag and CSeq), after its server transaction ended: the 200 we retransmit
     * until the ACK answers it (RFC 3261 13.3.1.4).
     */
    private boolean isRetransmission(InboundRequest in, String tenant, String extension) {
        return parks.callsAt(tenant, extension).stream().anyMatch(c -> c.callId().equals(in.callId())
                && c.leg().remoteTag().equals(in.fromTag()) && c.leg().remoteCseq() == in.cseq());
    }

    /**
     * A park that failed half-way leaves nothing: no music stream, no stored call (the write may have been made),
     * no park id.
     */
    private void undo(ParkedCall call) {
        music.close(call.streamKey());
        try {
            parks.remove(call.tenant(), call.extension(), call.parkId());
            parks.freeParkId(call.tenant(), call.parkId());
        } catch (RuntimeException e) {
            // a stored call without music here is adopted by a node and re-INVITEd: its caller answers 481
            LOG.warning(call.describe() + ": not cleaned up, the store failed again: " + e.getMessage());
        }
    }

    private Optional<String> reserveParkId(String tenant, String extension) {
        for (int i = 0; i < PARK_ID_ATTEMPTS; i++) {
            String id = String.valueOf(ThreadLocalRandom.current().nextInt(100_000, 1_000_000));
            if (parks.reserveParkId(tenant, id, extension)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }


}
