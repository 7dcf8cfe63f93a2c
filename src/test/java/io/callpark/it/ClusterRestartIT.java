package io.callpark.it;

import io.callpark.testing.BlfKey;
import io.callpark.testing.LaunchedCluster;
import io.callpark.testing.SseClient;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import org.junit.jupiter.api.Test;

import javax.sip.message.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3: the whole cluster stops and starts again while Kamailio stays up. Parked calls come back from the
 * persisted state: the callers still there are re-INVITEd, hear music again and are retrieved oldest first; a
 * caller who hung up meanwhile (481) and one whose phone is gone (no answer) are cleaned up, and the devices of
 * the park extension are told. Tenant settings and groups are replicated at once and survive the restart too
 * (issue 4), and either node's event stream carries the events of both.
 */
class ClusterRestartIT {

    private static final String TENANT = "restart.test";
    private static final String PW = "pw";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void parkedCallsSurviveAFullClusterRestart() throws Exception {
        try (LaunchedCluster cluster = LaunchedCluster.up(2)) {
            for (String user : new String[] {"103", "r1", "r2", "r3", "r4", "r5"}) {
                cluster.ok(30, "subscriber", "add", user + "@" + TENANT, PW);
            }
            String tenant = "/tenants/" + TENANT;
            assertEquals(201, cluster.api(1).put(tenant, "{\"callsPerExtension\": 7, \"recallTime\": 600}").status());
            assertEquals(7, cluster.api(2).get(tenant).json().path("settings").path("callsPerExtension").asInt(),
                    "a setting made through node 1 is read on node 2");
            assertEquals(201, cluster.api(2).post(tenant + "/park-groups", "{\"name\": \"desk\", \"members\":"
                    + " [\"103\"]}").status());
            assertEquals(200, cluster.api(1).get(tenant + "/park-groups/desk").status());
            List<TestPhone> phones = new ArrayList<>();
            try (TestPhone ext103 = cluster.phone("103", TENANT, PW, "127.0.3.100");
                 BlfKey key = new BlfKey("103", TENANT, PW, "127.0.3.101", "127.0.0.1", cluster.kamailioPort);
                 SseClient node2Events = SseClient.open(cluster.apiBase(2) + tenant + "/events",
                         cluster.operatorKey(), Optional.empty())) {
                List<Call> calls = new ArrayList<>();
                for (int i = 1; i <= 4; i++) {
                    cluster.routeTo(i <= 2 ? 1 : 2); // two calls parked through each node
                    TestPhone caller = cluster.phone("r" + i, TENANT, PW, "127.0.3." + i);
                    phones.add(caller);
                    Call call = caller.call("sip:*68103@" + TENANT);
                    assertEquals(200, call.status(), "r" + i + " parked");
                    assertTrue(caller.rtp().awaitMore(5, WAIT), "r" + i + " hears music");
                    calls.add(call);
                }
                cluster.routeToAll();
                assertTrue(cluster.awaitParkedCalls(1, 4, WAIT) && cluster.awaitParkedCalls(2, 4, WAIT));
                // r5 parks and hangs up before the stop: its removal is in the stores, whose indexes the nodes
                // rebuild from their data at start (./callpark), and it must not come back
                TestPhone gone = cluster.phone("r5", TENANT, PW, "127.0.3.5");
                phones.add(gone);
                Call goneCall = gone.call("sip:*68103@" + TENANT);
                assertEquals(200, goneCall.status(), "r5 parked");
                assertTrue(cluster.awaitParkedCalls(1, 5, WAIT) && cluster.awaitParkedCalls(2, 5, WAIT));
                assertEquals(200, goneCall.bye().getStatusCode(), "r5 hangs up");
                assertTrue(cluster.awaitParkedCalls(1, 4, WAIT) && cluster.awaitParkedCalls(2, 4, WAIT));
                assertTrue(ext103.awaitNotify(b -> abandoned(b, "r5"), WAIT).isPresent(), "103 is told r5 has gone");
                List<String> parkIds = new ArrayList<>();
                for (int i = 1; i <= 4; i++) {
                    String who = "sip:r" + i + "@" + TENANT;
                    parkIds.add(node2Events.await(e -> e.name().equals("parked")
                                    && e.json().path("parked").path("uri").asText().equals(who), WAIT)
                            .orElseThrow(() -> new AssertionError("node 2's event stream carries the park of " + who
                                    + ", wherever it was parked"))
                            .json().path("parkId").asText());
                }

                // issue 11: a BLF key watches 103 through the restart (subscribed for an hour)
                assertEquals(200, key.subscribe("sip:*88103@" + TENANT, 3600).getStatusCode());
                BlfKey.Notify fourWaiting = key.awaitNotify(n -> dialogs(n) == 4, WAIT)
                        .orElseThrow(() -> new AssertionError("the key shows the four calls: " + key.allNotifies()));
                int notifiesBeforeStop = ext103.allNotifies().size();
                cluster.ok(120, "node", "stop", "all");
                TestPhone stayed1 = phones.get(0);
                TestPhone stayed2 = phones.get(1);
                assertTrue(stayed1.rtp().awaitSilence(Duration.ofSeconds(1), WAIT), "no music while the cluster is down");

                // while no node runs: r3 hangs up (its BYE reaches no node), r4's phone goes away altogether
                assertNotEquals(200, calls.get(2).bye().getStatusCode(), "no node there to answer r3's BYE");
                phones.get(3).close();
                int[] rtpBefore = {stayed1.rtp().count(), stayed2.rtp().count()};
                long[] invitesBefore = {invites(calls.get(0)), invites(calls.get(1))};

                String started = cluster.ok(300, "node", "start", "all");
                assertTrue(started.contains("starts first"), "the node that stopped last starts alone first:\n" + started);

                for (int i = 0; i < 2; i++) {
                    TestPhone caller = phones.get(i);
                    Call call = calls.get(i);
                    assertTrue(call.awaitReceived(Request.INVITE, (int) invitesBefore[i] + 1, Duration.ofSeconds(30))
                            .isPresent(), caller.user + " is re-INVITEd after the restart");
                    assertTrue(caller.rtp().awaitMore(25, Duration.ofSeconds(30)) && caller.rtp().count() > rtpBefore[i],
                            caller.user + " hears music again");
                    assertFalse(call.isEnded(), caller.user + " got no BYE");
                }
                assertTrue(ext103.awaitNotify(b -> abandoned(b, "r3"), Duration.ofSeconds(30)).isPresent(),
                        "103 is told r3 (481 to the re-INVITE) has gone");
                assertTrue(ext103.awaitNotify(b -> abandoned(b, "r4"), Duration.ofSeconds(45)).isPresent(),
                        "103 is told r4 (no answer to the re-INVITE) has gone");
                assertTrue(cluster.awaitParkedCalls(1, 2, WAIT) && cluster.awaitParkedCalls(2, 2, WAIT),
                        "both nodes hold exactly the two callers still there");
                // a call restored by mistake would be re-INVITEd with r3's and r4's and, answered 481, reported gone
                assertFalse(ext103.allNotifies().stream().skip(notifiesBeforeStop).map(TestPhone::body)
                        .anyMatch(b -> b.contains("sip:r5@" + TENANT)), "r5, who hung up before the stop, stays gone");

                BlfKey.Notify twoWaiting = key.awaitNotify(n -> dialogs(n) == 2, Duration.ofSeconds(30))
                        .orElseThrow(() -> new AssertionError("the restarted cluster keeps telling the key: "
                                + key.allNotifies()));
                assertTrue(twoWaiting.version() > fourWaiting.version() && twoWaiting.cseq() > fourWaiting.cseq(),
                        "in the same subscription");
                assertTrue(twoWaiting.body().contains("sip:r1@" + TENANT) && twoWaiting.body().contains("sip:r2@"
                        + TENANT), twoWaiting.body());

                assertTrue(cluster.awaitDispatcherFlags('A', Duration.ofSeconds(30)), "both nodes active again");
                assertEquals(200, key.refresh(3600).getStatusCode(), "the subscription survived the restart");
                for (int i = 0; i < 2; i++) {
                    // the park-id index lives in memory only: the first node rebuilt it from the parked calls
                    assertEquals(200, cluster.api(2).get(tenant + "/parked/" + parkIds.get(i)).status(),
                            "r" + (i + 1) + " is found by its park id after the restart");
                }
                assertEquals(7, cluster.api(2).get(tenant).json().path("settings").path("callsPerExtension").asInt(),
                        "the tenant's settings survived the restart");
                assertEquals(600, cluster.api(1).get(tenant).json().path("settings").path("recallTime").asInt());
                assertEquals("103", cluster.api(1).get(tenant + "/park-groups/desk").json().path("members").get(0)
                        .asText(), "and its park group");
                for (int i = 0; i < 2; i++) {
                    Call parked = calls.get(i);
                    long invited = invites(parked);
                    Call retrieve = ext103.call("sip:*88@" + TENANT);
                    assertEquals(200, retrieve.status(), "103 retrieves a restored call");
                    assertTrue(parked.awaitReceived(Request.INVITE, (int) invited + 1, WAIT).isPresent(),
                            phones.get(i).user + " (oldest first) is joined with 103");
                    assertEquals(200, retrieve.bye().getStatusCode());
                    assertTrue(parked.awaitEnded(WAIT), phones.get(i).user + " gets the BYE of 103's hang-up");
                }
                assertTrue(cluster.awaitParkedCalls(1, 0, WAIT) && cluster.awaitParkedCalls(2, 0, WAIT));
            } finally {
                phones.forEach(TestPhone::close);
            }
        }
    }

    private static long invites(Call call) {
        return call.received().stream().filter(r -> r.getMethod().equals(Request.INVITE)).count();
    }

    private static long dialogs(BlfKey.Notify notify) {
        return notify.body().split("<dialog ", -1).length - 1;
    }

    private static boolean abandoned(String body, String user) {
        return body.contains("state=\"abandoned\"") && body.contains("sip:" + user + "@" + TENANT);
    }
}
