package io.callpark.rest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.Optional;

/**
 * A tenant's park events as Server-Sent Events: {@code parked}, {@code retrieved}, {@code abandoned},
 * {@code moved}, {@code hung-up}, each with the event JSON (docs/openapi.yaml) as data and its id as the SSE id.
 */
@Path("/tenants/{domain}/events")
@RequestScoped
public class EventResource {

    @Inject
    RequestCaller current;

    @Inject
    EventStreams streams;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@PathParam("domain") String domain, @HeaderParam("Last-Event-ID") String lastEventId,
                       @Context SseEventSink sink, @Context Sse sse) {
        String tenant = TenantScope.reachable(current.get(), domain);
        streams.open(tenant, current.get().keyHash(), sink, sse,
                Optional.ofNullable(lastEventId).filter(id -> !id.isBlank()));
    }
}
