package io.callpark.flow;

import io.callpark.sip.Transactions;
import io.callpark.sip.Requests;
import io.callpark.store.TenantStore;
import io.callpark.media.MusicOnHold;
import java.util.concurrent.ScheduledExecutorService;
import io.callpark.sip.CallLanes;
import io.callpark.park.MediaBinding;
import io.callpark.park.ParkedCall;
import io.callpark.park.DialogLeg;
import io.callpark.store.schema.CallLocator;
import io.callpark.tenant.TenantSettings;
import io.callpark.store.ParkStore;

import javax.sip.message.Response;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Adopts parked calls whose music node is gone (killed, stopped, or this node before a restart): the first
 * node to win the compare-and-set on a call opens a new stream and re-INVITEs the caller with it, so the caller
 * hears music from here and its next requests come here (our Contact). Nobody is dropped, nobody adopted twice.
 */
final class Takeover {

    private static final Logger LOG = Logger.getLogger(Takeover.class.getName());
    private static final int MAX_GLARE_RETRIES = 5;

    private final ThisNode here;
    private final Requests requests;
    private final Transactions transactions;
    private final ParkStore parks;
    private final TenantStore tenants;
    private final MusicOnHold music;
    private final CallLanes lanes;
    private final ScheduledExecutorService timers;
    private final ParkExit exit;
    private final Supplier<Set<String>> members;
    private final RecallFlow recalls;

    /** @param members names of the cluster's live nodes (this one included) */
    Takeover(ThisNode here, Requests requests, Transactions transactions, ParkStore parks, TenantStore tenants,
             MusicOnHold music, CallLanes lanes, ScheduledExecutorService timers, ParkExit exit,
             Supplier<Set<String>> members, RecallFlow recalls) {
        this.here = here;
        this.requests = requests;
        this.transactions = transactions;
        this.parks = parks;
        this.tenants = tenants;
        this.music = music;
        this.lanes = lanes;
        this.timers = timers;
        this.exit = exit;
        this.members = members;
        this.recalls = recalls;
    }

    /**
     * Before this node stops: marks the calls it plays as ownerless, so the nodes that stay adopt them (they see
     * the change) and re-INVITE their callers; nobody gets a BYE.
     */
    void handOver() {
        String me = here.name();
        for (ParkedCall call : parks.all()) {
            if (me.equals(call.media().node())) {
                MediaBinding m = call.media();
                parks.replace(call, call.withMedia(new MediaBinding("", m.localPort(), m.remoteHost(),
                        m.remotePort(), m.codecs(), m.telephoneEvent(), m.callerSends())));
            }
        }
    }

    /** Adopts every orphaned call in the cluster (after a view change or at start). */
    void adoptAll() {
        adopt(parks.all());
    }

    /**
     * Adopts the orphaned calls among these (one extension's queue after it changed), and gives up the claims of
     * nodes that are gone: a retrieve or a ringing that died with its node leaves the call waiting again.
     */
    void adopt(List<ParkedCall> calls) {
        Set<String> live = members.get();
        for (ParkedCall call : calls) {
            if (isOrphan(call, live)) {
                lanes.execute(call.callId(), () -> adopt(call));
            }
            if (call.claimedOn() != null && !live.contains(call.claimedOn())) {
                lanes.execute(call.callId(), () -> parks.release(call).ifPresent(released ->
                        LOG.info(released.describe() + ": claim " + call.claimedBy() + " of node " + call.claimedOn()
                                + " given up, the node is gone")));
            }
        }
    }

    private boolean isOrphan(ParkedCall call, Set<String> live) {
        String owner = call.media().node();
        String me = here.name();
        return !live.contains(owner) || owner.equals(me) && !music.has(call.streamKey());
    }

    private void adopt(ParkedCall seen) {
        if (music.has(seen.streamKey())) {
            return; // already ours: an earlier trigger adopted it (triggers for one call share its lane)
        }
        int port;
        try {
            TenantSettings settings = tenants.settingsOf(seen.tenant());
            port = music.open(seen.streamKey(), ParkStore.extensionKey(seen.tenant(), seen.extension()),
                    seen.tenant(), !settings.dtmfReturnKey().isEmpty());
        } catch (IOException e) {
            LOG.warning(seen.describe() + ": cannot adopt, no media port");
            return;
        }
        String me = here.name();
        MediaBinding ours = new MediaBinding(me, port, seen.media().remoteHost(), seen.media().remotePort(),
                seen.media().codecs(), seen.media().telephoneEvent(), seen.media().callerSends());
        Optional<ParkedCall> won = parks.modify(seen.tenant(), seen.extension(), seen.parkId(), stored ->
                stored.media().node().equals(seen.media().node())
                        ? stored.withMedia(ours).withLeg(stored.leg().nextCseq().nextSdpVersion())
                                .awaitingCaller(true)
                        : stored);
        if (won.isEmpty() || !won.get().media().equals(ours)) {
            music.close(seen.streamKey()); // another node adopted it, or it left the park
            LOG.info(seen.describe() + ": not adopted, " + won.map(c -> "node " + c.media().node() + " plays it")
                    .orElse("it left the park"));
            return;
        }
        LOG.info(won.get().describe() + ": adopted from node " + seen.media().node());
        recalls.schedule(won.get()); // its recall is this node's to run now
        reInvite(won.get(), 0);
    }

    private void reInvite(ParkedCall call, int attempt) {
        MediaBinding media = call.media();
        MusicReInvite.send(requests, transactions, here.address(), call.leg(), media).thenAccept(outcome -> {
            int status = outcome.status();
            if (outcome.accepted()) {
                parks.modify(call.tenant(), call.extension(), call.parkId(), stored ->
                        stored.media().equals(media) ? stored.withLeg(outcome.leg()).withMedia(outcome.media())
                                .awaitingCaller(false) : stored);
                music.play(call.streamKey(), outcome.media());
                LOG.info(call.describe() + ": caller re-INVITEd, music now from node " + here.name());
            } else if (status == Response.REQUEST_PENDING && attempt < MAX_GLARE_RETRIES) {
                timers.schedule(() -> lanes.execute(call.callId(), () -> retry(call, attempt)),
                        ThreadLocalRandom.current().nextLong(0, 2000), TimeUnit.MILLISECONDS);
            } else if (ParkExit.callerGone(status)) {
                exit.abandon(call, ParkExit.mayStillBeThere(status), "caller gone when adopted (" + status + ")");
            } else {
                // the caller kept its old media state: it still receives at its address, so play there
                parks.modify(call.tenant(), call.extension(), call.parkId(), stored ->
                        stored.media().equals(media) ? stored.awaitingCaller(false) : stored);
                music.play(call.streamKey(), media);
                LOG.warning(call.describe() + ": adoption re-INVITE answered " + status + ", music sent anyway");
            }
        });
    }

    private void retry(ParkedCall call, int attempt) {
        parks.find(new CallLocator(call.tenant(), call.extension(), call.parkId()))
                .filter(current -> current.media().equals(call.media()))
                .ifPresent(current -> {
                    DialogLeg next = current.leg().nextCseq().nextSdpVersion();
                    parks.replace(current, current.withLeg(next))
                            .ifPresent(stored -> reInvite(stored, attempt + 1));
                });
    }
}
