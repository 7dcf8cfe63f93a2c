package io.callpark.rest;

import io.callpark.flow.CallparkBootstrap;
import io.callpark.flow.CallparkNode;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Operator status of this node: what `./callpark status` prints. */
@Path("/status")
@RequestScoped
public class StatusResource {

    /** @param parkedCalls parked calls in the whole cluster; musicStreams the ones this node plays */
    public record NodeStatus(String node, String sip, String proxy, int parkedCalls, int musicStreams) {
    }

    @Inject
    CallparkBootstrap bootstrap;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public NodeStatus status() {
        CallparkNode node = bootstrap.node();
        return new NodeStatus(node.config().nodeName(),
                node.config().sipAddress() + ":" + node.config().sipPort(), node.config().proxy().toString(),
                node.parks().all().size(), node.music().streamCount());
    }
}
