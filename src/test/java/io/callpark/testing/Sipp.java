package io.callpark.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one SIPp scenario from sipp/scenarios/ as a phone through Kamailio and keeps its message trace. */
public final class Sipp {

    /** SIPp's exit code (0: the scenario ran to its end), its message trace and its console output. */
    public record Result(int exitCode, String messages, String output) {

        /** Received 200 OK responses to the INVITE with CSeq {@code cseq}, retransmissions included. */
        public int invite200s(int cseq) {
            int n = 0;
            for (String block : messages.split("-{20,}")) {
                if (block.contains("message received") && block.contains("SIP/2.0 200 OK")
                        && block.matches("(?s).*CSeq:\\s*" + cseq + " INVITE.*")) {
                    n++;
                }
            }
            return n;
        }
    }

    private Sipp() {
    }

    public static Result run(String scenario, String service, String user, String domain, String address,
                             Kamailio kamailio) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "it-run", "sipp").toAbsolutePath());
        Path trace = dir.resolve(scenario + "-" + System.nanoTime() + ".msg");
        List<String> command = new ArrayList<>(List.of("sipp", kamailio.address + ":" + kamailio.port,
                "-sf", Path.of("sipp", "scenarios", scenario + ".xml").toAbsolutePath().toString(),
                "-i", address, "-p", String.valueOf(freePort(address)), "-mp", String.valueOf(freePort(address)),
                "-s", service, "-key", "domain", domain, "-key", "caller", user, "-au", user, "-ap", TestNetwork.PASSWORD,
                "-m", "1", "-timeout", "60s", "-timeout_error", "-trace_msg", "-message_file", trace.toString(),
                "-nostdin"));
        Path console = dir.resolve(scenario + "-" + System.nanoTime() + ".out");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(console.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("sipp " + scenario + " did not finish");
        }
        String output = Files.readString(console);
        String messages = Files.exists(trace) ? Files.readString(trace) : "";
        return new Result(process.exitValue(), messages, output);
    }

    private static int freePort(String address) throws IOException {
        try (var socket = new java.net.DatagramSocket(new java.net.InetSocketAddress(address, 0))) {
            return socket.getLocalPort();
        }
    }
}
