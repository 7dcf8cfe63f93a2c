package io.callpark.it;

import io.callpark.testing.LaunchedCluster;
import io.callpark.testing.TestPhone;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's commands: `./callpark up` on free ports starts Kamailio and a node that a phone can use,
 * `subscriber add` works while it runs, `status` counts parked calls, `down` stops everything by pid file.
 */
class LauncherIT {

    private static final String TENANT = "launch.test";

    @Test
    void upSubscriberStatusDown() throws Exception {
        LaunchedCluster launched = LaunchedCluster.up(1);
        try {
            launched.ok(30, "subscriber", "add", "101@" + TENANT, "pw-101");
            assertTrue(launched.ok(30, "subscriber", "list").contains("101@" + TENANT));
            try (TestPhone phone = launched.phone("101", TENANT, "pw-101", "127.0.0.70")) {
                TestPhone.Call retrieve = phone.call("sip:*88@" + TENANT);
                assertEquals("Not Found: no call parked at 101", retrieve.finalResponse().getReasonPhrase(),
                        "the launcher's node answers through its Kamailio");
            }
            String status = launched.ok(30, "status");
            assertTrue(status.contains("kamailio: running"), status);
            assertTrue(status.contains("parked calls: 0"), status);
        } finally {
            launched.close();
        }
        assertFalse(java.nio.file.Files.exists(launched.var.resolve("node1/wildfly.pid")), "node pid file removed");
        assertFalse(java.nio.file.Files.exists(launched.var.resolve("kamailio/kamailio.pid")),
                "kamailio pid file removed");
        assertEquals(3, launched.run(30, "status").exitCode(), "status after down: nothing running");
    }
}
