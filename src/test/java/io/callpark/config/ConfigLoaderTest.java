package io.callpark.config;

import io.callpark.park.ParkLimits;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static final String OPERATOR_KEY = "operator-key-for-the-unit-test";
    private static final String SIP_SECRET = "sip-secret-for-the-unit-test";
    private static final Map<String, String> SECRETS = Map.of(ConfigLoader.API_KEY, OPERATOR_KEY,
            ConfigLoader.SIP_SECRET, SIP_SECRET);

    @Test
    void defaultsMakeAWorkingNode() {
        CallparkConfig config = ConfigLoader.load(SECRETS::get);
        assertEquals(5080, config.sipPort());
        assertEquals(new CallparkConfig.HostPort("127.0.0.1", 5060), config.proxy());
        assertEquals(new ParkLimits(10, 50, 500), config.parkLimits());
        assertEquals(1500, config.mediaCapacity());
        assertEquals(java.time.Duration.ofSeconds(60), config.callerSilence());
        assertEquals("*68", config.featureCodes().park());
        assertTrue(config.mohFile().isEmpty());
        assertEquals(SIP_SECRET, config.sipSecret());
        assertTrue(!config.toString().contains(SIP_SECRET), config.toString());
    }

    @Test
    void aNodeWithoutTheSipSecretDoesNotStart() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ConfigLoader.load(Map.of(ConfigLoader.API_KEY, OPERATOR_KEY)::get));
        assertTrue(e.getMessage().contains("callpark.sip.secret (env CALLPARK_SIP_SECRET) must be set to at least 24"),
                e.getMessage());
    }

    @Test
    void everyBadSettingIsReportedAtOnce() {
        Map<String, String> bad = Map.of(
                ConfigLoader.SIP_PORT, "70000",
                ConfigLoader.PROXY, "kamailio",
                ConfigLoader.RTP_PORTS, "30000-20000",
                ConfigLoader.PARK_LIMIT, "ten",
                ConfigLoader.MOH_FILE, "/nonexistent/music.wav",
                ConfigLoader.FC_PARK, "68",
                ConfigLoader.API_KEY, "short-key",
                ConfigLoader.SIP_SECRET, SIP_SECRET,
                ConfigLoader.PROMPTS_DIR, "prompts/relative");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ConfigLoader.load(bad::get));
        assertEquals(8, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("callpark.prompts.dir=prompts/relative is not a readable directory"),
                e.getMessage());
        assertTrue(e.getMessage().contains("callpark.api.key (env CALLPARK_API_KEY) must be set to at least 24"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("short-key"), "the key itself is never printed: " + e.getMessage());
        assertTrue(e.getMessage().contains("callpark.sip.port=70000 must be between 1 and 65535"), e.getMessage());
        assertTrue(e.getMessage().contains("callpark.proxy=kamailio must be host:port"), e.getMessage());
    }

    @Test
    void featureCodesMustDiffer() {
        Map<String, String> same = Map.of(ConfigLoader.FC_PARK, "*88", ConfigLoader.API_KEY, OPERATOR_KEY,
                ConfigLoader.SIP_SECRET, SIP_SECRET);
        assertThrows(InvalidConfigurationException.class, () -> ConfigLoader.load(same::get));
    }

    @Test
    void webhookAllowListsAreReadAndABadEntryStopsTheNode() {
        Map<String, String> good = Map.of(ConfigLoader.API_KEY, OPERATOR_KEY, ConfigLoader.SIP_SECRET, SIP_SECRET,
                ConfigLoader.WEBHOOK_ALLOW, "127.0.0.1, 10.0.0.0/8,[fd00::]/8 ,Hooks.Internal.",
                ConfigLoader.WEBHOOK_ALLOW_HTTP, "127.0.0.0/8",
                "jboss.socket.binding.port-offset", "100");
        WebhookPolicy policy = ConfigLoader.load(good::get).webhooks();
        assertEquals(3, policy.allowNets().size());
        assertEquals(java.util.Set.of("hooks.internal"), policy.allowHosts());
        assertTrue(policy.allowsHttp("x", java.net.InetAddress.ofLiteral("127.0.0.5")));
        assertTrue(!policy.allowsHttp("x", java.net.InetAddress.ofLiteral("10.0.0.5")));
        assertTrue(policy.nodePorts().containsAll(java.util.Set.of(8180, 10090)), policy.nodePorts().toString());
        assertEquals(new CallparkConfig.HostPort("127.0.0.1", 5060), policy.rpc());

        assertTrue(ConfigLoader.load(Map.of(ConfigLoader.API_KEY, OPERATOR_KEY, ConfigLoader.SIP_SECRET,
                SIP_SECRET)::get).webhooks().allowNets().isEmpty(), "nothing private by default");

        Map<String, String> bad = Map.of(ConfigLoader.API_KEY, OPERATOR_KEY, ConfigLoader.SIP_SECRET, SIP_SECRET,
                ConfigLoader.WEBHOOK_ALLOW, "10.0.0.0/33, 2130706433, 0177.0.0.1, *, ok.example",
                ConfigLoader.WEBHOOK_ALLOW_HTTP, "*, not a host");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ConfigLoader.load(bad::get));
        assertEquals(5, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("callpark.webhook.allow (env CALLPARK_WEBHOOK_ALLOW): '2130706433' is no"
                + " IP address"), e.getMessage());
        assertTrue(e.getMessage().contains("'not a host'"), e.getMessage());
    }
}
