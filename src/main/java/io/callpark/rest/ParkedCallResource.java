package io.callpark.rest;

import io.callpark.store.TenantStore;
import io.callpark.event.EventJson;
import io.callpark.flow.CallControl;
import io.callpark.park.ParkedCall;
import io.callpark.rest.JsonFields;
import io.callpark.rest.Violation;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The parked calls of a tenant: list (all, or one extension's, oldest first), one call, and what an application
 * may do with one: hang it up, move it to another extension, ring a phone to take it.
 */
@Path("/tenants/{domain}/parked")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ParkedCallResource {

    /** Looked up once: {@code Json.createX} looks the provider up with a ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final int DEFAULT_RING_S = 30;

    @Inject
    TenantStore tenants;

    @Inject
    CallControl calls;

    @Inject
    RequestCaller current;

    @GET
    public JsonObject list(@PathParam("domain") String domain, @QueryParam("extension") String extension) {
        String tenant = TenantScope.reachable(current.get(), domain);
        Optional<String> only = Optional.ofNullable(extension);
        only.filter(e -> !JsonFields.EXTENSION.matcher(e).matches()).ifPresent(e -> {
            throw new ProblemException(Problem.invalid("the extension filter is no extension", List.of(
                    new Violation("extension", "pattern", "must be 1-32 letters, digits, '.', '_', '+' or '-' (got '"
                            + e + "')"))));
        });
        JsonArrayBuilder calls = JSON.createArrayBuilder();
        String code = retrieveCode(tenant);
        calls().list(tenant, only).forEach(c -> calls.add(EventJson.call(c, code)));
        return JSON.createObjectBuilder().add("calls", calls).build();
    }

    @GET
    @Path("{parkId}")
    public JsonObject get(@PathParam("domain") String domain, @PathParam("parkId") String parkId) {
        String tenant = TenantScope.reachable(current.get(), domain);
        return calls().find(tenant, parkId).map(c -> EventJson.call(c, retrieveCode(tenant)))
                .orElseThrow(() -> noCall(tenant, parkId));
    }

    /** Hangs up the parked caller (BYE); the devices and event subscribers are told. */
    @DELETE
    @Path("{parkId}")
    public Response hangUp(@PathParam("domain") String domain, @PathParam("parkId") String parkId)
            throws TimeoutException {
        String tenant = TenantScope.reachable(current.get(), domain);
        answer(tenant, parkId, calls().hangUp(tenant, parkId));
        return Response.noContent().build();
    }

    /** Moves the call to {@code {"extension": "104"}} of the same tenant. */
    @POST
    @Path("{parkId}/move")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject move(@PathParam("domain") String domain, @PathParam("parkId") String parkId, String body)
            throws TimeoutException {
        String tenant = TenantScope.reachable(current.get(), domain);
        JsonFields fields = new JsonFields(JsonBody.object(body), Set.of("extension"));
        String extension = fields.extension("extension");
        Problem.requireValid(fields);
        ParkedCall moved = answer(tenant, parkId, calls().move(tenant, parkId, extension));
        return EventJson.call(moved, retrieveCode(tenant));
    }

    /**
     * One-click retrieval: {@code {"extension": "103", "ringTimeout": 30}} rings that extension's phones and joins
     * the caller with the first that answers. 202 while it rings; a {@code retrieved} event follows the answer,
     * and the call waits again if nobody answers.
     */
    @POST
    @Path("{parkId}/retrieve")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response retrieve(@PathParam("domain") String domain, @PathParam("parkId") String parkId, String body)
            throws TimeoutException {
        String tenant = TenantScope.reachable(current.get(), domain);
        JsonFields fields = new JsonFields(JsonBody.object(body), Set.of("extension", "ringTimeout"));
        String extension = fields.extension("extension");
        int ringSeconds = fields.integer("ringTimeout", DEFAULT_RING_S, 5, 120);
        Problem.requireValid(fields);
        ParkedCall ringing = answer(tenant, parkId, calls().retrieveTo(tenant, parkId, extension, ringSeconds));
        return Response.accepted(EventJson.call(ringing, retrieveCode(tenant))).build();
    }

    private ParkedCall answer(String tenant, String parkId, CallControl.Result result) {
        return switch (result.outcome()) {
            case DONE -> result.call().orElseThrow();
            case NOT_FOUND -> throw noCall(tenant, parkId);
            case BEING_RETRIEVED -> throw new ProblemException(Problem.of(Response.Status.CONFLICT,
                    "being-retrieved", "Call is being retrieved", "park " + parkId + " is being joined with a"
                            + " retriever right now; it is no longer parked or will be back shortly"));
            case TARGET_FULL -> throw new ProblemException(Problem.of(Response.Status.CONFLICT, "extension-full",
                    "Extension full", "the target extension already has as many parked calls as tenant " + tenant
                            + " allows (callsPerExtension); the call stays where it is"));
        };
    }

    private static ProblemException noCall(String tenant, String parkId) {
        return ProblemException.notFound("no call parked with id " + parkId + " in tenant " + tenant);
    }

    private CallControl calls() {
        return calls;
    }

    private String retrieveCode(String tenant) {
        return tenants.settingsOf(tenant).featureCodes().retrieve();
    }
}
