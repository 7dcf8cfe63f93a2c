package io.callpark.it;

import io.callpark.testing.LaunchedCluster;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import org.junit.jupiter.api.Test;

import javax.sip.message.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3: a node stopped gracefully hands its parked calls to the other node without a BYE to any caller, and a
 * rolling restart of both nodes (`./callpark node stop|start K`) loses none.
 */
class ClusterHandOverIT {

    private static final String TENANT = "handover.test";
    private static final String PW = "pw";
    private static final int CALLERS = 5;
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void gracefulStopsAndARollingRestartLoseNoCall() throws Exception {
        try (LaunchedCluster cluster = LaunchedCluster.up(2)) {
            handOver(cluster);
        }
    }

    private static void assertMusicFrom(LaunchedCluster cluster, List<TestPhone> phones, int node, String when) {
        for (TestPhone phone : phones) {
            assertTrue(cluster.awaitMusicFrom(phone, node, Duration.ofSeconds(30)),
                    phone.user + " hears music from node " + node + " after " + when);
        }
    }

    private void handOver(LaunchedCluster cluster) throws Exception {
        List<TestPhone> phones = new ArrayList<>();
        try {
            cluster.ok(30, "subscriber", "add", "103@" + TENANT, PW);
            for (int i = 1; i <= CALLERS; i++) {
                cluster.ok(30, "subscriber", "add", "h" + i + "@" + TENANT, PW);
            }
            cluster.routeTo(1);
            List<Call> calls = new ArrayList<>();
            for (int i = 1; i <= CALLERS; i++) {
                TestPhone phone = cluster.phone("h" + i, TENANT, PW, "127.0.2." + i);
                phones.add(phone);
                Call call = phone.call("sip:*68103@" + TENANT);
                assertEquals(200, call.status());
                calls.add(call);
                assertTrue(phone.rtp().awaitMore(5, WAIT));
            }
            cluster.routeToAll();

            cluster.stop(1);
            assertMusicFrom(cluster, phones, 2, "node 1 stopped");
            for (Call call : calls) {
                assertFalse(call.received().stream().anyMatch(r -> r.getMethod().equals(Request.BYE)),
                        "no caller got a BYE");
                assertEquals(1, call.received().stream().filter(r -> r.getMethod().equals(Request.INVITE)).count(),
                        "each caller re-INVITEd once by node 2");
            }
            assertTrue(cluster.awaitParkedCalls(2, CALLERS, WAIT), "every call still parked");
            try (TestPhone ext103 = cluster.phone("103", TENANT, PW, "127.0.2.100")) {
                // node 1's persisted copy still holds this call: it must not come back when node 1 rejoins
                Call retrieve = ext103.call("sip:*88@" + TENANT);
                assertEquals(200, retrieve.status(), "a handed-over call is retrieved while node 1 is down");
                assertEquals(200, retrieve.bye().getStatusCode());
                assertTrue(calls.get(0).awaitEnded(WAIT));
            }
            int left = CALLERS - 1;
            List<TestPhone> waiting = phones.subList(1, CALLERS);
            assertTrue(cluster.awaitParkedCalls(2, left, WAIT));

            cluster.start(1);
            assertTrue(cluster.awaitParkedCalls(1, left, WAIT),
                    "the restarted node 1 received the state, without the call retrieved while it was down");
            cluster.stop(2);
            assertMusicFrom(cluster, waiting, 1, "node 2 stopped, node 1 took the calls back");
            assertTrue(cluster.awaitParkedCalls(1, left, WAIT), "every call still parked after the rolling restart");
            cluster.start(2);
            assertTrue(cluster.awaitParkedCalls(2, left, WAIT), "node 2 is back with the state");
            for (Call call : calls.subList(1, CALLERS)) {
                assertFalse(call.received().stream().anyMatch(r -> r.getMethod().equals(Request.BYE)),
                        "no caller got a BYE during the rolling restart");
            }
            try (TestPhone ext103 = cluster.phone("103", TENANT, PW, "127.0.2.100")) {
                cluster.routeTo(1);
                Call retrieve = ext103.call("sip:*88@" + TENANT);
                assertEquals(200, retrieve.status(), "a handed-over call is retrieved");
                retrieve.bye();
            }
            for (Call call : calls.subList(2, CALLERS)) {
                assertEquals(200, call.bye().getStatusCode());
            }
        } finally {
            phones.forEach(TestPhone::close); // while Kamailio still answers their unREGISTER
        }
    }
}
