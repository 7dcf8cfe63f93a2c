package io.callpark.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where tenants' webhooks may go beyond the public internet over https, as the operator configured it
 * ({@code CALLPARK_WEBHOOK_ALLOW}, {@code CALLPARK_WEBHOOK_ALLOW_HTTP}), and which ports of this node they may
 * never reach.
 *
 * @param allowNets      networks a webhook may reach although they are loopback, private, link-local...
 * @param allowHosts     host names (lower case) a webhook may reach whatever they resolve to
 * @param httpNets       networks a webhook may reach over plain http
 * @param httpHosts      host names a webhook may reach over plain http
 * @param httpEverywhere plain http anywhere ({@code *})
 * @param nodePorts      this node's own TCP ports (HTTP, HTTPS, management, JGroups): never a webhook's, on any
 *                       address of this host, whatever the allow-lists say
 * @param rpc            Kamailio's JSON-RPC endpoint: never a webhook's either
 */
public record WebhookPolicy(List<IpNet> allowNets, Set<String> allowHosts, List<IpNet> httpNets,
                            Set<String> httpHosts, boolean httpEverywhere, Set<Integer> nodePorts,
                            CallparkConfig.HostPort rpc) {

    public WebhookPolicy {
        allowNets = List.copyOf(allowNets);
        allowHosts = Set.copyOf(allowHosts);
        httpNets = List.copyOf(httpNets);
        httpHosts = Set.copyOf(httpHosts);
        nodePorts = Set.copyOf(nodePorts);
    }

    /** https only, nothing private allowed. */
    public static WebhookPolicy strict(Set<Integer> nodePorts, CallparkConfig.HostPort rpc) {
        return new WebhookPolicy(List.of(), Set.of(), List.of(), Set.of(), false, nodePorts, rpc);
    }

    public boolean allows(String host, InetAddress address) {
        return allowHosts.contains(host.toLowerCase(Locale.ROOT)) || allowNets.stream().anyMatch(n -> n.contains(address));
    }

    public boolean allowsHttp(String host, InetAddress address) {
        return httpEverywhere || httpHosts.contains(host.toLowerCase(Locale.ROOT))
                || httpNets.stream().anyMatch(n -> n.contains(address));
    }
}
