package io.callpark.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kamailio front on its own, with SIPp phones and fake app nodes (sipp/kamailio-check/run.sh): digest auth
 * on REGISTER and INVITE, 404 for *68 to a missing extension, NOTIFY fan-out to every contact, trust by the
 * X-Callpark-Auth seal and never by address (an unsealed request from a node's own address is a phone's, an
 * impostor's unsealed reply is not heard), tenant checks on *88/*58, password guessing and floods stopped per
 * source address, dispatcher failover and OPTIONS probing.
 */
class KamailioFrontIT {

    @Test
    void everyCheckOfTheFrontPasses() throws Exception {
        Path log = Files.createDirectories(Path.of("target", "it-run")).resolve("kamailio-check.log");
        Process run = new ProcessBuilder("bash", "sipp/kamailio-check/run.sh")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(run.waitFor(5, TimeUnit.MINUTES), "kamailio-check finished");
        String output = Files.readString(log);
        assertEquals(0, run.exitValue(), output);
        assertTrue(output.matches("(?s).*== \\d+ passed, 0 failed.*"), output);
        assertTrue(output.contains("PASS  REGISTER 102@acme.test wrong password"), output);
        assertTrue(output.contains("PASS  INVITE *68999@acme.test (no such subscriber): 404"), output);
        assertTrue(output.contains("PASS  unsealed NOTIFY from the app node's own"), output);
        assertTrue(output.contains("PASS  NOTIFY sealed with a guessed secret or with another request's seal: 403"),
                output);
        assertTrue(output.contains("PASS  impostor on"), output);
        assertTrue(output.contains("PASS  10 wrong digests from 127.0.0.7: refused"), output);
        assertTrue(output.contains("PASS  flood of 400 OPTIONS from 127.0.0.9"), output);
        assertTrue(output.contains("PASS  a full node answered"), output);
        assertTrue(output.contains("TLS 1.2 with the configured certificate, TLS 1.1 refused"), output);
    }
}
