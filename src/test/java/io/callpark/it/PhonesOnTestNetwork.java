package io.callpark.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.callpark.testing.ApiClient;
import io.callpark.testing.TestNetwork;
import io.callpark.testing.TestPhone;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Base of the client-side ITs: the real WAR, the Kamailio of {@link TestNetwork}, phones closed after each test. */
abstract class PhonesOnTestNetwork {

    static final Duration WAIT = Duration.ofSeconds(10);
    private final List<TestPhone> phones = new ArrayList<>();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return CallparkDeployment.war();
    }

    @BeforeEach
    void network() throws Exception {
        TestNetwork.ready();
    }

    @AfterEach
    void closePhones() throws Exception {
        phones.forEach(TestPhone::close);
        phones.clear();
        hangUpLeftoverCalls();
    }

    /** No call a test left parked lives on to be recalled into another test's phones. */
    private static void hangUpLeftoverCalls() throws Exception {
        ApiClient operator = ApiClient.operator();
        for (String tenant : List.of(TestNetwork.ACME, TestNetwork.GLOBEX)) {
            for (JsonNode call : operator.get("/tenants/" + tenant + "/parked").json().path("calls")) {
                operator.delete("/tenants/" + tenant + "/parked/" + call.path("parkId").asText());
            }
        }
    }

    TestPhone phone(String user, String domain) throws Exception {
        TestPhone phone = TestNetwork.phone(user, domain);
        phones.add(phone);
        return phone;
    }

    TestPhone phone(String user) throws Exception {
        return phone(user, TestNetwork.ACME);
    }

    /** The parker talks to the caller and blind-transfers it to {@code target} (e.g. *68103); the caller's new leg. */
    static TestPhone.Call transferred(TestPhone parker, TestPhone caller, String target) throws Exception {
        TestPhone.Call talk = caller.call(parker.aor());
        assertEquals(200, talk.status(), caller.user + " reaches " + parker.user);
        TestPhone.Call parkerSide = parker.awaitIncomingCall(WAIT);
        assertEquals(202, parkerSide.refer("sip:" + target + "@" + caller.domain).getStatusCode());
        TestPhone.Call parked = caller.awaitTransferredCall(WAIT);
        assertEquals(200, parked.status(), caller.user + " transferred to " + target);
        parkerSide.bye();
        return parked;
    }

    static boolean isParkInfo(String body, String state, String extension) {
        return body.contains("state=\"" + state + "\"") && body.contains("extension=\"" + extension + "\"");
    }
}
