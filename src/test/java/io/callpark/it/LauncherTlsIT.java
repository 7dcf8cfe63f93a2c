package io.callpark.it;

import io.callpark.testing.LaunchedCluster;
import io.callpark.testing.LocalUser;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TlsFiles;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `./callpark up` and TLS (issue 12): an operator's certificate that is expired or not the key's is refused before
 * anything starts; without one, a self-signed certificate is made on first start (key mode 600) with the REST API's
 * PKCS12 keystore beside it; a phone that trusts that certificate registers over TLS; `tls reload` keeps it.
 */
class LauncherTlsIT {

    private static final String TENANT = "launch-tls.test";

    @Test
    void upRefusesABadCertificateAndMakesItsOwnWhenGivenNone() throws Exception {
        LaunchedCluster launched = LaunchedCluster.prepare(1);
        Path tlsDir = launched.var.resolve("tls");
        Path scratch = launched.var.resolve("operator-certs");

        TlsFiles.Pair expired = TlsFiles.expired(scratch, "old");
        LaunchedCluster.Run refused = launched.runWith(
                Map.of("CALLPARK_TLS_CERT", expired.cert().toString(), "CALLPARK_TLS_KEY", expired.key().toString()),
                120, "up");
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("has expired"), refused.output());

        TlsFiles.Pair one = TlsFiles.selfSigned(scratch, "one", 30);
        TlsFiles.Pair two = TlsFiles.selfSigned(scratch, "two", 30);
        LaunchedCluster.Run mismatch = launched.runWith(
                Map.of("CALLPARK_TLS_CERT", one.cert().toString(), "CALLPARK_TLS_KEY", two.key().toString()), 120, "up");
        assertNotEquals(0, mismatch.exitCode(), mismatch.output());
        assertTrue(mismatch.output().contains("is not the key of the certificate"), mismatch.output());
        assertTrue(!Files.exists(launched.var.resolve("kamailio/kamailio.pid")), "nothing started");

        launched.up();
        try {
            assertEquals("rw-------", mode(tlsDir.resolve("key.pem")), "the private key is the service's only");
            assertEquals("rw-------", mode(tlsDir.resolve("api.p12")), "the keystore holds the key too");
            assertEquals("rw-------", mode(tlsDir.resolve("api.p12.pass")));
            // run as root, the certificate is root's and the group callpark's (Kamailio and the nodes read it); the
            // phones get it from the operator, not from this host's other users
            assertEquals(LocalUser.testsRunAsRoot() ? "rw-r-----" : "rw-------", mode(tlsDir.resolve("cert.pem")));

            X509Certificate cert;
            try (InputStream in = Files.newInputStream(tlsDir.resolve("cert.pem"))) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            assertTrue(cert.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("127.0.0.1")),
                    "the certificate names 127.0.0.1: " + cert.getSubjectAlternativeNames());
            KeyStore api = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tlsDir.resolve("api.p12"))) {
                api.load(in, Files.readString(tlsDir.resolve("api.p12.pass")).trim().toCharArray());
            }
            assertTrue(api.isKeyEntry("callpark"), "api.p12 holds the key under alias callpark");
            assertEquals(cert, api.getCertificate("callpark"), "api.p12 holds the same certificate");

            launched.ok(30, "subscriber", "add", "101@" + TENANT, "pw-101");
            Path trust = TlsFiles.trustStore(launched.var, "trusts-launched", tlsDir.resolve("cert.pem"));
            try (TestPhone phone = launched.tlsPhone("101", TENANT, "pw-101", "127.0.0.71", trust)) {
                TestPhone.Call retrieve = phone.call("sips:*88@" + TENANT);
                assertEquals("Not Found: no call parked at 101", retrieve.finalResponse().getReasonPhrase(),
                        "the launcher's node answers a phone on TLS through its Kamailio");

                String reload = launched.ok(30, "tls", "reload");
                assertTrue(reload.contains("reloaded"), reload);
                assertEquals(200, phone.register(), "the phone's registration goes on over its connection");
            }
            String status = launched.ok(30, "status");
            assertTrue(status.contains("tls 127.0.0.1:" + launched.kamailioTlsPort), status);
        } finally {
            launched.close();
        }
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
