package io.callpark.it;

import io.callpark.testing.LaunchedCluster;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sip.message.Request;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 3: two nodes started by `./callpark up --nodes 2`, one replicated truth. */
class ClusterIT {

    private static final String TENANT = "cluster.test";
    private static final String PW = "pw";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static LaunchedCluster cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = LaunchedCluster.up(2);
        for (String user : new String[] {"carol", "103", "104"}) {
            cluster.ok(30, "subscriber", "add", user + "@" + TENANT, PW);
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void parkedOnOneNodeRetrievedOnTheOther() throws Exception {
        joinAcrossNodes(1, 2);
        joinAcrossNodes(2, 1);
    }

    private void joinAcrossNodes(int parkOn, int retrieveOn) throws Exception {
        try (TestPhone carol = cluster.phone("carol", TENANT, PW, "127.0.0.80");
             TestPhone ext103 = cluster.phone("103", TENANT, PW, "127.0.0.81")) {
            cluster.routeTo(parkOn);
            Call parked = carol.call("sip:*68103@" + TENANT);
            assertEquals(200, parked.status(), "parked through node " + parkOn);
            assertTrue(carol.rtp().awaitMore(10, WAIT), "music from node " + parkOn);

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
