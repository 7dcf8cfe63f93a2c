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
 * and the callpark.* system properties.
 */
@WebServlet("/probe")
public class ProbeServlet extends HttpServlet {

    static final String[] PROPERTIES = {
        "callpark.sip.address", "callpark.sip.port", "callpark.proxy", "callpark.rtp.ports",
        "callpark.moh.file", "callpark.park.limit", "callpark.node",
    };

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/parked")
    private Cache<String, String> parked;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/index")
    private Cache<String, String> index;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/dialogs")
    private Cache<String, String> dialogs;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/settings")
    private Cache<String, String> settings;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/events")
    private Cache<String, String> events;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = resp.getWriter();
        report(out, "parked", parked);
        report(out, "index", index);
        report(out, "dialogs", dialogs);
        report(out, "settings", settings);
        report(out, "events", events);
        out.println("cache.events.lifespan=" + events.getCacheConfiguration().expiration().lifespan());
        out.println("cache.events.maxCount=" + events.getCacheConfiguration().memory().maxCount());
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
