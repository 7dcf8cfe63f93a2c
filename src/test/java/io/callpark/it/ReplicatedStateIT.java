package io.callpark.it;

import io.callpark.testing.TestNetwork;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import jakarta.annotation.Resource;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Behaviour 9 of issue 2: a parked call lives in the replicated Infinispan cache, keyed by tenant, with the dialog
 * data any node needs to re-INVITE or BYE the caller. A phone parks (client side); the test then reads the
 * cache inside the server.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedStateIT {

    private static final String KEY = ACME + "/105";
    private static TestPhone dave;
    private static Call parked;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/parked")
    Cache<String, String> parkedCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/index")
    Cache<String, String> indexCache;

    @Deployment
    static WebArchive deployment() {
        return CallparkDeployment.war().addClass(ReplicatedStateIT.class).addPackage(TestPhone.class.getPackage());
    }

    @Test
    @Order(1)
    @RunAsClient
    void aPhoneParksACall() throws Exception {
        TestNetwork.ready();
        dave = TestNetwork.phone("dave", ACME);
        parked = dave.call("sip:*68105@" + ACME);
        assertEquals(200, parked.status());
    }

    @Test
    @Order(2)
    void theCallIsInTheReplicatedCacheWithItsDialog() {
        assertEquals(CacheMode.REPL_SYNC, parkedCache.getCacheConfiguration().clustering().cacheMode());
        String json = parkedCache.get(KEY);
        assertNotNull(json, "calls parked at 105 in acme.test are one entry keyed by tenant/extension");
        for (String field : new String[] {"\"tenant\":\"acme.test\"", "\"extension\":\"105\"", "\"callId\":",
                "\"localTag\":", "\"remoteTag\":", "\"remoteTarget\":\"sip:dave@", "\"routeSet\":[\"<sip:127.0.0.1:",
                "\"localCseq\":", "\"sdpVersion\":", "\"notifyTargets\":[\"sip:105@acme.test\"]"}) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        String callId = json.replaceAll(".*\"callId\":\"([^\"]+)\".*", "$1");
        assertNotNull(indexCache.get("call:" + callId), "the caller's Call-ID finds the park");
        System.out.println("ReplicatedStateIT: one parked call = " + json.length() + " bytes of cache value");
        assertTrue(json.length() < 4096, "one parked call costs " + json.length() + " bytes of cache value");
    }

    @Test
    @Order(3)
    @RunAsClient
    void hangingUpRemovesIt() throws Exception {
        assertEquals(200, parked.bye().getStatusCode());
        dave.close();
    }

    @Test
    @Order(4)
    void theEntryIsGone() {
        assertTrue(io.callpark.testing.Wait.until(() -> parkedCache.get(KEY) == null, Duration.ofSeconds(5)));
        assertNull(parkedCache.get(KEY));
    }
}
