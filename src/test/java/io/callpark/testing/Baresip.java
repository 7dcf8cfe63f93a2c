package io.callpark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A real SIP phone for tests: baresip 1.0 run headless with a private configuration directory under
 * target/it-run/. It registers through Kamailio, auto-answers, plays an 8 kHz tone generated into its directory,
 * discards what it receives, and is driven through its {@code ctrl_tcp} module (netstring-framed JSON commands;
 * its events arrive on the same connection). Its console output ({@code -v}, with the SIP trace of {@code -s}) goes
 * to {@link #log()}.
 *
 * <p>The process is stopped by its own handle ({@link #close()}: {@code quit} command, then destroy).
 */
public final class Baresip implements AutoCloseable {

    /** The address baresip listens on for SIP; RTP uses the host's primary interface (baresip 1.0 picks it). */
    public static final String ADDRESS = "127.0.1.1";
    private static final String BINARY = "baresip";
    private static final String MODULES = "/usr/lib/baresip/modules";
    private static final Duration START = Duration.ofSeconds(15);
    private static final Duration COMMAND = Duration.ofSeconds(10);
    private static final Pattern REGISTERED = Pattern.compile("\\bOK\\b");

    public final String user;
    public final String domain;
    private final Path dir;
    private final int sipPort;
    private final int ctrlPort;
    private final Process process;
    private final Thread shutdownHook;
    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<JsonNode>> responses = new ConcurrentHashMap<>();
    private final AtomicInteger tokens = new AtomicInteger();
    private volatile Socket ctrl;

    private Baresip(String user, String domain, String password, String proxyHost, int proxyPort) throws Exception {
        this.user = user;
        this.domain = domain;
        this.sipPort = freeSipPort(ADDRESS);
        int control = freeTcpPort(ADDRESS);
        while (control == sipPort || control == sipPort + 1) {
            control = freeTcpPort(ADDRESS);
        }
        this.ctrlPort = control;
        this.dir = Files.createDirectories(
                Path.of("target", "it-run", "baresip-" + user + "-" + sipPort).toAbsolutePath());
        Path tone = dir.resolve("tone.wav");
        writeTone(tone, 400, Duration.ofSeconds(120));
        Files.writeString(dir.resolve("config"), config(tone));
        Files.writeString(dir.resolve("accounts"), "<sip:" + user + "@" + domain + ">;auth_pass=" + password
                + ";outbound=\"sip:" + proxyHost + ":" + proxyPort + "\";regint=3600;answermode=auto"
                + ";audio_codecs=pcmu,pcma\n");
        process = new ProcessBuilder(BINARY, "-f", dir.toString(), "-v", "-s")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("baresip.log").toFile())
                .start();
        shutdownHook = new Thread(process::destroyForcibly, "baresip-" + user + "-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts baresip as {@code user@domain} through the proxy and returns once it is registered. */
    public static Baresip start(String user, String domain, String password, String proxyHost, int proxyPort)
            throws Exception {
        Baresip baresip = new Baresip(user, domain, password, proxyHost, proxyPort);
        try {
            baresip.connect();
            baresip.awaitRegistered();
            return baresip;
        } catch (Exception | AssertionError e) {
            baresip.close();
            throw e;
        }
    }

    private String config(Path tone) {
        return String.join("\n",
                "poll_method\t\tepoll",
                "sip_listen\t\t" + ADDRESS + ":" + sipPort,
                "call_local_timeout\t120",
                "call_max_calls\t\t4",
                "audio_path\t\t/usr/share/baresip",
                // aufile ends the call (menu: "audio error ... end of file") when the file runs out: 120 s tone
                "audio_source\t\taufile," + tone,
                // aubridge devices nobody reads from: a null player
                "audio_player\t\taubridge,null-play",
                "audio_alert\t\taubridge,null-alert",
                "audio_level\t\tno",
                "ausrc_format\t\ts16",
                "auplay_format\t\ts16",
                "auenc_format\t\ts16",
                "audec_format\t\ts16",
                "audio_buffer\t\t20-160",
                "rtcp_mux\t\tno",
                "jitter_buffer_delay\t5-10",
                "rtp_stats\t\tno",
                "module_path\t\t" + MODULES,
                "module\t\t\tg711.so",
                "module\t\t\taufile.so",
                "module\t\t\taubridge.so",
                "module\t\t\tctrl_tcp.so",
                "module_tmp\t\taccount.so",
                "module_app\t\tmenu.so",
                "ctrl_tcp_listen\t\t" + ADDRESS + ":" + ctrlPort,
                "");
    }

    // ------------------------------------------------------------ control

    private void connect() throws Exception {
        Socket[] socket = new Socket[1];
        boolean up = Wait.until(() -> {
            if (!process.isAlive()) {
                return true;
            }
            try {
                socket[0] = new Socket(ADDRESS, ctrlPort);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }, START);
        if (!up || socket[0] == null) {
            throw new IllegalStateException("baresip " + user + " did not open ctrl_tcp on " + ADDRESS + ":"
                    + ctrlPort + " (alive=" + process.isAlive() + "); see " + log() + ":\n" + logText());
        }
        ctrl = socket[0];
        Thread reader = new Thread(this::read, "baresip-" + user + "-ctrl");
        reader.setDaemon(true);
        reader.start();
    }

    private void awaitRegistered() throws Exception {
        // REGISTER_OK may have come before we connected: ask first, then wait for the event
        String aor = aor();
        String reginfo = command("reginfo", "").replaceAll("\u001B\\[[0-9;]*m", ""); // without colours
        if (REGISTERED.matcher(reginfo).find()) {
            return;
        }
        JsonNode outcome = awaitEvent(e -> aor.equals(text(e, "accountaor"))
                && (type(e).equals("REGISTER_OK") || type(e).equals("REGISTER_FAIL")), START)
                .orElseThrow(() -> new IllegalStateException(aor + " did not register; see " + log()));
        if (!type(outcome).equals("REGISTER_OK")) {
            throw new IllegalStateException(aor + " registration failed: " + outcome);
        }
    }

    /** Runs a baresip command (as typed after '/': dial, hangup, transfer, quit ...); returns its output. */
    public String command(String command, String params) throws Exception {
        String token = "t" + tokens.incrementAndGet();
        ObjectNode message = json.createObjectNode()
                .put("command", command)
                .put("params", params)
                .put("token", token);
        CompletableFuture<JsonNode> response = new CompletableFuture<>();
        responses.put(token, response);
        byte[] payload = json.writeValueAsBytes(message);
        OutputStream out = ctrl.getOutputStream();
        synchronized (this) {
            out.write((payload.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.write(',');
            out.flush();
        }
        JsonNode answer = response.get(COMMAND.toMillis(), TimeUnit.MILLISECONDS);
        if (!answer.path("ok").asBoolean()) {
            throw new IllegalStateException("baresip " + command + " " + params + " failed: " + answer);
        }
        return text(answer, "data");
    }

    /** Reads netstrings ("len:json,") until the connection closes: responses by token, the rest are events. */
    private void read() {
        try (InputStream in = ctrl.getInputStream()) {
            while (true) {
                int length = 0;
                int c;
                while ((c = in.read()) != ':') {
                    if (c < 0) {
                        return;
                    }
                    if (c < '0' || c > '9') {
                        throw new IOException("bad netstring length byte " + c);
                    }
                    length = length * 10 + (c - '0');
                }
                byte[] payload = in.readNBytes(length);
                if (payload.length < length || in.read() != ',') {
                    return;
                }
                JsonNode message = json.readTree(payload);
                if (message.path("response").asBoolean()) {
                    CompletableFuture<JsonNode> waiting = responses.remove(text(message, "token"));
                    if (waiting != null) {
                        waiting.complete(message);
                    }
                } else if (message.path("event").asBoolean()) {
                    events.add(message);
                }
            }
        } catch (IOException closed) {
            // connection gone: baresip quit or we closed it
        } finally {
            responses.values().forEach(f -> f.completeExceptionally(new IOException("ctrl_tcp closed")));
        }
    }

    /** The first event so far (or within {@code timeout}) that matches, e.g. {@code type == CALL_ESTABLISHED}. */
    public Optional<JsonNode> awaitEvent(Predicate<JsonNode> matches, Duration timeout) {
        JsonNode[] found = new JsonNode[1];
        Wait.until(() -> {
            for (JsonNode event : events) {
                if (matches.test(event)) {
                    found[0] = event;
                    return true;
                }
            }
            return false;
        }, timeout);
        return Optional.ofNullable(found[0]);
    }

    public Optional<JsonNode> awaitEvent(String type, Duration timeout) {
        return awaitEvent(e -> type.equals(type(e)), timeout);
    }

    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    public static String type(JsonNode event) {
        return text(event, "type");
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).asText("");
    }

    // ------------------------------------------------------------ facts

    public String aor() {
        return "sip:" + user + "@" + domain;
    }

    public int sipPort() {
        return sipPort;
    }

    public Path log() {
        return dir.resolve("baresip.log");
    }

    public String logText() {
        try {
            return Files.readString(log(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public ProcessHandle process() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Asks baresip to quit and waits up to {@code timeout} for the process to end; if it does not, destroys it
     * (SIGTERM, then SIGKILL). True if it ended by itself; either way it is gone afterwards.
     */
    public boolean quit(Duration timeout) {
        if (process.isAlive() && ctrl != null && !ctrl.isClosed()) {
            try {
                command("quit", "");
            } catch (Exception ignored) {
                // it may close the connection before answering; the exit is what counts
            }
        }
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return false;
    }

    @Override
    public void close() {
        quit(Duration.ofSeconds(5));
        try {
            if (ctrl != null) {
                ctrl.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    // ------------------------------------------------------------ plumbing

    /** A sine tone as 16-bit 8 kHz mono PCM WAV, written by the JDK. */
    static void writeTone(Path file, int hertz, Duration length) throws IOException {
        AudioFormat format = new AudioFormat(8000f, 16, 1, true, false);
        int samples = (int) (length.toMillis() * 8);
        ByteArrayOutputStream pcm = new ByteArrayOutputStream(samples * 2);
        for (int i = 0; i < samples; i++) {
            short s = (short) (8000 * Math.sin(2 * Math.PI * hertz * i / 8000.0));
            pcm.write(s & 0xff);
            pcm.write((s >> 8) & 0xff);
        }
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.toByteArray()), format,
                samples)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }

    /** A port free for UDP and TCP, with the next one free for TCP too: baresip also listens for TLS on port+1. */
    private static int freeSipPort(String address) throws IOException {
        InetAddress host = InetAddress.getByName(address);
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(host, 0))) {
                port = udp.getLocalPort();
                if (port >= 65535) {
                    continue;
                }
                try (ServerSocket tcp = bind(host, port); ServerSocket tls = bind(host, port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free SIP port pair on " + address);
    }

    private static int freeTcpPort(String address) throws IOException {
        try (ServerSocket s = bind(InetAddress.getByName(address), 0)) {
            return s.getLocalPort();
        }
    }

    private static ServerSocket bind(InetAddress host, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(host, port));
        return s;
    }
}
