package io.callpark.it;

import io.callpark.testing.Kamailio;
import io.callpark.testing.TestNetwork;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import io.callpark.testing.TlsFiles;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Phones on SIP over TLS (issue 12): they register, park and retrieve through Kamailio's TLS port, and everything
 * Kamailio sends them (park-info NOTIFY, the re-INVITE of a retrieval, a recall and its BYE) comes over the connection
 * they opened (these test phones hold no key: a connection Kamailio opened to them would fail). SIPS requests reach a
 * phone over TLS or not at all; the TLS port speaks no plain SIP; a phone that does not trust Kamailio's certificate
 * gets nowhere; a certificate reload keeps the calls.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TlsPhonesIT extends PhonesOnTestNetwork {

    private final List<TestPhone> tlsPhones = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeTlsPhones() {
        tlsPhones.forEach(TestPhone::close);
        tlsPhones.clear();
    }

    private TestPhone tlsPhone(String user) throws Exception {
        TestPhone phone = TestNetwork.tlsPhone(user, ACME);
        tlsPhones.add(phone);
        return phone;
    }

    private static String topVia(Request request) {
        return ((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport().toUpperCase();
    }

    @Test
    void phonesOnTlsParkAndRetrieveWithSipsUris() throws Exception {
        TestPhone carol = tlsPhone("carol");
        TestPhone bob = tlsPhone("101");
        TestPhone desk103 = tlsPhone("103");
        assertTrue(TestNetwork.kamailio().rpc("ul.dump").contains("tls:127.0.0.1:" + TestNetwork.kamailio().tlsPort()),
                "the registrations are bound to Kamailio's TLS socket");

        Call talk = carol.call("sips:101@" + ACME);
        assertEquals(200, talk.status(), "a SIPS call between two phones on TLS");
        Call bobSide = bob.awaitIncomingCall(WAIT);
        assertNotNull(bobSide);
        assertEquals("TLS", topVia(bobSide.invite()), "Kamailio sent bob the call over TLS");

        assertEquals(202, bobSide.refer("sips:*68103@" + ACME).getStatusCode(), "REFER to a SIPS park code");
        Call parked = carol.awaitTransferredCall(WAIT);
        assertNotNull(parked, "carol followed the transfer");
        assertEquals(200, parked.status(), "the app node parks carol's SIPS call");
        List<String> recordRoute = new ArrayList<>();
        parked.finalResponse().getHeaders("Record-Route").forEachRemaining(h -> recordRoute.add(h.toString().trim()));
        assertEquals(2, recordRoute.size(), "Kamailio record-routes twice where TLS meets the app node's UDP: "
                + recordRoute);
        assertTrue(recordRoute.stream().anyMatch(r -> r.contains("transport=tls") && r.contains(";r2=on")),
                "one entry for carol's TLS side: " + recordRoute);
        bobSide.bye();
        assertTrue(carol.rtp().awaitMore(10, WAIT), "music on hold reaches carol");

        Request notify = desk103.awaitNotify(b -> isParkInfo(b, "parked", "103"), WAIT)
                .orElseThrow(() -> new AssertionError("103 got no park-info NOTIFY over TLS"));
        assertEquals("TLS", topVia(notify), "the NOTIFY came over 103's TLS connection");

        Call retrieve = desk103.call("sips:*88@" + ACME);
        assertEquals(200, retrieve.status(), "103 retrieves over TLS");
        Request reInvite = parked.awaitReceived("INVITE", 1, WAIT)
                .orElseThrow(() -> new AssertionError("carol got no re-INVITE over her TLS connection"));
        assertEquals("TLS", topVia(reInvite), "the in-dialog re-INVITE reached carol over TLS");
        assertTrue(TestPhone.body(reInvite).contains("m=audio " + desk103.rtp().port()),
                "carol is joined to 103");
        assertTrue(desk103.awaitNotify(b -> isParkInfo(b, "retrieved", "103"), WAIT).isPresent());

        assertEquals(200, retrieve.bye().getStatusCode());
        assertTrue(parked.awaitEnded(WAIT), "the BYE reaches carol over TLS");
        for (TestPhone phone : List.of(carol, bob, desk103)) {
            assertEquals(List.of(), phone.ioFailures(), phone.user + " saw no connection fail");
        }
    }

    @Test
    void aRecallRingsTheParkerOverItsTlsConnection() throws Exception {
        io.callpark.testing.ApiClient operator = io.callpark.testing.ApiClient.operator();
        String tenant = "/tenants/" + ACME;
        assertEquals(201, operator.put(tenant, "{\"recallTime\": 30, \"retryInterval\": 5, \"recallRingTime\": 5,"
                + " \"recallAttempts\": 2}").status());
        try {
            TestPhone carol = tlsPhone("carol");
            TestPhone bob = tlsPhone("101");
            Call parked = transferred(bob, carol, "*68103");

            Call recall = bob.awaitIncomingCall(Duration.ofSeconds(45));
            assertNotNull(recall, "the parker is rung back over its TLS connection and answers");
            assertEquals("TLS", topVia(recall.invite()), "the recall INVITE came over TLS");
            Request join = parked.awaitReceived("INVITE", 1, WAIT)
                    .orElseThrow(() -> new AssertionError("carol is not joined with 101"));
            assertTrue(TestPhone.body(join).contains("m=audio " + bob.rtp().port()), TestPhone.body(join));

            assertEquals(200, parked.bye().getStatusCode(), "carol hangs up");
            assertTrue(recall.awaitEnded(WAIT), "the BYE follows 101's answer back over its TLS connection");
            assertEquals("TLS", topVia(recall.received().get(recall.received().size() - 1)));
        } finally {
            operator.delete(tenant);
        }
    }

    @Test
    void aSipsRequestTravelsOnlyOverTls() throws Exception {
        TestPhone onUdp = phone("104");
        TestPhone onTls = tlsPhone("105");

        Call downgrade = onTls.call("sips:104@" + ACME);
        assertEquals(480, downgrade.status(), "104 is registered over UDP only");
        assertTrue(downgrade.finalResponse().getReasonPhrase().contains("no TLS contact"),
                downgrade.finalResponse().getReasonPhrase());
        assertEquals(null, onUdp.awaitIncomingCall(Duration.ofSeconds(1)), "the SIPS call never reached 104");

        Call plain = onTls.call("sip:104@" + ACME);
        assertEquals(200, plain.status(), "a sip: call from a TLS phone may go on over UDP");
        plain.bye();

        TestPhone bob = tlsPhone("101");
        Call unprotected = onUdp.call("sips:101@" + ACME);
        assertEquals(403, unprotected.status(), "a SIPS request that came over UDP already crossed a plain hop");
        assertEquals("Forbidden: SIPS only over TLS", unprotected.finalResponse().getReasonPhrase());
        assertEquals(null, bob.awaitIncomingCall(Duration.ofSeconds(1)), "it never reached 101");
    }

    @Test
    void theTlsPortSpeaksNoPlainSip() throws Exception {
        Kamailio kamailio = TestNetwork.kamailio();
        assertTrue(optionsOverPlainTcp(kamailio.port).startsWith("SIP/2.0 200"),
                "the same OPTIONS is answered on the TCP port");
        String onTlsPort = optionsOverPlainTcp(kamailio.tlsPort());
        assertFalse(onTlsPort.startsWith("SIP/2.0"), "plain SIP on the TLS port is not served: " + onTlsPort);
    }

    /** Whatever comes back (until the peer closes, or 3 s pass) for a SIP OPTIONS written in clear over TCP. */
    private static String optionsOverPlainTcp(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            socket.setSoTimeout(3000);
            int local = socket.getLocalPort();
            String options = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP 127.0.0.1:" + local + ";branch=z9hG4bK-plain-" + System.nanoTime() + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:probe@" + ACME + ">;tag=p1\r\n"
                    + "To: <sip:127.0.0.1:" + port + ">\r\n"
                    + "Call-ID: plain-" + System.nanoTime() + "\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            socket.getOutputStream().write(options.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] buffer = new byte[2048];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    got.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    if (got.indexOf("\r\n\r\n") >= 0) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException quiet) {
                // nothing (more) came: no SIP service
            }
            return got.toString();
        }
    }

    @Test
    void aPhoneChecksKamailiosCertificate() throws Exception {
        Path dir = TestNetwork.tlsDir();
        Path trustsNothing = TlsFiles.trustStore(dir, "trusts-nothing");
        Path trustsAnother = TlsFiles.trustStore(dir, "trusts-another",
                TlsFiles.selfSigned(dir, "impostor", 30).cert());
        for (Path store : List.of(trustsNothing, trustsAnother)) {
            TestPhone doubter = TestNetwork.unregisteredTlsPhone("102", ACME, store);
            tlsPhones.add(doubter);
            int status = registerStatus(doubter);
            assertNotEquals(200, status, "no registration without a trusted certificate (" + store.getFileName() + ")");
        }
        TestPhone truster = TestNetwork.unregisteredTlsPhone("102", ACME,
                TlsFiles.trustStore(dir, "trusts-kamailio", TestNetwork.kamailio().tlsCertificate()));
        tlsPhones.add(truster);
        assertEquals(200, truster.register(), "the phone that trusts Kamailio's certificate registers");
    }

    /** The REGISTER's final status, 0 when the stack could not even send it (the TLS handshake failed). */
    private static int registerStatus(TestPhone phone) {
        try {
            return phone.register();
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void aCertificateReloadKeepsParkedCallsAndRegistrations() throws Exception {
        Kamailio kamailio = TestNetwork.kamailio();
        Path oldCertificate = kamailio.tlsCertificate();
        TestPhone dave = tlsPhone("dave");
        TestPhone ext105 = tlsPhone("105");
        Call parked = dave.call("sips:*68105@" + ACME);
        assertEquals(200, parked.status(), "dave parks himself at 105 over TLS");
        assertTrue(ext105.awaitNotify(b -> isParkInfo(b, "parked", "105"), WAIT).isPresent());

        TlsFiles.Pair renewed = TlsFiles.selfSigned(TestNetwork.tlsDir(), "renewed-" + System.nanoTime(), 30);
        String out = kamailio.reloadTls(renewed);
        assertTrue(out.contains("reloaded"), out);

        TestPhone trustsOld = TestNetwork.unregisteredTlsPhone("104", ACME,
                TlsFiles.trustStore(TestNetwork.tlsDir(), "trusts-old", oldCertificate));
        tlsPhones.add(trustsOld);
        assertNotEquals(200, registerStatus(trustsOld), "new connections get the renewed certificate");
        TestPhone trustsNew = tlsPhone("102");
        assertNotNull(trustsNew, "a phone trusting the renewed certificate registers");

        Call retrieve = ext105.call("sips:*88@" + ACME);
        assertEquals(200, retrieve.status(), "105, registered before the reload, retrieves dave's call");
        assertTrue(parked.awaitReceived("INVITE", 1, WAIT).isPresent(),
                "dave, parked before the reload, is joined over his TLS connection");
        retrieve.bye();
        assertTrue(parked.awaitEnded(WAIT));
    }
}
