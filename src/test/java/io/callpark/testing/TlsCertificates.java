package io.callpark.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** PKCS12 key stores as an operator makes them (keytool) and TLS clients that trust one certificate alone. */
public final class TlsCertificates {

    private TlsCertificates() {
    }

    /** A new self-signed RSA key pair in a PKCS12 file, for subject {@code cn} and the subject alternative names. */
    public static void newKeyStore(Path file, String password, String cn, String subjectAltNames) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", "api",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=" + cn,
                "-ext", "SAN=" + subjectAltNames, "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", password));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    /** The certificate of the key entry in a PKCS12 file. */
    public static X509Certificate certificateOf(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return (X509Certificate) store.getCertificate(alias);
            }
        }
        throw new IllegalStateException(file + " holds no key entry");
    }

    /** The first certificate of a PEM file (cert.pem: the server's certificate, then its chain). */
    public static X509Certificate fromPem(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** SHA-256 of the certificate as openssl and browsers print it: AB:CD:... */
    public static String fingerprint(X509Certificate certificate) throws Exception {
        return java.util.HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    /** A TLS client context that trusts {@code certificate} and nothing else (no CA of the JDK). */
    public static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
