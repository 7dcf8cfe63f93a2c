package io.callpark.it;

import io.callpark.store.ApiKeyStore;
import io.callpark.testing.ApiClient;
import io.callpark.testing.ApiClient.Reply;
import io.callpark.testing.JGroupsIntruder;
import io.callpark.testing.LaunchedCluster;
import io.callpark.testing.LocalUser;
import io.callpark.testing.Wait;
import io.callpark.testing.WireCapture;
import org.jgroups.Address;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: the nodes' JGroups traffic is encrypted with the cluster key and joins are authenticated. A process that
 * joins the cluster name on the nodes' ports without the key (or with another key, or with the key but without the
 * join secret) is not admitted, reads no tenant data on the wire, and changes nothing with what it sends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSecrecyIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    /**
     * How long the nodes are given to act on what the intruder sent before the test says they did not (the clear
     * stack of the previous release took 5-7 s to split on a forged view).
     */
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final List<String> NODES = List.of("node1", "node2");
    private static LaunchedCluster cluster;
    private static ApiClient node1;
    private static ApiClient node2;

    @BeforeAll
    static void up() throws Exception {
        cluster = LaunchedCluster.up(2);
        node1 = cluster.api(1);
        node2 = cluster.api(2);
        assertTrue(Wait.until(() -> bothListOnlyTheNodes(), WAIT), "the two nodes form one cluster");
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theLauncherMadeOneKeyThatOnlyItsOwnerReadsAndNoCommandLineShows() throws Exception {
        Path dir = cluster.var.resolve("cluster");
        boolean root = LocalUser.testsRunAsRoot();
        // run as root: root:callpark 710, the key store the nodes' user's, the password root's (the launcher hands
        // it to the nodes in their environment); as another user, all that user's, 700/600
        assertEquals(root ? "rwx--x---" : "rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        for (String file : List.of("cluster.p12", "cluster.pass")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))),
                    file);
        }
        if (root) {
            assertEquals("callpark-app", Files.getOwner(dir.resolve("cluster.p12")).getName());
            assertEquals("root", Files.getOwner(dir.resolve("cluster.pass")).getName());
            assertFalse(new LocalUser("callpark-sip").canRead(dir.resolve("cluster.p12")), "Kamailio reads the key");
        }
        SecretKey key = clusterKey();
        assertEquals("AES", key.getAlgorithm());
        assertEquals(32, key.getEncoded().length, "AES-256");
        String password = Files.readString(dir.resolve("cluster.pass")).trim();
        for (int node = 1; node <= 2; node++) {
            long pid = Long.parseLong(Files.readString(cluster.var.resolve("node" + node + "/wildfly.pid")).trim());
            String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.ISO_8859_1);
            assertTrue(cmdline.contains("jboss"), "the node's command line: " + cmdline);
            assertFalse(cmdline.contains(password), "the cluster password is not on node " + node + "'s command line");
        }
    }

    @Test
    @Order(2)
    void theWireBetweenTheNodesCarriesNoTenantData() throws Exception {
        String tenant = "wire-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        String wire;
        String key;
        try (WireCapture capture = WireCapture.start(cluster.var, ports())) {
            assertEquals(201, node1.put("/tenants/" + tenant, "{\"recallTime\": 345}").status());
            Reply issued = node1.post("/tenants/" + tenant + "/keys", null);
            assertEquals(201, issued.status(), issued.body());
            key = issued.json().path("key").asText();
            ApiClient tenantOnNode2 = new ApiClient(cluster.apiBase(2), key);
            assertTrue(Wait.until(() -> status(tenantOnNode2, "/tenants/" + tenant) == 200, WAIT),
                    "node 2 knows the tenant and its key: they crossed the wire");
            assertTrue(capture.awaitBytes(2_000, WAIT), "the capture holds the nodes' traffic");
            wire = capture.stop();
        }
        assertFalse(wire.contains(tenant), "the tenant's name is not readable on the wire");
        assertFalse(wire.contains(ApiKeyStore.sha256(key)), "the tenant key's hash is not readable on the wire");
        assertFalse(wire.contains(key), "nor the key");
        assertEquals(204, node1.delete("/tenants/" + tenant).status());
    }

    @Test
    @Order(3)
    void anIntruderWithoutTheKeyIsNotAdmittedAndReadsNothing() throws Exception {
        try (JGroupsIntruder intruder = JGroupsIntruder.join("intruder-nokey", cluster.clusterName(), ports(), null)) {
            assertNotAdmitted(intruder);
            String tenant = "seen-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
            assertEquals(201, node1.put("/tenants/" + tenant, "{\"recallTime\": 345}").status());
            assertTrue(Wait.until(() -> status(node2, "/tenants/" + tenant) == 200, WAIT));
            assertFalse(intruder.receivedText().contains(tenant), "nothing delivered to the intruder names it");
            assertEquals(204, node1.delete("/tenants/" + tenant).status());
        }
    }

    @Test
    @Order(4)
    void anIntruderWithAnotherKeyIsNotAdmitted() throws Exception {
        KeyGenerator aes = KeyGenerator.getInstance("AES");
        aes.init(256);
        try (JGroupsIntruder intruder = JGroupsIntruder.join("intruder-otherkey", cluster.clusterName(), ports(),
                aes.generateKey())) {
            assertNotAdmitted(intruder);
        }
    }

    /** The key alone is not enough: a member proves at its join that it knows the cluster's join secret (AUTH). */
    @Test
    @Order(5)
    void anIntruderWithTheKeyButWithoutTheJoinSecretIsNotAdmitted() throws Exception {
        SecurityException refused = assertThrows(SecurityException.class,
                () -> JGroupsIntruder.join("intruder-keyonly", cluster.clusterName(), ports(), clusterKey()).close(),
                "the coordinator refuses the join");
        assertTrue(refused.getMessage().contains("AUTH"), refused.getMessage());
        assertJGroupsViewsHoldOnlyTheNodes();
    }

    @Test
    @Order(6)
    void whatAnIntruderSendsChangesNothing() throws Exception {
        String tenant = "kept-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        assertEquals(201, node1.put("/tenants/" + tenant, "{\"recallTime\": 345}").status());
        assertTrue(Wait.until(() -> status(node2, "/tenants/" + tenant) == 200, WAIT));
        try (JGroupsIntruder intruder = JGroupsIntruder.join("intruder-forger", cluster.clusterName(), ports(), null)) {
            Map<String, Address> found = intruder.discoveredNodes();
            assertEquals(2, found.size(), "discovery (unencrypted) told the intruder who the nodes are: " + found);
            for (Address node : found.values()) {
                intruder.sendForgedView(node);
            }
            intruder.sendToAll("{\"recallTime\": 1}");
            assertFalse(Wait.until(() -> !bothListOnlyTheNodes(), GRACE),
                    "the forged views split nobody off: each node still lists both nodes and only them");
            assertJGroupsViewsHoldOnlyTheNodes();
        }
        for (ApiClient node : List.of(node1, node2)) {
            assertEquals(345, node.get("/tenants/" + tenant).json().path("settings").path("recallTime").asInt(),
                    "the tenant is unchanged");
        }
        assertEquals(200, node1.patch("/tenants/" + tenant, "{\"recallTime\": 456}").status());
        assertTrue(Wait.until(() -> node2Reads(tenant, 456), WAIT), "the two nodes still replicate to each other");
        assertEquals(204, node1.delete("/tenants/" + tenant).status());
    }

    @Test
    @Order(7)
    void aNodeWhoseKeyCannotBeReadIsNotStarted() throws Exception {
        Path pass = cluster.var.resolve("cluster/cluster.pass");
        String password = Files.readString(pass);
        cluster.stop(2);
        try {
            Files.writeString(pass, "not-the-password\n");
            LaunchedCluster.Run start = cluster.run(120, "node", "start", "2");
            assertEquals(1, start.exitCode(), start.output());
            assertTrue(start.output().contains(cluster.var.resolve("cluster/cluster.p12")
                    + " cannot be opened with the password in " + pass), start.output());
            assertFalse(Files.exists(cluster.var.resolve("node2/wildfly.pid")), "no node 2 process");
        } finally {
            Files.writeString(pass, password);
        }
        cluster.start(2);
        assertTrue(Wait.until(() -> bothListOnlyTheNodes(), WAIT), "with its key node 2 joins again");
    }

    private static void assertNotAdmitted(JGroupsIntruder intruder) throws Exception {
        assertFalse(Wait.until(() -> !bothListOnlyTheNodes(), GRACE),
                "the nodes' members stay node1 and node2 (" + members(1) + ", " + members(2) + ")");
        assertJGroupsViewsHoldOnlyTheNodes();
        assertEquals(1, intruder.view().size(), "the intruder's view holds only itself: " + intruder.view());
    }

    /** Each node's JGroups view (not only the Infinispan members /status lists) holds the two nodes, no one else. */
    private static void assertJGroupsViewsHoldOnlyTheNodes() throws Exception {
        for (int node = 1; node <= 2; node++) {
            String view = cluster.jgroupsView(node);
            assertTrue(view.contains("(2) [") && view.contains("node1") && view.contains("node2")
                    && !view.contains("intruder"), "node " + node + "'s JGroups view: " + view);
        }
    }

    /** The cluster's key, read as a node reads it: the launcher's keystore and its password file. */
    private static SecretKey clusterKey() throws Exception {
        Path dir = cluster.var.resolve("cluster");
        char[] password = Files.readString(dir.resolve("cluster.pass")).trim().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dir.resolve("cluster.p12"))) {
            store.load(in, password);
        }
        return (SecretKey) store.getKey("cluster", password);
    }

    private static List<Integer> ports() {
        return List.of(cluster.jgroupsPort(1), cluster.jgroupsPort(2));
    }

    private static boolean bothListOnlyTheNodes() {
        return NODES.equals(members(1)) && NODES.equals(members(2));
    }

    private static List<String> members(int node) {
        try {
            Reply status = new ApiClient(cluster.apiBase(node), null).get("/status");
            List<String> names = new java.util.ArrayList<>();
            status.json().path("members").forEach(m -> names.add(m.asText()));
            return names;
        } catch (Exception e) {
            return List.of("unreachable: " + e);
        }
    }

    private static boolean node2Reads(String tenant, int recallTime) {
        try {
            return node2.get("/tenants/" + tenant).json().path("settings").path("recallTime").asInt() == recallTime;
        } catch (Exception e) {
            return false;
        }
    }

    private static int status(ApiClient client, String path) {
        try {
            return client.get(path).status();
        } catch (Exception e) {
            return -1;
        }
    }
}
