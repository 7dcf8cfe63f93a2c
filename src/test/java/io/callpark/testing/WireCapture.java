package io.callpark.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What an eavesdropper on the loopback sees: tcpdump (run as root, like the tests) records every TCP packet to or
 * from the given ports, whole, into a pcap file.
 */
public final class WireCapture implements AutoCloseable {

    private final Process tcpdump;
    private final Path pcap;
    private final Path log;

    private WireCapture(Process tcpdump, Path pcap, Path log) {
        this.tcpdump = tcpdump;
        this.pcap = pcap;
        this.log = log;
    }

    /** Starts recording the TCP traffic of {@code ports} on lo; returns once tcpdump listens. */
    public static WireCapture start(Path dir, List<Integer> ports) throws Exception {
        Path log = Files.createTempFile(dir, "tcpdump-", ".log");
        Path pcap = dir.resolve(log.getFileName().toString().replace(".log", ".pcap"));
        String filter = "tcp and (" + ports.stream().map(p -> "port " + p).collect(Collectors.joining(" or ")) + ")";
        Process tcpdump = new ProcessBuilder("tcpdump", "-i", "lo", "--immediate-mode", "-U", "-Z", "root", "-s", "0",
                "-w", pcap.toString(), filter)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        WireCapture capture = new WireCapture(tcpdump, pcap, log);
        if (!Wait.until(() -> capture.logText().contains("listening on"), Duration.ofSeconds(10))) {
            capture.close();
            throw new IllegalStateException("tcpdump did not start: " + capture.logText());
        }
        return capture;
    }

    /** Waits until the capture holds more than {@code bytes} bytes (the packets reach the file a moment late). */
    public boolean awaitBytes(long bytes, Duration timeout) {
        return Wait.until(() -> {
            try {
                return Files.exists(pcap) && Files.size(pcap) > bytes;
            } catch (IOException e) {
                return false;
            }
        }, timeout);
    }

    /** Stops tcpdump and returns every captured byte (headers included), one char per byte (ISO-8859-1). */
    public String stop() throws IOException, InterruptedException {
        tcpdump.destroy();
        if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
            tcpdump.destroyForcibly();
        }
        return new String(Files.readAllBytes(pcap), StandardCharsets.ISO_8859_1);
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws Exception {
        if (tcpdump.isAlive()) {
            stop();
        }
    }
}
