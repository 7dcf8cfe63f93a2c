package io.callpark.event;

import io.callpark.config.CallparkConfig.HostPort;
import io.callpark.config.IpNet;
import io.callpark.config.WebhookPolicy;
import io.callpark.event.WebhookDestinations.AddressClass;
import io.callpark.event.WebhookDestinations.Checked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The destination rules of webhooks, on a fake resolver: no DNS is asked. */
class WebhookDestinationsTest {

    private static final Set<Integer> NODE_PORTS = Set.of(8080, 9990, 7600);
    private static final HostPort RPC = new HostPort("127.0.0.1", 5060);
    private static final InetAddress HOST_LAN = InetAddress.ofLiteral("192.0.2.44"); // this host's own address

    /** A fake DNS: these names and IP literals, nothing else. */
    private static final WebhookDestinations.Resolver FAKE_DNS = host -> {
        Map<String, List<String>> names = Map.of(
                "hooks.example.com", List.of("93.184.216.34"),
                "rebound.example.com", List.of("93.184.216.34", "10.1.2.3"),
                "metadata.example.com", List.of("169.254.169.254"),
                "intranet.example.com", List.of("10.20.30.40"));
        if (names.containsKey(host)) {
            return names.get(host).stream().map(InetAddress::ofLiteral).toList();
        }
        try {
            return List.of(InetAddress.ofLiteral(host));
        } catch (IllegalArgumentException e) {
            throw new UnknownHostException(host);
        }
    };

    private static WebhookDestinations strict() {
        return new WebhookDestinations(WebhookPolicy.strict(NODE_PORTS, RPC), Set.of(HOST_LAN), FAKE_DNS);
    }

    private static Checked check(WebhookDestinations destinations, String url) {
        return destinations.check(URI.create(url));
    }

    private static List<String> rules(Checked checked) {
        return checked.refusals().stream().map(WebhookDestinations.Refusal::rule).toList();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1, LOOPBACK", "127.255.0.9, LOOPBACK", "::1, LOOPBACK",
            "::ffff:127.0.0.1, LOOPBACK", "::127.0.0.1, LOOPBACK", "64:ff9b::7f00:1, LOOPBACK",
            "2002:7f00:1::, LOOPBACK",
            "169.254.169.254, LINK_LOCAL", "fe80::1, LINK_LOCAL", "::ffff:169.254.169.254, LINK_LOCAL",
            "10.0.0.1, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE", "192.168.1.1, PRIVATE",
            "100.64.0.1, PRIVATE", "::ffff:10.0.0.1, PRIVATE", "64:ff9b:1::1, PRIVATE",
            "fc00::1, UNIQUE_LOCAL", "fd12:3456::1, UNIQUE_LOCAL", "fec0::1, UNIQUE_LOCAL",
            "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "::, UNSPECIFIED",
            "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST", "255.255.255.255, MULTICAST", "ff02::1, MULTICAST",
            "240.0.0.1, RESERVED", "198.18.0.1, RESERVED", "192.0.0.8, RESERVED",
            "93.184.216.34, PUBLIC", "172.32.0.1, PUBLIC", "2606:2800:220:1::1, PUBLIC", "::ffff:8.8.8.8, PUBLIC"
    })
    void classifiesEveryForm(String address, AddressClass expected) {
        assertEquals(expected, WebhookDestinations.classify(InetAddress.ofLiteral(address)));
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource({
            "https://127.0.0.1/hook, destination-loopback",
            "https://[::1]/hook, destination-loopback",
            "https://[::ffff:127.0.0.1]/hook, destination-loopback",
            "https://2130706433/hook, destination-loopback",
            "https://017700000001/hook, destination-loopback",
            "https://0x7f000001/hook, destination-loopback",
            "https://0177.0.0.1/hook, destination-loopback",
            "https://127.000.000.001/hook, destination-loopback",
            "https://localhost/hook, destination-loopback",
            "https://LOCALHOST./hook, destination-loopback",
            "https://hooks.localhost/hook, destination-loopback",
            "https://0.0.0.0/hook, destination-unspecified",
            "https://[::]/hook, destination-unspecified",
            "https://169.254.169.254/latest/meta-data, destination-link-local",
            "https://metadata.example.com/, destination-link-local",
            "https://10.0.0.1/hook, destination-private",
            "https://intranet.example.com/hook, destination-private",
            "https://rebound.example.com/hook, destination-private",
            "https://[fd00::1]/hook, destination-unique-local",
            "https://224.0.0.1/hook, destination-multicast",
            "https://nowhere.example.com/hook, destination-unresolved",
            "https://0x08080808/hook, host",
            "http://hooks.example.com/hook, scheme",
            "ftp://hooks.example.com/hook, scheme"
    })
    void aTenantsUrlIsRefusedNamingTheRule(String url, String rule) {
        Checked checked = check(strict(), url);
        assertFalse(checked.allowed(), url);
        assertTrue(rules(checked).contains(rule), url + " broke " + rules(checked));
    }

    @Test
    void httpsToAPublicAddressIsAllowedAndTheAddressesCheckedAreTheOnesToConnectTo() {
        Checked checked = check(strict(), "https://hooks.example.com/hook?token=abc");
        assertTrue(checked.allowed(), checked.refusals().toString());
        assertEquals(List.of(InetAddress.ofLiteral("93.184.216.34")), checked.addresses());
        assertEquals(443, checked.port());
    }

    @Test
    void noRefusalNamesThePathQueryOrUserInfo() {
        Checked checked = check(strict(), "http://user:pw@127.0.0.1/secret-path?token=t0k3n");
        String all = checked.refusals().toString();
        assertFalse(all.contains("secret-path") || all.contains("t0k3n") || all.contains("pw"), all);
    }

    @Test
    void theOperatorsAllowListOpensNetworksAndNamesAndPlainHttpSeparately() {
        WebhookPolicy policy = new WebhookPolicy(List.of(IpNet.parse("127.0.0.0/8").orElseThrow()),
                Set.of("intranet.example.com"), List.of(IpNet.parse("127.0.0.1").orElseThrow()), Set.of(), false,
                NODE_PORTS, RPC);
        WebhookDestinations destinations = new WebhookDestinations(policy, Set.of(HOST_LAN), FAKE_DNS);

        assertTrue(check(destinations, "http://127.0.0.1:4000/hook").allowed());
        assertEquals(List.of("scheme"), rules(check(destinations, "http://127.0.0.2:4000/hook")),
                "loopback allowed there, plain http not");
        assertTrue(check(destinations, "https://intranet.example.com/hook").allowed());
        assertEquals(List.of("scheme"), rules(check(destinations, "http://intranet.example.com/hook")));
        assertEquals(List.of("destination-link-local"), rules(check(destinations, "https://169.254.169.254/")));
    }

    @Test
    void thisNodesOwnPortsAreNeverAWebhooksWhateverTheAllowList() {
        WebhookPolicy policy = new WebhookPolicy(List.of(IpNet.parse("0.0.0.0/0").orElseThrow()), Set.of(),
                List.of(), Set.of(), true, NODE_PORTS, RPC);
        WebhookDestinations destinations = new WebhookDestinations(policy, Set.of(HOST_LAN), FAKE_DNS);

        assertEquals(List.of("destination-node-port"), rules(check(destinations, "http://127.0.0.1:9990/")));
        assertEquals(List.of("destination-node-port"), rules(check(destinations, "http://0.0.0.0:8080/")));
        assertEquals(List.of("destination-node-port"), rules(check(destinations, "http://192.0.2.44:7600/")),
                "this host's own LAN address");
        assertEquals(List.of("destination-node-port"), rules(check(destinations, "http://127.0.0.1:5060/RPC")),
                "Kamailio's JSON-RPC");
        assertTrue(check(destinations, "http://127.0.0.1:4000/").allowed());
        assertTrue(check(destinations, "http://192.0.2.45:9990/").allowed(), "another host's port 9990");
    }
}
