package io.callpark.testing;

import java.util.List;

/**
 * The SIP world of the integration tests, started once per test JVM: a real Kamailio on the reserved port in
 * front of the app node Arquillian starts, with two tenants' subscribers. Phones are made per test.
 */
public final class TestNetwork {

    public static final String PASSWORD = "secret-pw";
    public static final String ACME = "acme.test";
    public static final String GLOBEX = "globex.test";
    private static final List<String> ACME_USERS = List.of("101", "102", "103", "104", "105", "carol", "dave");
    private static final List<String> GLOBEX_USERS = List.of("101", "103", "eve");

    private static Kamailio kamailio;
    private static int phoneAddress = 10;

    private TestNetwork() {
    }

    public static int appSipPort() {
        return Integer.getInteger("callpark.it.sip.port", 5080);
    }

    public static int kamailioPort() {
        return Integer.getInteger("callpark.it.kamailio.port", 5060);
    }

    public static synchronized Kamailio kamailio() throws Exception {
        if (kamailio == null) {
            Kamailio k = new Kamailio("127.0.0.1", kamailioPort(), List.of("127.0.0.1:" + appSipPort()));
            // phones may use TLS as with ./callpark up: a self-signed certificate made for this run
            k.withTls(TlsFiles.selfSigned(tlsDir(), "kamailio-" + kamailioPort(), 30));
            k.start();
            for (String user : ACME_USERS) {
                k.addSubscriber(user + "@" + ACME, PASSWORD);
            }
            for (String user : GLOBEX_USERS) {
                k.addSubscriber(user + "@" + GLOBEX, PASSWORD);
            }
            kamailio = k;
        }
        return kamailio;
    }

    /** Kamailio runs and routes to the app node (call before each test: the WAR is redeployed per class). */
    public static void ready() throws Exception {
        if (!kamailio().awaitAppNodesActive(java.time.Duration.ofSeconds(30))) {
            throw new IllegalStateException("Kamailio does not see the app node as active:\n"
                    + kamailio().rpc("dispatcher.list"));
        }
    }

    /** A registered phone on its own loopback address (127.0.0.x). */
    public static TestPhone phone(String user, String domain) throws Exception {
        TestPhone phone = unregisteredPhone(user, domain, PASSWORD);
        int status = phone.register();
        if (status != 200) {
            phone.close();
            throw new IllegalStateException(user + "@" + domain + " could not register: " + status);
        }
        return phone;
    }

    /** Where the TLS tests keep certificates and trust stores. */
    public static java.nio.file.Path tlsDir() {
        return java.nio.file.Path.of("target", "it-run", "tls").toAbsolutePath();
    }

    /** A phone registered over TLS that trusts the certificate Kamailio serves now. */
    public static TestPhone tlsPhone(String user, String domain) throws Exception {
        Kamailio k = kamailio();
        TestPhone phone = unregisteredTlsPhone(user, domain,
                TlsFiles.trustStore(tlsDir(), "trusts-" + k.tlsCertificate().getFileName(), k.tlsCertificate()));
        int status = phone.register();
        if (status != 200) {
            phone.close();
            throw new IllegalStateException(user + "@" + domain + " could not register over TLS: " + status);
        }
        return phone;
    }

    /** A phone on TLS that trusts exactly the certificates in {@code trustStore} (see {@link TlsFiles}). */
    public static TestPhone unregisteredTlsPhone(String user, String domain, java.nio.file.Path trustStore)
            throws Exception {
        Kamailio k = kamailio();
        return TestPhone.overTls(user, domain, PASSWORD, nextAddress(), k.address, k.tlsPort(), trustStore);
    }

    public static TestPhone unregisteredPhone(String user, String domain, String password) throws Exception {
        Kamailio k = kamailio();
        return new TestPhone(user, domain, password, nextAddress(), k.address, k.port);
    }

    /**
     * A SIP element without an account at a fixed loopback address (a carrier's trunk, a stranger): it answers no
     * digest challenge, so a request that is challenged returns the 401 or 407.
     */
    public static TestPhone elementAt(String user, String domain, String address) throws Exception {
        Kamailio k = kamailio();
        TestPhone element = new TestPhone(user, domain, "no-account", address, k.address, k.port);
        element.answerChallenges(false);
        return element;
    }

    /** A desk phone's BLF key for {@code user@domain} on its own loopback address (not registered). */
    public static BlfKey blfKey(String user, String domain) throws Exception {
        Kamailio k = kamailio();
        return new BlfKey(user, domain, PASSWORD, nextAddress(), k.address, k.port);
    }

    private static synchronized String nextAddress() {
        phoneAddress = phoneAddress >= 250 ? 10 : phoneAddress + 1;
        return "127.0.0." + phoneAddress;
    }
}
