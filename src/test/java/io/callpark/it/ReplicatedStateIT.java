package io.callpark.it;

import io.callpark.testing.TestNetwork;
import io.callpark.testing.TestPhone;
import io.callpark.testing.TestPhone.Call;
import jakarta.annotation.Resource;
import io.callpark.park.DialogLeg;
import io.callpark.park.DialogTag;
import io.callpark.park.ParkedCall;
import io.callpark.store.schema.CallIdKey;
import io.callpark.store.schema.CallLocator;
import io.callpark.store.schema.CallparkSchemaImpl;
import io.callpark.store.schema.ExtensionKey;
import io.callpark.store.schema.StoredQueue;
import org.infinispan.Cache;
import org.infinispan.protostream.ProtobufUtil;
import org.infinispan.protostream.SerializationContext;
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
import java.util.List;
import java.util.Optional;

import static io.callpark.testing.TestNetwork.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private static final ExtensionKey KEY = new ExtensionKey(ACME, "105");
    private static TestPhone dave;
    private static Call parked;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/parked-calls")
    Cache<ExtensionKey, StoredQueue> parkedCache;

    @Resource(lookup = "java:jboss/infinispan/cache/callpark/call-index")
    Cache<CallIdKey, CallLocator> indexCache;

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
    void theCallIsInTheReplicatedCacheWithItsDialog() throws Exception {
        assertEquals(CacheMode.REPL_SYNC, parkedCache.getCacheConfiguration().clustering().cacheMode());
        StoredQueue queue = parkedCache.get(KEY);
        assertNotNull(queue, "calls parked at 105 in acme.test are one entry keyed by tenant and extension");
        assertEquals(1, queue.calls().size());
        ParkedCall call = queue.calls().get(0);
        assertEquals(ACME, call.tenant());
        assertEquals("105", call.extension());
        assertEquals(List.of("sip:105@acme.test"), call.notifyTargets());
        DialogLeg leg = call.leg();
        assertFalse(leg.localTag().isEmpty());
        assertFalse(leg.remoteTag().isEmpty());
        assertTrue(leg.remoteTarget().startsWith("sip:dave@"), leg.remoteTarget());
        assertTrue(leg.routeSet().get(0).startsWith("<sip:127.0.0.1:"), leg.routeSet().toString());
        assertTrue(leg.localCseq() > 0);
        assertEquals(call.media().node(), System.getProperty("callpark.node"));
        assertEquals(Optional.of(new DialogTag.ParkRef(ACME, call.parkId())), DialogTag.parkedCall(leg.localTag()),
                "our tag in the caller's dialog names the call");
        assertNull(indexCache.get(new CallIdKey(leg.callId())), "so nothing is indexed by Call-ID");
        SerializationContext wire = ProtobufUtil.newSerializationContext();
        new CallparkSchemaImpl().register(wire);
        int bytes = ProtobufUtil.toWrappedByteArray(wire, queue).length;
        System.out.println("ReplicatedStateIT: one parked call = " + bytes + " bytes of cache value");
        assertTrue(bytes < 1024, "one parked call costs " + bytes + " bytes of cache value");
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
