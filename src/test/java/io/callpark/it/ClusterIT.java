package io.callpark.it;

import io.callpark.testing.ApiClient;
import io.callpark.testing.BlfKey;
import io.callpark.testing.LaunchedCluster;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import io.callpark.testing.Wait;
import io.callpark.testing.Wavs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.sip.message.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 3: two nodes started by `./callpark up --nodes 2`, one replicated truth. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {


    private static final String TENANT = "cluster.test";
    private static final String PW = "pw";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int CALLERS = 20;
    private static LaunchedCluster cluster;

    private static String caller(int i) {
        return String.format("c%02d", i);
    }

    @BeforeAll
    static void up() throws Exception {
        cluster = LaunchedCluster.up(2);
        for (String user : new String[] {"carol", "103", "104"}) {
            cluster.ok(30, "subscriber", "add", user + "@" + TENANT, PW);
        }
        for (int i = 1; i <= CALLERS; i++) {
            cluster.ok(30, "subscriber", "add", caller(i) + "@" + TENANT, PW);
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Issue 12: music uploaded through one node is the cluster's: the other node has it and plays it. */
    @Test
    @Order(0)
    void musicUploadedThroughOneNodePlaysFromTheOther() throws Exception {
        short[] sawtooth = Wavs.sawtooth(2);
        byte[] wav = Wavs.wav(sawtooth);
        byte[] heard = Wavs.ulaw(sawtooth);
        String tenant = "/tenants/" + TENANT;
        ApiClient node1 = cluster.api(1);
        assertEquals(201, node1.put(tenant, "{}").status());
        try {
            ApiClient.Reply uploaded = node1.sendBytes("PUT", tenant + "/music", wav, "audio/wav", false);
            assertEquals(201, uploaded.status(), uploaded.body());
            assertEquals(uploaded.json().path("sha256").asText(),
                    cluster.api(2).get(tenant + "/music").json().path("sha256").asText(),
                    "node 2 has the record node 1 stored");
            cluster.routeTo(2);
            try (TestPhone carol = cluster.phone("carol", TENANT, PW, "127.0.0.79")) {
                Call parked = carol.call("sip:*68103@" + TENANT);
                assertEquals(200, parked.status());
                assertTrue(Wait.until(() -> Wavs.isFrameOf(carol.rtp().lastPayload(), heard), WAIT),
                        "the caller parked on node 2 hears the music uploaded through node 1");
                assertEquals(2, cluster.rtpNode(carol.rtp().lastSender().getPort()), "from node 2");
                parked.bye();
            } finally {
                cluster.routeToAll();
            }
        } finally {
            node1.delete(tenant);
        }
    }

    /** Issue 12: a rotation of the operator key made on node 1 holds on node 2 at once; neither restarts. */
    @Test
    @Order(0)
    void anOperatorKeyRotationReachesEveryNodeAtOnce() throws Exception {
        cluster.ok(30, "key", "rotate");
        String next = java.nio.file.Files.readString(cluster.var.resolve("api-key.next"));
        for (int node = 1; node <= 2; node++) {
            assertEquals(200, cluster.api(node).get("/tenants").status(), "node " + node + ": the old key works");
            assertEquals(200, cluster.api(node).withKey(next).get("/tenants").status(),
                    "node " + node + ": and the new one");
        }
        cluster.ok(30, "key", "retire");
        for (int node = 1; node <= 2; node++) {
            assertEquals(401, cluster.api(node).get("/tenants").status(), "node " + node + ": the old key is out");
            assertEquals(200, cluster.api(node).withKey(next).get("/tenants").status(), "node " + node);
        }
        // the configured key again, for the tests that follow
        String configured = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(cluster.operatorKey().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(201, cluster.api(2).withKey(next).post("/operator-keys",
                "{\"sha256\": \"" + configured + "\"}").status());
        assertEquals(200, cluster.api(2).post("/operator-keys/retire", null).status());
        assertEquals(401, cluster.api(1).withKey(next).get("/tenants").status());
    }

    @Test
    @Order(1)
    void parkedOnOneNodeRetrievedOnTheOther() throws Exception {
        joinAcrossNodes(1, 2);
        joinAcrossNodes(2, 1);
    }

    @Test
    @Order(2)
    void twoRetrievesAtOnceOnTwoNodesJoinTheCallerOnce() throws Exception {
        cluster.routeToAll();
        assertTrue(cluster.awaitDispatcherFlags('A', WAIT), "both nodes active");
        try (TestPhone carol = cluster.phone("carol", TENANT, PW, "127.0.0.82");
             TestPhone ext103 = cluster.phone("103", TENANT, PW, "127.0.0.83");
             TestPhone ext104 = cluster.phone("104", TENANT, PW, "127.0.0.84")) {
            Call parked = carol.call("sip:*68104@" + TENANT);
            assertEquals(200, parked.status());
            assertTrue(cluster.awaitParkedCalls(1, 1, WAIT) && cluster.awaitParkedCalls(2, 1, WAIT));

            // both past the digest challenge first, then both INVITEs at once; the dispatcher's round robin
            // gives consecutive INVITEs to different nodes
            Call first = ext103.prepareCall("sip:*88104@" + TENANT);
            Call second = ext104.prepareCall("sip:*88104@" + TENANT);
            first.start();
            second.start();
            int a = first.awaitFinal(WAIT).getStatusCode();
            int b = second.awaitFinal(WAIT).getStatusCode();
            assertEquals(java.util.Set.of(200, 404), java.util.Set.of(a, b), "exactly one gets the call");
            Call loser = a == 404 ? first : second;
            assertEquals("Not Found: no call parked at 104", loser.finalResponse().getReasonPhrase());
            assertEquals(1, parked.received().stream().filter(r -> r.getMethod().equals(Request.INVITE)).count(),
                    "the caller is joined once");
            String joinedId = (a == 200 ? first : second).callId;
            String loserId = loser.callId;
            int winnerNode = cluster.serverLog(1).contains("join with " + joinedId) ? 1 : 2;
            assertTrue(cluster.serverLog(3 - winnerNode).contains("call " + loserId),
                    "the losing retrieve was handled by the other node");

            Call winner = a == 200 ? first : second;
            winner.bye();
            assertTrue(parked.awaitEnded(WAIT));
        }
    }

    @Test
    @Order(3)
    void aKilledNodeLosesNoParkedCall() throws Exception {
        List<TestPhone> phones = new ArrayList<>();
        List<Call> calls = new ArrayList<>();
        try (TestPhone ext103 = cluster.phone("103", TENANT, PW, "127.0.0.90")) {
            cluster.routeTo(1);
            for (int i = 1; i <= CALLERS; i++) {
                TestPhone phone = cluster.phone(caller(i), TENANT, PW, "127.0.1." + i);
                phones.add(phone);
                Call call = phone.call("sip:*68" + (i <= 10 ? "103" : "104") + "@" + TENANT);
                assertEquals(200, call.status(), caller(i) + " parked on node 1");
                calls.add(call);
            }
            for (TestPhone phone : phones) {
                assertTrue(phone.rtp().awaitMore(5, WAIT));
                assertEquals(1, cluster.rtpNode(phone.rtp().lastSender().getPort()), "music from node 1");
            }
            assertTrue(cluster.awaitParkedCalls(2, CALLERS, WAIT), "node 2 holds the replicated state");
            cluster.routeToAll();

            long killedAt = System.nanoTime();
            cluster.kill(1);
            for (TestPhone phone : phones) {
                assertTrue(cluster.awaitMusicFrom(phone, 2, Duration.ofSeconds(30)),
                        phone.user + " hears music from node 2 again");
            }
            long musicBackMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.println("ClusterIT: kill -9 of node 1 with " + CALLERS + " parked calls -> all callers hear"
                    + " music from node 2 after " + musicBackMs + " ms");
            for (Call call : calls) {
                assertEquals(1, call.received().stream().filter(r -> r.getMethod().equals(Request.INVITE)).count(),
                        "each caller re-INVITEd exactly once by the survivor");
            }
            assertTrue(cluster.awaitParkedCalls(2, CALLERS, WAIT), "not one call lost or duplicated");

            Call retrieve = ext103.call("sip:*88@" + TENANT);
            assertEquals(200, retrieve.status(), "the survivor retrieves a call node 1 had parked");
            assertTrue(calls.get(0).awaitReceived(Request.INVITE, 2, WAIT).isPresent(), "oldest call joined");
            assertEquals(200, calls.get(CALLERS - 1).bye().getStatusCode(), "a caller hangs up on the survivor");
            assertTrue(ext103.awaitNotify(b -> b.contains("state=\"retrieved\""), WAIT).isPresent(),
                    "park-info NOTIFYs keep coming");
            assertTrue(cluster.awaitParkedCalls(2, CALLERS - 2, WAIT));
            retrieve.bye();
            for (Call call : calls.subList(1, CALLERS - 1)) {
                assertEquals(200, call.bye().getStatusCode());
            }
        } finally {
            phones.forEach(TestPhone::close);
        }
    }

    /** Issue 5: a recall timer lives in the replicated state and fires once, also when its node dies first. */
    @Test
    @Order(4)
    void aRecallFiresOnceWhenTheNodeThatWouldFireItDiesFirst() throws Exception {
        cluster.start(1);
        assertTrue(cluster.awaitDispatcherFlags('A', Duration.ofSeconds(30)), "node 1 back in the dispatcher set");
        assertEquals(201, cluster.api(2).put("/tenants/" + TENANT, "{\"recallTime\": 30, \"recallRingTime\": 10,"
                + " \"recallAttempts\": 1, \"callsPerExtension\": 100}").status());
        try (TestPhone carol = cluster.phone("carol", TENANT, PW, "127.0.0.86");
             TestPhone parker = cluster.phone("104", TENANT, PW, "127.0.0.87")) {
            Call talk = carol.call(parker.aor());
            assertEquals(200, talk.status());
            Call parkerSide = parker.awaitIncomingCall(WAIT);
            cluster.routeTo(1);
            assertEquals(202, parkerSide.refer("sip:*68103@" + TENANT).getStatusCode());
            Call parked = carol.awaitTransferredCall(WAIT);
            assertEquals(200, parked.status(), "carol parked through node 1");
            parkerSide.bye();
            assertTrue(cluster.awaitMusicFrom(carol, 1, WAIT));
            cluster.routeToAll();

            cluster.kill(1);
            assertTrue(cluster.awaitMusicFrom(carol, 2, Duration.ofSeconds(30)), "node 2 took the call over");
            Call recall = parker.awaitIncomingCall(Duration.ofSeconds(45));
            assertTrue(recall != null, "node 2 recalls the call to 104 when node 1 would have");
            assertTrue(parked.awaitReceived(Request.INVITE, 2, WAIT).isPresent(),
                    "carol is joined with 104 (after the takeover's re-INVITE)");
            assertTrue(TestPhone.body(parked.received().stream().filter(r -> r.getMethod().equals(Request.INVITE))
                    .skip(1).findFirst().orElseThrow()).contains("m=audio " + parker.rtp().port()));
            assertTrue(parker.awaitIncomingCall(Duration.ofSeconds(15)) == null, "the recall fired once");
            assertEquals(200, recall.bye().getStatusCode());
            assertTrue(parked.awaitEnded(WAIT));
        } finally {
            cluster.routeToAll();
            cluster.api(2).delete("/tenants/" + TENANT);
        }
    }

    /** Issue 11: subscriber lists are replicated: a BLF key outlives the node it subscribed through. */
    @Test
    @Order(5)
    void aBlfKeyKeepsItsSlotAfterTheNodeItSubscribedThroughDies() throws Exception {
        cluster.start(1);
        assertTrue(cluster.awaitDispatcherFlags('A', Duration.ofSeconds(30)), "node 1 back in the dispatcher set");
        try (BlfKey key = new BlfKey("104", TENANT, PW, "127.0.0.88", "127.0.0.1", cluster.kamailioPort);
             TestPhone carol = cluster.phone("carol", TENANT, PW, "127.0.0.89")) {
            cluster.routeTo(1);
            assertEquals(200, key.subscribe("sip:*88103@" + TENANT, 600).getStatusCode(), "subscribed on node 1");
            assertTrue(key.awaitNotify(BlfKey.Notify::off, WAIT).isPresent(), "the first NOTIFY: nothing waits");
            assertTrue(key.remoteTarget().contains("@127.0.0.1:" + cluster.sipPort(1) + ";"),
                    "node 1 took the subscription: its Contact is " + key.remoteTarget());
            cluster.routeToAll();

            cluster.kill(1);
            Call parked = carol.call("sip:*68103@" + TENANT);
            assertEquals(200, parked.status(), "parked on the survivor");
            BlfKey.Notify lit = key.awaitNotify(BlfKey.Notify::lit, Duration.ofSeconds(30))
                    .orElseThrow(() -> new AssertionError("node 2 never lit the key: " + key.allNotifies()));
            assertTrue(lit.body().contains("sip:carol@" + TENANT), lit.body());

            assertEquals(200, key.refresh(600).getStatusCode(),
                    "a refresh sent to node 1's Contact is served by node 2 from the replicated list");
            assertEquals(200, parked.bye().getStatusCode());
            assertTrue(key.awaitNotify(BlfKey.Notify::off, WAIT).isPresent(), "the key goes off when carol leaves");
            assertEquals(200, key.refresh(0).getStatusCode());
        } finally {
            cluster.routeToAll();
        }
    }

    private void joinAcrossNodes(int parkOn, int retrieveOn) throws Exception {
        try (TestPhone carol = cluster.phone("carol", TENANT, PW, "127.0.0.80");
             TestPhone ext103 = cluster.phone("103", TENANT, PW, "127.0.0.81")) {
            cluster.routeTo(parkOn);
            Call parked = carol.call("sip:*68103@" + TENANT);
            assertEquals(200, parked.status(), "parked through node " + parkOn);
            assertTrue(carol.rtp().awaitMore(10, WAIT), "music from node " + parkOn + ": " + cluster.status(parkOn));

            assertTrue(cluster.awaitParkedCalls(retrieveOn, 1, Duration.ofSeconds(2)),
                    "node " + retrieveOn + " sees the call node " + parkOn + " parked: " + cluster.status(retrieveOn));
            cluster.routeTo(retrieveOn);
            Call retrieve = ext103.call("sip:*88@" + TENANT);
            assertEquals(200, retrieve.status(), "node " + retrieveOn + " retrieves a call node " + parkOn + " parked");
            Request join = parked.awaitReceived(Request.INVITE, 1, WAIT).orElseThrow();
            assertTrue(TestPhone.body(join).contains("m=audio " + ext103.rtp().port()));
            assertTrue(carol.rtp().awaitSilence(Duration.ofMillis(500), WAIT),
                    "node " + parkOn + " stopped its music when node " + retrieveOn + " joined the call");

            assertEquals(200, parked.bye().getStatusCode(), "carol's BYE reaches the node that joined her");
            assertTrue(retrieve.awaitEnded(WAIT), "and ends the retriever's leg");
        } finally {
            cluster.routeToAll();
        }
    }
}
