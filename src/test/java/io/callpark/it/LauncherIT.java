package io.callpark.it;

import io.callpark.testing.LaunchedCluster;
import io.callpark.testing.TestPhone;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's commands: `./callpark up` on free ports starts Kamailio and a node that a phone can use,
 * `subscriber add` works while it runs, `status` counts parked calls, `key rotate` and `key retire` change the
 * operator key of the running node, `down` stops everything by pid file.
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

            launched.ok(30, "key", "rotate");
            java.nio.file.Path nextFile = launched.var.resolve("api-key.next");
            String next = java.nio.file.Files.readString(nextFile);
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(nextFile)));
            assertEquals(200, launched.api(1).get("/tenants").status(), "during the rotation the old key works");
            assertEquals(200, launched.api(1).withKey(next).get("/tenants").status(), "and the new one");
            launched.ok(30, "key", "retire");
            assertEquals(401, launched.api(1).get("/tenants").status(), "after it only the new one");
            assertEquals(200, launched.api(1).withKey(next).get("/tenants").status());
            assertEquals(next, java.nio.file.Files.readString(launched.var.resolve("api-key")));

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
