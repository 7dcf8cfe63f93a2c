package io.callpark.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Callpark as an operator runs it: `./callpark up --nodes N` on free ports in a private var directory, with the
 * operator's own commands to steer it (kamcmd through kamailio-ctl, pid files to kill a node).
 */
public final class LaunchedCluster implements AutoCloseable {

    /** Exit code and output of one command. */
    public record Run(int exitCode, String output) {
    }

    private static final String OPERATOR_KEY = "launched-cluster-operator-key";
    private static final int RTP_FIRST = 31000;
    private static final int RTP_LAST = 31999;

    public final Path var;
    public final int kamailioPort;
    /** Kamailio's SIP over TLS port (CALLPARK_KAMAILIO_TLS_PORT). */
    public final int kamailioTlsPort;
    public final int sipPortBase;
    public final int nodes;
    private final int portOffset;
    private final String clusterName;
    private final Map<String, String> env;
    /** what the last `up` printed (its summary) */
    public String upOutput = "";
    private boolean generatedSecrets;

    private LaunchedCluster(int nodes) throws IOException {
        this.nodes = nodes;
        var = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it-run")), "cluster-")
                .toAbsolutePath();
        kamailioPort = freePort();
        kamailioTlsPort = freePort();
        sipPortBase = freePortRun(nodes);
        portOffset = freeOffset(nodes);
        clusterName = "it-" + var.getFileName();
        env = Map.ofEntries(
                Map.entry("CALLPARK_VAR", var.toString()),
                Map.entry("CALLPARK_KAMAILIO_PORT", String.valueOf(kamailioPort)),
                Map.entry("CALLPARK_KAMAILIO_TLS_PORT", String.valueOf(kamailioTlsPort)),
                Map.entry("CALLPARK_SIP_PORT_BASE", String.valueOf(sipPortBase)),
                Map.entry("CALLPARK_PORT_OFFSET", String.valueOf(portOffset)),
                Map.entry("CALLPARK_CLUSTER", clusterName),
                Map.entry("CALLPARK_RTP_PORTS", RTP_FIRST + "-" + RTP_LAST),
                Map.entry("CALLPARK_API_KEY", OPERATOR_KEY),
                // the tests' webhook receivers listen on loopback, over plain http: allowed explicitly
                Map.entry("CALLPARK_WEBHOOK_ALLOW", "127.0.0.1"),
                Map.entry("CALLPARK_WEBHOOK_ALLOW_HTTP", "127.0.0.1"),
                Map.entry("KAM_DS_PING_INTERVAL", "2"));
    }

    /**
     * Before {@link #up()}: neither CALLPARK_API_KEY nor CALLPARK_SIP_SECRET (the tests' environment has both), so
     * the launcher generates them into var/api-key and var/sip-secret, as for an operator who sets neither.
     */
    public LaunchedCluster generatingSecrets() {
        generatedSecrets = true;
        return this;
    }

    /** Runs `./callpark up --nodes N`; the caller closes it (`down`). */
    public static LaunchedCluster up(int nodes) throws Exception {
        LaunchedCluster cluster = prepare(nodes);
        cluster.up();
        return cluster;
    }

    /** Picks ports and a var directory for N nodes, starting nothing (a test may put state there first). */
    public static LaunchedCluster prepare(int nodes) throws IOException {
        return new LaunchedCluster(nodes);
    }

    /** `./callpark up --nodes N` in this var directory; closes everything when it fails. */
    public void up() throws Exception {
        Run up = run(300, "up", "--nodes", String.valueOf(nodes));
        upOutput = up.output();
        if (up.exitCode() != 0) {
            close();
            throw new IllegalStateException("./callpark up failed:\n" + up.output());
        }
    }

    public Run run(int timeoutSeconds, String... args) throws Exception {
        return runWith(Map.of(), timeoutSeconds, args);
    }

    /** A command with more environment (CALLPARK_TLS_CERT, say) than the cluster's own. */
    public Run runWith(Map<String, String> extraEnv, int timeoutSeconds, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("./callpark"));
        command.addAll(List.of(args));
        return exec(timeoutSeconds, command, extraEnv);
    }

    /** The `ok` output of a command, failing on a non-zero exit. */
    public String ok(int timeoutSeconds, String... args) throws Exception {
        Run run = run(timeoutSeconds, args);
        if (run.exitCode() != 0) {
            throw new IllegalStateException("./callpark " + String.join(" ", args) + ":\n" + run.output());
        }
        return run.output();
    }

    /** A kamcmd RPC to the cluster's Kamailio. */
    public String rpc(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kamailio-cfg/kamailio-ctl", "rpc"));
        command.addAll(List.of(args));
        Run run = exec(30, command, Map.of());
        if (run.exitCode() != 0) {
            throw new IllegalStateException("rpc " + String.join(" ", args) + ":\n" + run.output());
        }
        return run.output();
    }

    public int sipPort(int node) {
        return sipPortBase + node - 1;
    }

    /** The node's JGroups TCP port (the launcher's default 7600 moved by the node's port offset). */
    public int jgroupsPort(int node) {
        return 7600 + portOffset + (node - 1) * 100;
    }

    /** The JGroups cluster name the nodes join. */
    public String clusterName() {
        return clusterName;
    }

    /**
     * The JGroups view of the node's channel {@code ee} as its management model reports it (jboss-cli on the node's
     * management port, local authentication as the node's own user), e.g. {@code [node1|1] (2) [node1, node2]}.
     * It lists every member JGroups admitted, also one that runs no Infinispan (which /status does not show).
     */
    public String jgroupsView(int node) throws Exception {
        Run run = exec(120, List.of("target/wildfly/bin/jboss-cli.sh", "--connect",
                "--controller=127.0.0.1:" + (9990 + portOffset + (node - 1) * 100),
                "--command=/subsystem=jgroups/channel=ee:read-attribute(name=view)"), Map.of());
        if (run.exitCode() != 0 || !run.output().contains("\"success\"")) {
            throw new IllegalStateException("node " + node + "'s view:\n" + run.output());
        }
        return run.output();
    }

    /** The node's REST API base URL. */
    public String apiBase(int node) {
        return "http://127.0.0.1:" + (8080 + portOffset + (node - 1) * 100) + "/callpark/api";
    }

    /** The node's REST API over HTTPS (8443 + the node's port offset, on CALLPARK_HTTPS_ADDRESS: 127.0.0.1). */
    public String httpsBase(int node) {
        return "https://127.0.0.1:" + (8443 + portOffset + (node - 1) * 100) + "/callpark/api";
    }

    /** The pid of the node's JVM (its pid file). */
    public long pid(int node) throws IOException {
        return Long.parseLong(Files.readString(var.resolve("node" + node).resolve("wildfly.pid")).trim());
    }

    /** The operator's client of the node's REST API, with the key the launcher generated. */
    public ApiClient api(int node) {
        return new ApiClient(apiBase(node), operatorKey());
    }

    public String operatorKey() {
        if (!generatedSecrets) {
            return OPERATOR_KEY;
        }
        try {
            return Files.readString(var.resolve("api-key")).trim();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The node's GET /callpark/api/status body (JSON with parkedCalls and musicStreams). */
    public String status(int node) throws Exception {
        var uri = java.net.URI.create("http://127.0.0.1:" + (8080 + portOffset + (node - 1) * 100)
                + "/callpark/api/status");
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** kill -9 of the node's JVM, by its pid file (a crash, not a shutdown). */
    public void kill(int node) throws Exception {
        signal(node, "-9", Duration.ofSeconds(10));
    }

    /** `./callpark node stop K`: WildFly's graceful shutdown of one node. */
    public void stop(int node) throws Exception {
        ok(120, "node", "stop", String.valueOf(node));
    }

    /** `./callpark node start K`: the node rejoins the running cluster. */
    public void start(int node) throws Exception {
        ok(300, "node", "start", String.valueOf(node));
    }

    private void signal(int node, String signal, Duration timeout) throws Exception {
        long pid = Long.parseLong(Files.readString(var.resolve("node" + node).resolve("wildfly.pid")).trim());
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("node not running"));
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(pid)).start();
        kill.waitFor(10, TimeUnit.SECONDS);
        if (!Wait.until(() -> !handle.isAlive(), timeout)) {
            throw new IllegalStateException("node " + node + " (pid " + pid + ") survived kill " + signal);
        }
    }

    /** The node's server.log (WildFly, with the app's one-line call logs). */
    public String serverLog(int node) throws IOException {
        return Files.readString(var.resolve("node" + node).resolve("log").resolve("server.log"));
    }

    /** The node whose RTP range holds {@code port} (the launcher splits 31000-31999 evenly between the nodes). */
    public int rtpNode(int port) {
        return Math.min(nodes, 1 + (port - RTP_FIRST) / ((RTP_LAST - RTP_FIRST + 1) / nodes / 2 * 2));
    }

    /** Waits until the phone's music comes from {@code node} and keeps coming. */
    public boolean awaitMusicFrom(TestPhone phone, int node, Duration timeout) {
        return Wait.until(() -> phone.rtp().lastSender() != null && rtpNode(phone.rtp().lastSender().getPort()) == node
                && phone.rtp().awaitMore(3, Duration.ofSeconds(1)), timeout);
    }

    /** Waits until the node's view of the replicated state holds {@code count} parked calls. */
    public boolean awaitParkedCalls(int node, int count, Duration timeout) {
        return Wait.until(() -> {
            try {
                return status(node).contains("\"parkedCalls\":" + count + ",");
            } catch (Exception e) {
                return false;
            }
        }, timeout);
    }

    private String dispatcherUri(int node) {
        return "sip:127.0.0.1:" + sipPort(node) + ";transport=udp";
    }

    /** Makes Kamailio send every new feature-code INVITE to {@code node} (the others are disabled). */
    public void routeTo(int node) throws Exception {
        rpc("dispatcher.set_state", "a", "1", dispatcherUri(node));
        for (int other = 1; other <= nodes; other++) {
            if (other != node) {
                rpc("dispatcher.set_state", "d", "1", dispatcherUri(other));
            }
        }
    }

    /** Makes Kamailio use every node again. */
    public void routeToAll() throws Exception {
        for (int node = 1; node <= nodes; node++) {
            rpc("dispatcher.set_state", "a", "1", dispatcherUri(node));
        }
    }

    public TestPhone phone(String user, String domain, String password, String address) throws Exception {
        TestPhone phone = new TestPhone(user, domain, password, address, "127.0.0.1", kamailioPort);
        int status = phone.register();
        if (status != 200) {
            phone.close();
            throw new IllegalStateException(user + "@" + domain + " could not register: " + status);
        }
        return phone;
    }

    /** A phone registered over TLS to the cluster's Kamailio, trusting exactly the certificates in the store. */
    public TestPhone tlsPhone(String user, String domain, String password, String address, Path trustStore)
            throws Exception {
        TestPhone phone = TestPhone.overTls(user, domain, password, address, "127.0.0.1", kamailioTlsPort, trustStore);
        int status = phone.register();
        if (status != 200) {
            phone.close();
            throw new IllegalStateException(user + "@" + domain + " could not register over TLS: " + status);
        }
        return phone;
    }

    private Run exec(int timeoutSeconds, List<String> command, Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (generatedSecrets) {
            pb.environment().remove("CALLPARK_API_KEY");
            pb.environment().remove("CALLPARK_SIP_SECRET");
        }
        pb.environment().putAll(extraEnv);
        pb.environment().put("KAM_RUN_DIR", var.resolve("kamailio").toString());
        Path out = Files.createTempFile(var, "out-", ".log");
        Process process = pb.redirectOutput(out.toFile()).start();
        boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            process.destroy();
            throw new IllegalStateException(String.join(" ", command) + " timed out:\n" + Files.readString(out));
        }
        return new Run(process.exitValue(), Files.readString(out));
    }

    @Override
    public void close() throws Exception {
        run(120, "down");
    }

    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0)) {
                int port = tcp.getLocalPort();
                if (udpFree(port)) {
                    return port;
                }
            }
        }
        throw new IOException("no free port");
    }

    /** The first of {@code count} consecutive ports free for UDP (node K's SIP port is base + K-1). */
    private static int freePortRun(int count) throws IOException {
        // between the WildFly ports (< 12000, see freeOffset) and the default RTP range (20000-29999), below the
        // kernel's ephemeral range for the same reason as freeOffset
        for (int base = 13_000 + (int) (ProcessHandle.current().pid() % 500) * 10; base < 19_990; base += 7) {
            boolean free = true;
            for (int i = 0; i < count && free; i++) {
                free = udpFree(base + i);
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no run of " + count + " free ports");
    }

    private static boolean udpFree(int port) {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A WildFly port offset whose HTTP, HTTPS, AJP, management and JGroups ports are free for every node. */
    private static int freeOffset(int nodes) throws IOException {
        // every port below the kernel's ephemeral range (32768-60999) and the nodes' RTP ports: a port there can be
        // taken by any outgoing socket between this check and the node's bind (seen: a management port, in CI)
        for (int offset = 600 + (int) (ProcessHandle.current().pid() % 10) * 37;
             9990 + offset + (nodes - 1) * 100 < 12_000; offset += 37) {
            boolean free = true;
            for (int node = 0; node < nodes && free; node++) {
                int o = offset + node * 100;
                free = tcpFree(8080 + o) && tcpFree(8443 + o) && tcpFree(8009 + o) && tcpFree(9990 + o)
                        && tcpFree(7600 + o);
            }
            if (free) {
                return offset;
            }
        }
        throw new IOException("no free port offset");
    }

    private static boolean tcpFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until Kamailio sees every node of the set in a state starting with {@code flag}. */
    public boolean awaitDispatcherFlags(char flag, Duration timeout) {
        return Wait.until(() -> {
            try {
                List<String> flags = rpc("dispatcher.list").lines().map(String::trim)
                        .filter(l -> l.startsWith("FLAGS:")).map(l -> l.substring(6).trim()).toList();
                return flags.size() == nodes && flags.stream().allMatch(f -> f.charAt(0) == flag);
            } catch (Exception e) {
                return false;
            }
        }, timeout);
    }
}
