package io.callpark.it.probe;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.infinispan.Cache;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.UUID;

/**
 * Test-only probe (deployed by ProvisioningIT): reports, as java.util.Properties
 * text, what a deployment sees of the provisioned server: the callpark caches
 * (a deployment of its own, with plain strings: the caches take whatever a deployment marshals)
 * and the callpark.* system properties.
 */
@WebServlet("/probe")
public class ProbeServlet extends HttpServlet {

    static final String[] PROPERTIES = {
        "callpark.sip.address", "callpark.sip.port", "callpark.proxy", "callpark.rtp.ports",
        "callpark.moh.file", "callpark.park.limit", "callpark.node",
    };

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/parked-calls")
    private Cache<String, String> parkedCalls;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/call-index")
    private Cache<String, String> callIndex;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/park-ids")
    private Cache<String, String> parkIds;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/bridges")
    private Cache<String, String> bridges;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/bridge-legs")
    private Cache<String, String> bridgeLegs;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/tenants")
    private Cache<String, String> tenants;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/ring-groups")
    private Cache<String, String> ringGroups;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/park-groups")
    private Cache<String, String> parkGroups;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/webhooks")
    private Cache<String, String> webhooks;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/api-keys")
    private Cache<String, String> apiKeys;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/tenant-keys")
    private Cache<String, String> tenantKeys;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/slot-watchers")
    private Cache<String, String> slotWatchers;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/parking-lots")
    private Cache<String, String> parkingLots;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/hold-music")
    private Cache<String, String> holdMusic;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/hold-music-audio")
    private Cache<String, String> holdMusicAudio;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/park-events")
    private Cache<String, String> parkEvents;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/settings")
    private Cache<String, String> settings;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = resp.getWriter();
        report(out, "parked-calls", parkedCalls);
        report(out, "call-index", callIndex);
        report(out, "park-ids", parkIds);
        report(out, "bridges", bridges);
        report(out, "bridge-legs", bridgeLegs);
        report(out, "tenants", tenants);
        report(out, "ring-groups", ringGroups);
        report(out, "park-groups", parkGroups);
        report(out, "webhooks", webhooks);
        report(out, "api-keys", apiKeys);
        report(out, "tenant-keys", tenantKeys);
        report(out, "slot-watchers", slotWatchers);
        report(out, "parking-lots", parkingLots);
        report(out, "hold-music", holdMusic);
        report(out, "hold-music-audio", holdMusicAudio);
        report(out, "park-events", parkEvents);
        report(out, "settings", settings);
        out.println("cache.park-events.lifespan=" + parkEvents.getCacheConfiguration().expiration().lifespan());
        out.println("cache.park-events.maxCount=" + parkEvents.getCacheConfiguration().memory().maxCount());
        for (String name : PROPERTIES) {
            String value = System.getProperty(name);
            out.println(name + "=" + (value == null ? "<null>" : value));
        }
    }

    private static void report(PrintWriter out, String name, Cache<String, String> cache) {
        String key = "probe-" + UUID.randomUUID();
        String value = UUID.randomUUID().toString();
        cache.put(key, value);
        boolean roundTrip = value.equals(cache.get(key));
        cache.remove(key);
        out.println("cache." + name + ".mode=" + cache.getCacheConfiguration().clustering().cacheMode());
        out.println("cache." + name + ".roundtrip=" + roundTrip);
        out.println("cache." + name + ".container=" + cache.getCacheManager().getCacheManagerConfiguration().cacheManagerName());
        out.println("cache." + name + ".members=" + cache.getCacheManager().getMembers());
    }
}
