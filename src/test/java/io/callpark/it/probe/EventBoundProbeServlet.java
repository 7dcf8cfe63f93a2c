package io.callpark.it.probe;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.infinispan.Cache;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-only probe (deployed by ProvisioningIT): POST writes {@code n} events of about a real event's size to
 * park-events; GET reports how many entries the cache holds (one node) ({@code entries=}); DELETE empties it again.
 */
@WebServlet("/probe-events")
public class EventBoundProbeServlet extends HttpServlet {

    private static final String EVENT = "{\"type\":\"parked\",\"tenant\":\"probe.test\",\"extension\":\"103\","
            + "\"parkId\":\"71\",\"callId\":\"4f2a9c1e-77d0-4b1e-9a43-5d1c2b3a4e5f@198.51.100.7\","
            + "\"parked\":{\"uri\":\"sip:+15550100@probe.test\",\"displayName\":\"A caller\"},"
            + "\"parker\":{\"uri\":\"sip:101@probe.test\",\"displayName\":\"Desk\"}}";

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/park-events")
    private Cache<String, String> parkEvents;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int n = Integer.parseInt(req.getParameter("n"));
        Map<String, String> batch = new HashMap<>();
        for (int i = 0; i < n; i++) {
            batch.put(String.format("probe-%08d", i), EVENT);
            if (batch.size() == 200 || i == n - 1) {
                parkEvents.putAll(batch);
                batch.clear();
            }
        }
        doGet(req, resp);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().println("entries=" + parkEvents.size());
        resp.getWriter().println("maxCount=" + parkEvents.getCacheConfiguration().memory().maxCount());
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        parkEvents.clear();
        doGet(req, resp);
    }
}
