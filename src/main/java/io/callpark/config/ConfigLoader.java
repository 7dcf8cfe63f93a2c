package io.callpark.config;

import io.callpark.config.CallparkConfig.HostPort;
import io.callpark.config.CallparkConfig.PortRange;
import io.callpark.park.FeatureCodes;
import io.callpark.park.ParkLimits;

import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads every {@code callpark.*} setting, checks all of them, and either returns a complete configuration
 * or throws one exception naming every wrong setting: a node never starts half-configured.
 */
public final class ConfigLoader {

    public static final String SIP_ADDRESS = "callpark.sip.address";
    public static final String SIP_PORT = "callpark.sip.port";
    public static final String PROXY = "callpark.proxy";
    public static final String RTP_PORTS = "callpark.rtp.ports";
    public static final String MOH_FILE = "callpark.moh.file";
    public static final String PROMPTS_DIR = "callpark.prompts.dir";
    public static final String PARK_LIMIT = "callpark.park.limit";
    public static final String USER_PARK_LIMIT = "callpark.park.limit.user";
    public static final String TENANT_PARK_LIMIT = "callpark.park.limit.tenant";
    /** Measured: one node keeps every stream on time up to 1500 parked calls (docs/benchmarks.md). */
    public static final String MEDIA_CAPACITY = "callpark.media.capacity";
    /** Seconds without RTP from a parked caller before it is asked (in-dialog OPTIONS) whether it is there. */
    public static final String CALLER_SILENCE = "callpark.media.silence";
    public static final String NODE = "callpark.node";
    public static final String FC_PARK = "callpark.fc.park";
    public static final String FC_RETRIEVE = "callpark.fc.retrieve";
    public static final String FC_GROUP = "callpark.fc.group";
    public static final String API_KEY = "callpark.api.key";
    public static final String KAMAILIO_RPC = "callpark.kamailio.rpc";
    public static final String SIP_SECRET = "callpark.sip.secret";
    /** Networks and host names webhooks may reach although private, loopback, link-local... (comma-separated). */
    public static final String WEBHOOK_ALLOW = "callpark.webhook.allow";
    /** Networks and host names webhooks may reach over plain http, or {@code *} (comma-separated). */
    public static final String WEBHOOK_ALLOW_HTTP = "callpark.webhook.allow.http";
    static final int API_KEY_MIN_LENGTH = 24;
    private static final Pattern HOST_NAME = Pattern.compile(
            "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-:\\[\\]]+");

    private final Function<String, String> source;
    private final List<String> errors = new ArrayList<>();

    private ConfigLoader(Function<String, String> source) {
        this.source = source;
    }

    public static CallparkConfig fromSystemProperties() {
        return load(System::getProperty);
    }

    public static CallparkConfig load(Function<String, String> source) {
        return new ConfigLoader(source).read();
    }

    private CallparkConfig read() {
        String sipAddress = host(SIP_ADDRESS, "127.0.0.1");
        int sipPort = port(SIP_PORT, "5080");
        HostPort proxy = hostPort(PROXY, "127.0.0.1:5060");
        PortRange rtp = portRange(RTP_PORTS, "20000-29999");
        Optional<Path> moh = mohFile();
        ParkLimits limits = new ParkLimits(intIn(PARK_LIMIT, "10", 1, ParkLimits.EXTENSION_MAX),
                intIn(USER_PARK_LIMIT, "50", 1, ParkLimits.USER_MAX),
                intIn(TENANT_PARK_LIMIT, "500", 1, ParkLimits.TENANT_MAX));
        int capacity = intIn(MEDIA_CAPACITY, "1500", 1, 100_000);
        java.time.Duration silence = java.time.Duration.ofSeconds(intIn(CALLER_SILENCE, "60", 0, 3600));
        String node = text(NODE, "node1");
        FeatureCodes codes = new FeatureCodes(
                featureCode(FC_PARK, "*68"), featureCode(FC_RETRIEVE, "*88"), featureCode(FC_GROUP, "*58"));
        codes.ambiguity().ifPresent(why -> errors.add("feature codes " + codes.all() + ": " + why));
        String apiKey = apiKey();
        URI rpc = kamailioRpc(proxy);
        String sipSecret = secret(SIP_SECRET, "CALLPARK_SIP_SECRET");
        Optional<Path> prompts = promptsDir();
        WebhookPolicy webhooks = webhookPolicy(rpc);
        if (!errors.isEmpty()) {
            throw new InvalidConfigurationException(errors);
        }
        return new CallparkConfig(sipAddress, sipPort, proxy, rtp, moh, limits, capacity, silence, node, codes, apiKey,
                rpc, sipSecret, prompts, webhooks);
    }

    private String raw(String key, String fallback) {
        String value = source.apply(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private String text(String key, String fallback) {
        return raw(key, fallback);
    }

    private String host(String key, String fallback) {
        String value = raw(key, fallback);
        if (!HOST.matcher(value).matches()) {
            errors.add(key + "=" + value + " is not a host name or IP address");
        }
        return value;
    }

    private int port(String key, String fallback) {
        return intIn(key, fallback, 1, 65535);
    }

    private int intIn(String key, String fallback, int min, int max) {
        String value = raw(key, fallback);
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                errors.add(key + "=" + value + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            errors.add(key + "=" + value + " is not a whole number");
            return min;
        }
    }

    private HostPort hostPort(String key, String fallback) {
        String value = raw(key, fallback);
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            errors.add(key + "=" + value + " must be host:port");
            return new HostPort(value, 0);
        }
        String host = value.substring(0, colon);
        if (!HOST.matcher(host).matches()) {
            errors.add(key + "=" + value + " has an invalid host");
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 1 || port > 65535) {
                errors.add(key + "=" + value + " has a port outside 1-65535");
            }
            return new HostPort(host, port);
        } catch (NumberFormatException e) {
            errors.add(key + "=" + value + " has a port that is not a number");
            return new HostPort(host, 0);
        }
    }

    private PortRange portRange(String key, String fallback) {
        String value = raw(key, fallback);
        String[] parts = value.split("-");
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            int first = Integer.parseInt(parts[0].trim());
            int last = Integer.parseInt(parts[1].trim());
            if (first < 1024 || last > 65534 || first >= last) {
                errors.add(key + "=" + value + " must be low-high with 1024 <= low < high <= 65534");
            }
            return new PortRange(first, last);
        } catch (NumberFormatException e) {
            errors.add(key + "=" + value + " must be low-high, e.g. 20000-29999");
            return new PortRange(0, 0);
        }
    }

    private Optional<Path> mohFile() {
        String value = raw(MOH_FILE, "");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            errors.add(MOH_FILE + "=" + value + " is not a readable file");
        }
        return Optional.of(path);
    }

    private Optional<Path> promptsDir() {
        String value = raw(PROMPTS_DIR, "");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        if (!path.isAbsolute() || !Files.isDirectory(path) || !Files.isReadable(path)) {
            errors.add(PROMPTS_DIR + "=" + value + " is not a readable directory (an absolute path)");
        }
        return Optional.of(path);
    }

    /** Kamailio's JSON-RPC URL; by default POST /RPC on the proxy's address (its TCP listener). */
    private URI kamailioRpc(HostPort proxy) {
        String value = raw(KAMAILIO_RPC, "http://" + proxy + "/RPC");
        try {
            URI uri = new URI(value);
            if ("http".equals(uri.getScheme()) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        errors.add(KAMAILIO_RPC + "=" + value + " must be an http:// URL of Kamailio's JSON-RPC");
        return URI.create("http://127.0.0.1/RPC");
    }

    /** The operator's REST API key: required, and never echoed in a message. */
    private String apiKey() {
        return secret(API_KEY, "CALLPARK_API_KEY");
    }

    /** A secret setting: required, at least 24 characters without spaces, never echoed in a message. */
    private String secret(String key, String env) {
        String value = raw(key, "");
        if (value.length() < API_KEY_MIN_LENGTH || value.chars().anyMatch(Character::isWhitespace)) {
            errors.add(key + " (env " + env + ") must be set to at least " + API_KEY_MIN_LENGTH
                    + " characters without spaces (got " + value.length() + " characters)");
        }
        return value;
    }

    private WebhookPolicy webhookPolicy(URI rpc) {
        List<IpNet> allowNets = new ArrayList<>();
        Set<String> allowHosts = new HashSet<>();
        destinations(WEBHOOK_ALLOW, "CALLPARK_WEBHOOK_ALLOW", false, allowNets, allowHosts);
        List<IpNet> httpNets = new ArrayList<>();
        Set<String> httpHosts = new HashSet<>();
        boolean httpEverywhere = destinations(WEBHOOK_ALLOW_HTTP, "CALLPARK_WEBHOOK_ALLOW_HTTP", true, httpNets,
                httpHosts);
        return new WebhookPolicy(allowNets, allowHosts, httpNets, httpHosts, httpEverywhere,
                nodePorts(), new HostPort(rpc.getHost(), rpc.getPort() < 0 ? 80 : rpc.getPort()));
    }

    /** Reads a comma-separated list of networks and host names; whether it is {@code *} (where allowed). */
    private boolean destinations(String key, String env, boolean starAllowed, List<IpNet> nets, Set<String> hosts) {
        boolean star = false;
        for (String entry : raw(key, "").split(",")) {
            String e = entry.trim().toLowerCase(java.util.Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            Optional<IpNet> net = IpNet.parse(e);
            if (net.isPresent()) {
                nets.add(net.get());
            } else if (starAllowed && e.equals("*")) {
                star = true;
            } else if (HOST_NAME.matcher(e).matches() && !e.replaceFirst("\\.$", "").matches("(.*\\.)?[0-9]+")
                    && !e.startsWith("0x")) {
                hosts.add(e.replaceFirst("\\.$", ""));
            } else {
                errors.add(key + " (env " + env + "): '" + entry.trim() + "' is no IP address (dotted decimal or "
                        + "IPv6), network (address/prefix) or host name" + (starAllowed ? ", nor *" : ""));
            }
        }
        return star;
    }

    /** This node's TCP ports as WildFly binds them (its socket bindings' defaults plus the offset). */
    private Set<Integer> nodePorts() {
        int offset = intIn("jboss.socket.binding.port-offset", "0", 0, 65535);
        Set<Integer> ports = new HashSet<>();
        for (String[] binding : new String[][] {{"jboss.http.port", "8080"}, {"jboss.https.port", "8443"},
                {"jboss.management.http.port", "9990"}, {"jboss.management.https.port", "9993"},
                {"jboss.ajp.port", "8009"}, {"callpark.jgroups.port", "7600"}}) {
            ports.add(intIn(binding[0], binding[1], 1, 65535) + offset);
        }
        return ports;
    }

    private String featureCode(String key, String fallback) {
        String value = raw(key, fallback);
        if (!FeatureCodes.CODE.matcher(value).matches()) {
            errors.add(key + "=" + value + " must be * followed by 1-4 digits");
        }
        return value;
    }
}
