package io.callpark.it;

import io.callpark.testing.ApiClient;
import io.callpark.testing.LaunchedCluster;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TlsCertificates;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's commands: `./callpark up` on free ports starts Kamailio and a node that a phone can use,
 * `subscriber add` works while it runs, `status` counts parked calls, `key rotate` and `key retire` change the
 * operator key of the running node, the API is served over HTTPS with the certificate `up` printed and `tls reload`
 * renews it, `down` stops everything by pid file.
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
            servesHttpsWithTheCertificateItPrintsAndRenewsItWithoutARestart(launched);
        } finally {
            launched.close();
        }
        assertFalse(java.nio.file.Files.exists(launched.var.resolve("node1/wildfly.pid")), "node pid file removed");
        assertFalse(java.nio.file.Files.exists(launched.var.resolve("kamailio/kamailio.pid")),
                "kamailio pid file removed");
        assertEquals(3, launched.run(30, "status").exitCode(), "status after down: nothing running");
    }

    /**
     * Issue 12: the launcher made a self-signed certificate (var/tls, files mode 600), printed its fingerprint, and
     * the node serves it; the key store's password is in no command line. An operator who puts a new certificate
     * and key in cert.pem and key.pem and runs `tls reload` has new connections get it from the same JVM.
     */
    private static void servesHttpsWithTheCertificateItPrintsAndRenewsItWithoutARestart(LaunchedCluster launched)
            throws Exception {
        Path tls = launched.var.resolve("tls");
        for (String file : List.of("cert.pem", "key.pem", "api.p12", "api.p12.pass")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve(file))),
                    file);
        }
        X509Certificate first = TlsCertificates.fromPem(tls.resolve("cert.pem"));
        assertTrue(launched.upOutput.contains(TlsCertificates.fingerprint(first)),
                "up prints the certificate's SHA-256 fingerprint:\n" + launched.upOutput);
        assertEquals(first, servedCertificate(launched, first));
        String password = Files.readString(tls.resolve("api.p12.pass")).trim();
        long pid = launched.pid(1);
        assertFalse(Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")).contains(password),
                "the key store's password is not on the node's command line");

        Process renew = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                "-subj", "/CN=renewed", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                tls.resolve("key.pem").toString(), "-out", tls.resolve("cert.pem").toString())
                .redirectErrorStream(true).start();
        String renewOutput = new String(renew.getInputStream().readAllBytes());
        assertEquals(0, renew.waitFor(), renewOutput);
        X509Certificate renewed = TlsCertificates.fromPem(tls.resolve("cert.pem"));

        String reload = launched.ok(120, "tls", "reload");

        assertTrue(reload.contains(TlsCertificates.fingerprint(renewed)), reload);
        assertEquals(renewed, servedCertificate(launched, renewed), "new connections get the renewed certificate");
        assertEquals(pid, launched.pid(1), "the node was not restarted");
    }

    private static X509Certificate servedCertificate(LaunchedCluster launched, X509Certificate trusted)
            throws Exception {
        ApiClient.Reply tenants = ApiClient.overHttps(launched.httpsBase(1), launched.operatorKey(),
                TlsCertificates.trusting(trusted)).get("/tenants");
        assertEquals(200, tenants.status(), tenants.body());
        return (X509Certificate) tenants.raw().sslSession().orElseThrow().getPeerCertificates()[0];
    }
}
