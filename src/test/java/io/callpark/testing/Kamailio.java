package io.callpark.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real Kamailio from kamailio-cfg/, run by kamailio-ctl in a private run directory on test ports. */
public final class Kamailio implements AutoCloseable {

    private static final Path CTL = Path.of("kamailio-cfg", "kamailio-ctl").toAbsolutePath();

    public final String address;
    public final int port;
    private final Path runDir;
    private final String appNodes;
    private volatile TlsFiles.Pair tls;
    private int tlsPort;

    public Kamailio(String address, int port, List<String> appNodes) throws IOException {
        this.address = address;
        this.port = port;
        this.appNodes = String.join(" ", appNodes);
        this.runDir = Files.createDirectories(Path.of("target", "it-run", "kamailio-" + port).toAbsolutePath());
    }

    /** Phones may also use SIP over TLS, on a free port, with this certificate and key (call before start). */
    public Kamailio withTls(TlsFiles.Pair certificate) throws IOException {
        tls = certificate;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(address))) {
            tlsPort = s.getLocalPort();
        }
        return this;
    }

    /** The TLS port (after {@link #withTls}). */
    public int tlsPort() {
        return tlsPort;
    }

    /** The certificate Kamailio serves to new TLS connections. */
    public Path tlsCertificate() {
        return tls.cert();
    }

    /** `kamailio-ctl tls-reload`: new TLS connections get this certificate; existing ones stay up. */
    public String reloadTls(TlsFiles.Pair certificate) throws IOException {
        TlsFiles.Pair before = tls;
        tls = certificate;
        try {
            return ctl("tls-reload");
        } catch (IOException e) {
            tls = before;
            throw e;
        }
    }

    public Kamailio start() throws IOException {
        ctl("stop"); // a stale one from an aborted run, by its pid file
        ctl("start");
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        return this;
    }

    public void addSubscriber(String aor, String password) throws IOException {
        ctl("subscriber-add", aor, password);
    }

    public void removeSubscriber(String aor) throws IOException {
        ctl("subscriber-remove", aor);
    }

    /** Declares {@code address} (IP or IP/MASK) a trusted trunk of {@code tenant}; the running Kamailio reloads. */
    public void addTrunk(String tenant, String address) throws IOException {
        ctl("trunk-add", tenant, address);
    }

    public void removeTrunk(String tenant, String address) throws IOException {
        ctl("trunk-remove", tenant, address);
    }

    public String rpc(String... command) throws IOException {
        List<String> args = new ArrayList<>(List.of("rpc"));
        args.addAll(List.of(command));
        return ctl(args.toArray(String[]::new));
    }

    /**
     * Waits until the dispatcher sees every app node active (flags A...): between test classes the WAR is
     * redeployed, probes fail meanwhile, and a node marked inactive would answer the next INVITE with 503.
     */
    public boolean awaitAppNodesActive(java.time.Duration timeout) {
        return Wait.until(() -> {
            try {
                List<String> flags = rpc("dispatcher.list").lines().map(String::trim)
                        .filter(l -> l.startsWith("FLAGS:")).map(l -> l.substring(6).trim()).toList();
                return !flags.isEmpty() && flags.stream().allMatch(f -> f.startsWith("A"));
            } catch (IOException e) {
                return false;
            }
        }, timeout);
    }

    public Path log() {
        return runDir.resolve("kamailio.log");
    }

    private String ctl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(CTL.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("KAM_RUN_DIR", runDir.toString());
        env.put("KAM_ADDR", address);
        env.put("KAM_PORT", String.valueOf(port));
        env.put("KAM_APP_NODES", appNodes);
        env.put("KAM_DS_PING_INTERVAL", "2");
        if (tls != null) {
            env.put("KAM_TLS_PORT", String.valueOf(tlsPort));
            env.put("KAM_TLS_CERT", tls.cert().toString());
            env.put("KAM_TLS_KEY", tls.key().toString());
        }
        Process process = pb.start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("kamailio-ctl " + String.join(" ", args) + " hung");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0 && !"stop".equals(args[0])) {
            throw new IOException("kamailio-ctl " + String.join(" ", args) + " failed (" + process.exitValue()
                    + "):\n" + output);
        }
        return output;
    }

    @Override
    public void close() {
        try {
            ctl("stop");
        } catch (IOException ignored) {
            // already stopped
        }
    }
}
