package io.callpark.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Certificates for the TLS tests: self-signed ones made by openssl, and the PKCS12 trust stores phones load. */
public final class TlsFiles {

    /** The password of every trust store made here (it guards nothing secret: certificates only). */
    public static final String STORE_PASSWORD = "test-trust";

    /** A PEM certificate and its unencrypted private key. */
    public record Pair(Path cert, Path key) {
    }

    private TlsFiles() {
    }

    /** A self-signed certificate for 127.0.0.1 and localhost, valid from now for {@code days}. */
    public static Pair selfSigned(Path dir, String name, int days) throws IOException {
        Files.createDirectories(dir);
        Pair pair = new Pair(dir.resolve(name + "-cert.pem").toAbsolutePath(),
                dir.resolve(name + "-key.pem").toAbsolutePath());
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", String.valueOf(days),
                "-subj", "/CN=" + name, "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", pair.key().toString(), "-out", pair.cert().toString());
        return pair;
    }

    /** A certificate and key that expired yesterday (keytool backdates it; openssl writes the PEM files). */
    public static Pair expired(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path store = dir.resolve(name + "-expired.p12").toAbsolutePath();
        Files.deleteIfExists(store);
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name,
                "-startdate", "-10d", "-validity", "9", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", STORE_PASSWORD));
        Pair pair = new Pair(dir.resolve(name + "-expired-cert.pem").toAbsolutePath(),
                dir.resolve(name + "-expired-key.pem").toAbsolutePath());
        openssl("pkcs12", "-in", store.toString(), "-passin", "pass:" + STORE_PASSWORD, "-nokeys",
                "-out", pair.cert().toString());
        openssl("pkcs12", "-in", store.toString(), "-passin", "pass:" + STORE_PASSWORD, "-nocerts", "-nodes",
                "-out", pair.key().toString());
        return pair;
    }

    /** A PKCS12 trust store holding exactly these PEM certificates (none: a store that trusts nothing). */
    public static Path trustStore(Path dir, String name, Path... pemCertificates) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (Path pem : pemCertificates) {
            try (InputStream in = Files.newInputStream(pem)) {
                certificates.add((X509Certificate) factory.generateCertificate(in));
            }
        }
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("trusted-" + i, certificates.get(i));
        }
        Path file = Files.createDirectories(dir).resolve(name + ".p12").toAbsolutePath();
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
        return file;
    }

    private static void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) throws IOException {
        String[] args = command.subList(1, command.size()).toArray(String[]::new);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " " + args[0] + " hung");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
