package io.callpark.flow;

import io.callpark.config.CallparkConfig;
import io.callpark.media.MusicOnHold;
import io.callpark.sip.CallLanes;
import io.callpark.sip.KamailioRpc;
import io.callpark.sip.SipEndpoint;
import io.callpark.store.BridgeStore;
import io.callpark.store.GroupStore;
import io.callpark.store.ParkStore;
import io.callpark.store.TenantStore;

import java.util.concurrent.ScheduledExecutorService;

/** The running parts of one node, built at start-up by {@code CallparkBootstrap}. */
public record CallparkNode(
        CallparkConfig config,
        SipEndpoint sip,
        CallLanes lanes,
        ScheduledExecutorService timers,
        ParkStore parks,
        BridgeStore bridges,
        TenantStore tenants,
        GroupStore ringGroups,
        GroupStore parkGroups,
        KamailioRpc kamailio,
        MusicOnHold music) {
}
