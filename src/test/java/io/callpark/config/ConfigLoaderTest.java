package io.callpark.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static final String OPERATOR_KEY = "operator-key-for-the-unit-test";

    @Test
    void defaultsMakeAWorkingNode() {
        CallparkConfig config = ConfigLoader.load(k -> k.equals(ConfigLoader.API_KEY) ? OPERATOR_KEY : null);
        assertEquals(5080, config.sipPort());
        assertEquals(new CallparkConfig.HostPort("127.0.0.1", 5060), config.proxy());
        assertEquals(10, config.parkLimit());
        assertEquals("*68", config.featureCodes().park());
        assertTrue(config.mohFile().isEmpty());
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
                ConfigLoader.API_KEY, "short-key");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ConfigLoader.load(bad::get));
        assertEquals(7, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("callpark.api.key (env CALLPARK_API_KEY) must be set to at least 24"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("short-key"), "the key itself is never printed: " + e.getMessage());
        assertTrue(e.getMessage().contains("callpark.sip.port=70000 must be between 1 and 65535"), e.getMessage());
        assertTrue(e.getMessage().contains("callpark.proxy=kamailio must be host:port"), e.getMessage());
    }

    @Test
    void featureCodesMustDiffer() {
        Map<String, String> same = Map.of(ConfigLoader.FC_PARK, "*88", ConfigLoader.API_KEY, OPERATOR_KEY);
        assertThrows(InvalidConfigurationException.class, () -> ConfigLoader.load(same::get));
    }
}
