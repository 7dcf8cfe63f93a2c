package io.callpark.it;

import io.callpark.testing.TestPhone;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's commands: `./callpark up` on free ports starts Kamailio and a node that a phone can use,
 * `subscriber add` works while it runs, `status` counts parked calls, `down` stops everything by pid file.
 */
class LauncherIT {

    private static final String TENANT = "launch.test";
    private final Path var;
    private final Map<String, String> env;
    private final int kamailioPort;

    LauncherIT() throws IOException {
        var = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it-run")), "launcher-")
                .toAbsolutePath();
        kamailioPort = freePort();
        int offset = freeOffset();
        env = Map.of(
                "CALLPARK_VAR", var.toString(),
                "CALLPARK_KAMAILIO_PORT", String.valueOf(kamailioPort),
                "CALLPARK_SIP_PORT_BASE", String.valueOf(freePort()),
                "CALLPARK_PORT_OFFSET", String.valueOf(offset),
                "CALLPARK_CLUSTER", "launcher-it-" + ProcessHandle.current().pid(),
                "CALLPARK_RTP_PORTS", "31000-31999");
    }

    @Test
    void upSubscriberStatusDown() throws Exception {
        try {
            String up = callpark(240, "up");
            assertTrue(up.contains("Callpark is running"), up);
            assertTrue(up.contains("127.0.0.1:" + kamailioPort), up);

            callpark(30, "subscriber", "add", "101@" + TENANT, "pw-101");
            assertTrue(callpark(30, "subscriber", "list").contains("101@" + TENANT));
            try (TestPhone phone = new TestPhone("101", TENANT, "pw-101", "127.0.0.70", "127.0.0.1", kamailioPort)) {
                assertEquals(200, phone.register(), "a phone registers with the launcher's Kamailio");
                TestPhone.Call retrieve = phone.call("sip:*88@" + TENANT);
                assertEquals("Not Found: no call parked at 101", retrieve.finalResponse().getReasonPhrase(),
                        "the launcher's node answers through Kamailio");
            }
            String status = callpark(30, "status");
            assertTrue(status.contains("kamailio: running"), status);
            assertTrue(status.contains("parked calls: 0"), status);
        } finally {
            callpark(120, "down");
        }
        assertFalse(Files.exists(var.resolve("node1/wildfly.pid")), "node pid file removed");
        assertFalse(Files.exists(var.resolve("kamailio/kamailio.pid")), "kamailio pid file removed");
        assertEquals(3, run(30, "status").exitCode(), "status after down: nothing running");
    }

    private record Run(int exitCode, String output) {
    }

    private String callpark(int timeoutSeconds, String... args) throws Exception {
        Run run = run(timeoutSeconds, args);
        assertEquals(0, run.exitCode(), "./callpark " + String.join(" ", args) + ":\n" + run.output());
        return run.output();
    }

    private Run run(int timeoutSeconds, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("./callpark"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path out = Files.createTempFile(var, "out-", ".log");
        Process process = pb.redirectOutput(out.toFile()).start();
        boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        String output = Files.readString(out);
        if (!done) {
            process.destroy();
            throw new AssertionError("./callpark " + String.join(" ", args) + " timed out:\n" + output);
        }
        return new Run(process.exitValue(), output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket tcp = new ServerSocket(0)) {
            int port = tcp.getLocalPort();
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                return port;
            } catch (IOException e) {
                return freePort();
            }
        }
    }

    /** A WildFly port offset whose HTTP, HTTPS, AJP, management and JGroups ports are all free. */
    private static int freeOffset() throws IOException {
        for (int offset = 20_000; offset < 40_000; offset += 137) {
            if (allFree(8080 + offset, 8443 + offset, 8009 + offset, 9990 + offset, 7600 + offset)) {
                return offset;
            }
        }
        throw new IOException("no free port offset");
    }

    private static boolean allFree(int... ports) {
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket(port)) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
