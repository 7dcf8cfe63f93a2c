package io.callpark.config;

import io.callpark.park.FeatureCodes;
import io.callpark.park.ParkLimits;

import java.net.URI;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The node's start-up settings, validated as a whole by {@link ConfigLoader}.
 *
 * @param sipAddress   address the SIP stack binds and advertises
 * @param sipPort      UDP/TCP port of the SIP stack
 * @param proxy        Kamailio: the only peer whose requests are trusted, and the next hop of out-of-dialog requests
 * @param rtpPorts     local RTP ports handed to parked calls (even numbers only)
 * @param mohFile      WAV file played to parked callers; empty for the built-in music
 * @param parkLimits   defaults of the tenants' limits: calls parked at one extension, by one user, in one tenant
 * @param mediaCapacity most calls this node parks (plays music to) at once; past it a park gets 503
 * @param callerSilence how long a parked caller may send no RTP before it is asked whether it is still there (an
 *                     in-dialog OPTIONS); zero: never
 * @param nodeName     this node's name in the cluster (owner of the music streams it plays)
 * @param featureCodes dial prefixes
 * @param apiKey       the operator's REST API key (sees and changes every tenant)
 * @param kamailioRpc  Kamailio's JSON-RPC over HTTP (registrations and calls of group park members)
 * @param sipSecret    shared with Kamailio: seals every message between them (docs/security.md)
 * @param promptsDir   where tenants' own recordings of the prompts are ({@code <dir>/<tenant>/<prompt>.wav}), if
 *                     anywhere: each one found replaces the built-in prompt for that tenant
 * @param webhooks     where tenants' webhooks may go (scheme, private destinations) and this node's own ports
 */
public record CallparkConfig(
        String sipAddress,
        int sipPort,
        HostPort proxy,
        PortRange rtpPorts,
        Optional<Path> mohFile,
        ParkLimits parkLimits,
        int mediaCapacity,
        java.time.Duration callerSilence,
        String nodeName,
        FeatureCodes featureCodes,
        String apiKey,
        URI kamailioRpc,
        String sipSecret,
        Optional<Path> promptsDir,
        WebhookPolicy webhooks) {

    /** Never prints the API key or the SIP secret. */
    @Override
    public String toString() {
        return "CallparkConfig[sip=" + sipAddress + ":" + sipPort + ", proxy=" + proxy + ", rtp=" + rtpPorts.first()
                + "-" + rtpPorts.last() + ", node=" + nodeName + ", parkLimits=" + parkLimits + ", mediaCapacity="
                + mediaCapacity + "]";
    }

    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public record PortRange(int first, int last) {
        public int size() {
            return last - first + 1;
        }
    }

}
