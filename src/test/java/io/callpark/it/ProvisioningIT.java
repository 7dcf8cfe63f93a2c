package io.callpark.it;

import io.callpark.it.probe.ProbeServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import io.callpark.testing.Wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Throwaway check of the build's provisioning (target/wildfly configured by
 * wildfly-standalone/configure-callpark.cli): the callpark caches can be looked
 * up by a deployment and are replicated-synchronous (REPL_SYNC), and the callpark.* system
 * properties take env values (set by failsafe) or their defaults.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProvisioningIT {

    @Deployment(testable = false)
    static WebArchive probe() {
        return ShrinkWrap.create(WebArchive.class, "probe.war")
                .addPackage(ProbeServlet.class.getPackage())
                // the same module dependencies as callpark.war (pom.xml)
                .setManifest(new StringAsset(
                        "Manifest-Version: 1.0\nDependencies: org.infinispan, org.infinispan.commons\n"));
    }

    @ArquillianResource
    private URL base;

    private Properties report;

    @BeforeEach
    void fetchReport() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "probe")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        report = new Properties();
        report.load(new StringReader(response.body()));
    }

    @Test
    void cachesAreReplicatedSyncAndWork() {
        for (String cache : new String[] {"parked-calls", "call-index", "park-ids", "bridges", "bridge-legs",
                "tenants", "ring-groups", "park-groups", "webhooks", "api-keys", "tenant-keys", "slot-watchers",
                "parking-lots", "hold-music", "hold-music-audio", "park-events", "settings"}) {
            // org.infinispan.configuration.cache.CacheMode.REPL_SYNC = replicated, synchronous
            assertEquals("REPL_SYNC", report.getProperty("cache." + cache + ".mode"), cache);
            assertEquals("true", report.getProperty("cache." + cache + ".roundtrip"), cache);
        }
        assertEquals("600000", report.getProperty("cache.park-events.lifespan"), "events are kept 10 minutes");
        assertEquals("20000", report.getProperty("cache.park-events.maxCount"), "and at most 20000 of them per node");
    }

    /**
     * The journal's bound holds in memory, not only in the configuration: WildFly 39's count-bounded heap container
     * never evicted from park-events (a node at 300 parks/s held ten minutes of events, 360000 of them).
     */
    @Test
    void theEventJournalHoldsNoMoreThanItsBound() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI probe = URI.create(base + "probe-events");
        try {
            Properties filled = send(http, HttpRequest.newBuilder(URI.create(probe + "?n=25000"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            long bound = Long.parseLong(filled.getProperty("maxCount"));
            assertEquals(20000, bound);
            assertTrue(Wait.until(() -> entries(http, probe) <= bound, Duration.ofSeconds(20)),
                    "after 25000 events the node holds at most " + bound + ", not " + entries(http, probe));
            assertTrue(entries(http, probe) > bound / 2, "and keeps the newest up to its bound");
        } finally {
            send(http, HttpRequest.newBuilder(probe).DELETE().build());
        }
    }

    private static long entries(HttpClient http, URI probe) {
        try {
            return Long.parseLong(send(http, HttpRequest.newBuilder(probe).build()).getProperty("entries"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        Properties properties = new Properties();
        properties.load(new StringReader(response.body()));
        return properties;
    }

    @Test
    void envVariablesReachSystemProperties() {
        assertEquals(System.getProperty("callpark.it.sip.port"), report.getProperty("callpark.sip.port"));
        assertEquals("127.0.0.1:" + System.getProperty("callpark.it.kamailio.port"),
                report.getProperty("callpark.proxy"));
        assertEquals("127.0.0.1", report.getProperty("callpark.sip.address"));
        assertEquals("it-node1", report.getProperty("callpark.node"));
    }

    @Test
    void defaultsApplyWhenEnvIsUnset() {
        assertEquals("20000-29999", report.getProperty("callpark.rtp.ports"));
        assertEquals("", report.getProperty("callpark.moh.file"));
        assertEquals("10", report.getProperty("callpark.park.limit"));
    }
}
