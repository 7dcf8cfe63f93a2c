package io.callpark.it;

import io.callpark.testing.TestNetwork;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.callpark.testing.TestNetwork.ACME;
import static io.callpark.testing.TestNetwork.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviours 8 and 10 of issue 2: tenants never see each other's calls; only Kamailio is trusted. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TenantIsolationIT extends PhonesOnTestNetwork {

    @Test
    void anotherTenantNeverGetsOrHearsAboutTheCall() throws Exception {
        TestPhone acme103 = phone("103", ACME);
        TestPhone globex103 = phone("103", GLOBEX);
        TestPhone globexEve = phone("eve", GLOBEX);
        TestPhone carol = phone("carol", ACME);

        Call parked = carol.call("sip:*68103@" + ACME);
        assertEquals(200, parked.status());
        assertTrue(acme103.awaitNotify(b -> isParkInfo(b, "parked", "103"), WAIT).isPresent());

        Call sameNumberOtherTenant = globex103.call("sip:*88@" + GLOBEX);
        assertEquals(404, sameNumberOtherTenant.status(), "globex's 103 has nothing parked");
        Call crossTenant = globexEve.call("sip:*88103@" + ACME);
        assertEquals(403, crossTenant.status(), "a globex user cannot retrieve in acme");
        assertTrue(globex103.allNotifies().isEmpty(), "park-info never crosses tenants");
        assertTrue(parked.received().isEmpty(), "acme's caller was never touched");

        Call rightful = acme103.call("sip:*88@" + ACME);
        assertEquals(200, rightful.status(), "acme's 103 still gets it");
        rightful.bye();
    }

    @Test
    void requestsNotFromKamailioAreForbidden() throws Exception {
        try (TestPhone intruder = new TestPhone("mallory", ACME, "x", "127.0.0.1", "127.0.0.1",
                TestNetwork.appSipPort())) {
            Call direct = intruder.call("sip:*68103@" + ACME);
            assertEquals(403, direct.status());
            assertTrue(direct.finalResponse().getReasonPhrase().contains("only from the SIP proxy"),
                    direct.finalResponse().getReasonPhrase());
        }
    }
}
