package io.callpark.it;

import io.callpark.testing.ApiClient;
import io.callpark.testing.ApiClient.Reply;
import io.callpark.testing.TlsCertificates;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: the REST API is served over HTTPS. The test server publishes the API on 127.0.0.2 (as an operator's
 * {@code -b}); its key store is a throwaway one the build made (target/it-tls/api.p12), and every client here
 * trusts that certificate alone. Plain HTTP and AJP stay on 127.0.0.1: a bearer key cannot travel in clear
 * from the network.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HttpsApiIT {

    private static final Path KEYSTORE = Path.of(System.getProperty("callpark.it.https.keystore"));
    private static final String PASSWORD = System.getProperty("callpark.it.https.password");
    private static final String API_ADDRESS = System.getProperty("callpark.it.api.address");
    private static final int HTTPS_PORT = Integer.getInteger("callpark.it.https.port");
    private static final String OPERATOR_KEY = System.getProperty("callpark.it.api.key");

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return CallparkDeployment.war();
    }

    @Test
    void anOperatorRequestOverHttpsIsServedWithTheConfiguredCertificate() throws Exception {
        X509Certificate configured = TlsCertificates.certificateOf(KEYSTORE, PASSWORD);
        ApiClient client = ApiClient.overHttps(ApiClient.testServerHttpsBase(), OPERATOR_KEY,
                TlsCertificates.trusting(configured));

        Reply tenants = client.get("/tenants");

        assertEquals(200, tenants.status(), tenants.body());
        assertEquals(configured, tenants.raw().sslSession().orElseThrow().getPeerCertificates()[0],
                "the server presents the certificate of the configured key store");
    }

    @Test
    void aClientThatTrustsAnotherCertificateSendsNothing(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("other.p12");
        TlsCertificates.newKeyStore(other, "other-password", "not-callpark", "ip:" + API_ADDRESS);
        ApiClient client = ApiClient.overHttps(ApiClient.testServerHttpsBase(), OPERATOR_KEY,
                TlsCertificates.trusting(TlsCertificates.certificateOf(other, "other-password")));

        assertThrows(SSLHandshakeException.class, () -> client.get("/tenants"),
                "the handshake fails before the key is sent");
    }

    @Test
    void onlyTls12AndTls13AreSpoken() throws Exception {
        X509Certificate configured = TlsCertificates.certificateOf(KEYSTORE, PASSWORD);
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            try (SSLSocket socket = (SSLSocket) TlsCertificates.trusting(configured).getSocketFactory()
                    .createSocket(API_ADDRESS, HTTPS_PORT)) {
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                assertEquals(protocol, socket.getSession().getProtocol());
            }
        }
        // The JDK's client no longer offers TLS 1.0/1.1; openssl still does, and the server answers its hello
        // with the protocol_version alert.
        for (String legacy : List.of("-tls1", "-tls1_1")) {
            String output = opensslHandshake(legacy);
            assertTrue(output.contains("alert protocol version"), legacy + ":\n" + output);
            assertFalse(output.contains("BEGIN CERTIFICATE"), legacy + ":\n" + output);
        }
    }

    @Test
    void plainHttpAndAjpAreNotReachableFromTheApisNetworkAddress() throws Exception {
        int http = Integer.getInteger("callpark.it.http.port");
        int ajp = Integer.getInteger("callpark.it.ajp.port");
        assertEquals(200, ApiClient.operator().get("/status").status(), "plain HTTP serves local tools on 127.0.0.1");
        assertTrue(reaches(API_ADDRESS, HTTPS_PORT), "HTTPS is served on the API's address");

        assertFalse(reaches(API_ADDRESS, http), "no plain HTTP on " + API_ADDRESS);
        assertFalse(reaches(API_ADDRESS, ajp), "no AJP (plain text) on " + API_ADDRESS);
    }

    @Test
    void aRenewedCertificateIsServedAfterTheReloadCommandWithoutARestart() throws Exception {
        X509Certificate original = TlsCertificates.certificateOf(KEYSTORE, PASSWORD);
        byte[] originalBytes = Files.readAllBytes(KEYSTORE);
        long startedAt = serverStartTime();
        Path renewedFile = KEYSTORE.resolveSibling("renewed.p12");
        try {
            TlsCertificates.newKeyStore(renewedFile, PASSWORD, "callpark-it-renewed", "ip:" + API_ADDRESS);
            X509Certificate renewed = TlsCertificates.certificateOf(renewedFile, PASSWORD);
            Files.move(renewedFile, KEYSTORE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertEquals(original, servedCertificate(original), "a new file alone changes nothing yet");

            String cli = reloadCommand();

            assertEquals(renewed, servedCertificate(renewed), "new connections get the renewed certificate\n" + cli);
            assertEquals(startedAt, serverStartTime(), "the server was not restarted");
        } finally {
            Files.write(KEYSTORE, originalBytes);
            reloadCommand();
            Files.deleteIfExists(renewedFile);
        }
        assertEquals(original, servedCertificate(original));
    }

    /** wildfly-standalone/reload-https.cli against the test server, as `./callpark tls reload` runs it. */
    private String reloadCommand() throws Exception {
        Path jbossHome = Path.of(System.getProperty("jboss.home"));
        ProcessBuilder builder = new ProcessBuilder(jbossHome.resolve("bin/jboss-cli.sh").toString(), "--connect",
                "--controller=127.0.0.1:" + System.getProperty("callpark.it.mgmt.port"),
                "--file=wildfly-standalone/reload-https.cli").redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process cli = builder.start();
        String output = new String(cli.getInputStream().readAllBytes());
        assertTrue(cli.waitFor(60, TimeUnit.SECONDS), "jboss-cli finishes");
        assertEquals(0, cli.exitValue(), output);
        assertFalse(output.contains("failed"), output);
        return output;
    }

    private static X509Certificate servedCertificate(X509Certificate trusted) throws Exception {
        Reply status = ApiClient.overHttps(ApiClient.testServerHttpsBase(), null, TlsCertificates.trusting(trusted))
                .get("/status");
        assertEquals(200, status.status());
        return (X509Certificate) status.raw().sslSession().orElseThrow().getPeerCertificates()[0];
    }

    private long serverStartTime() throws Exception {
        ModelNode read = Operations.createReadAttributeOperation(
                Operations.createAddress("core-service", "platform-mbean", "type", "runtime"), "start-time");
        ModelNode result = management.getControllerClient().execute(read);
        assertTrue(Operations.isSuccessfulOutcome(result), result.toString());
        return Operations.readResult(result).asLong();
    }

    private static boolean reaches(String address, int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 3000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    private static String opensslHandshake(String protocolOption) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", API_ADDRESS + ":" + HTTPS_PORT,
                protocolOption, "-cipher", "DEFAULT@SECLEVEL=0").redirectErrorStream(true).start();
        openssl.getOutputStream().close();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS), "openssl finishes");
        return output;
    }
}
