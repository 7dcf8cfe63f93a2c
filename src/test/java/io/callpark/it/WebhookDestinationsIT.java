package io.callpark.it;

import io.callpark.testing.ApiClient;
import io.callpark.testing.ApiClient.Reply;
import io.callpark.testing.WebhookReceiver;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: a tenant's webhook goes nowhere the operator did not allow. The test server allows 127.0.0.1 with
 * plain http (pom.xml: CALLPARK_WEBHOOK_ALLOW, CALLPARK_WEBHOOK_ALLOW_HTTP) for the tests' receivers, and nothing
 * else private.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebhookDestinationsIT extends PhonesOnTestNetwork {

    private final ApiClient operator = ApiClient.operator();

    @Test
    void aTenantKeyCannotPointAWebhookAtTheNodeTheMetadataServiceOrAPrivateNetwork() throws Exception {
        String tenant = "/tenants/hooks.test";
        assertEquals(201, operator.put(tenant, "{}").status());
        try {
            ApiClient own = operator.withKey(operator.post(tenant + "/keys", null).json().path("key").asText());
            String mgmt = System.getProperty("callpark.it.mgmt.port");
            String http = System.getProperty("callpark.it.http.port");
            Map<String, List<String>> refused = Map.ofEntries(
                    Map.entry("http://127.0.0.1:" + mgmt + "/management", List.of("destination-node-port")),
                    Map.entry("http://127.0.0.1:" + http + "/callpark/api/tenants", List.of("destination-node-port")),
                    Map.entry("http://169.254.169.254/latest/meta-data/", List.of("destination-link-local", "scheme")),
                    Map.entry("https://169.254.169.254/latest/meta-data/", List.of("destination-link-local")),
                    Map.entry("https://[::ffff:169.254.169.254]/", List.of("destination-link-local")),
                    Map.entry("https://10.1.2.3/hook", List.of("destination-private")),
                    Map.entry("https://192.168.0.10/hook", List.of("destination-private")),
                    Map.entry("https://[fd00::1]/hook", List.of("destination-unique-local")),
                    Map.entry("https://0.0.0.0:4000/hook", List.of("destination-unspecified")),
                    Map.entry("https://2130706433:4000/hook", List.of("destination-loopback")),
                    Map.entry("https://localhost:4000/hook", List.of("destination-loopback")),
                    Map.entry("https://[::1]:4000/hook", List.of("destination-loopback")),
                    Map.entry("https://127.0.0.2:4000/hook", List.of("destination-loopback")));
            for (Map.Entry<String, List<String>> url : refused.entrySet()) {
                Reply reply = own.post(tenant + "/webhooks", "{\"url\": \"" + url.getKey() + "\"}");
                assertEquals(422, reply.status(), url.getKey() + ": " + reply.body());
                assertTrue(reply.isProblem(), reply.contentType());
                for (String rule : url.getValue()) {
                    assertTrue(reply.names("url", rule), url.getKey() + " names " + rule + ": " + reply.body());
                }
            }
            assertEquals(0, own.get(tenant + "/webhooks").json().path("webhooks").size(), "nothing registered");

            try (WebhookReceiver receiver = new WebhookReceiver(0)) {
                Reply allowed = own.post(tenant + "/webhooks", "{\"url\": \"" + receiver.url() + "\"}");
                assertEquals(201, allowed.status(), "the operator allowed 127.0.0.1 over http: " + allowed.body());
            }
        } finally {
            operator.delete(tenant);
        }
    }
}
