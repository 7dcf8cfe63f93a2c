package io.callpark.rest;

import io.callpark.sip.KamailioRpc;
import io.callpark.store.LotStore;
import io.callpark.store.TenantStore;
import io.callpark.store.TenantStore.Tenant;
import io.callpark.tenant.ParkingLot;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A configured tenant's parking lots: create, read, replace (and so rename), delete. Names are unique in the
 * tenant, and no two lots share a slot, nor is a lot's code another lot's code or slot (409 {@code lot-clash}).
 */
@Path("/tenants/{domain}/lots")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class LotResource {

    /** Looked up once: {@code Json.createX} looks the provider up with a ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(LotResource.class.getName());

    @Inject
    TenantStore tenants;

    @Inject
    LotStore lots;

    @Inject
    KamailioRpc kamailio;

    @Inject
    RequestCaller current;

    @Context
    UriInfo uri;

    @GET
    public JsonObject list(@PathParam("domain") String domain) {
        Tenant tenant = configured(domain);
        JsonArrayBuilder all = JSON.createArrayBuilder();
        lots.all(tenant.domain()).forEach(l -> all.add(json(l)));
        return JSON.createObjectBuilder().add("lots", all).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("domain") String domain, String body) {
        Tenant tenant = configured(domain);
        ParkingLot lot = valid(LotReader.read(JsonBody.object(body), Optional.empty()));
        requireNoExtensionIn(tenant.domain(), lot);
        ParkingLot created = written(tenant.domain(), lot.name(), lot, lots.create(tenant.domain(), lot));
        LOG.info("tenant " + tenant.domain() + ": parking lot " + created.name() + " created, "
                + described(created));
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build()).entity(json(created))
                .build();
    }

    @GET
    @Path("{name}")
    public JsonObject get(@PathParam("domain") String domain, @PathParam("name") String name) {
        Tenant tenant = configured(domain);
        return json(existing(tenant.domain(), name));
    }

    /** Replaces the lot whole: a {@code code} left out is none; a {@code name} other than the lot's renames it. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject replace(@PathParam("domain") String domain, @PathParam("name") String name, String body) {
        Tenant tenant = configured(domain);
        existing(tenant.domain(), name);
        ParkingLot lot = valid(LotReader.read(JsonBody.object(body), Optional.of(name)));
        requireNoExtensionIn(tenant.domain(), lot);
        ParkingLot replaced = written(tenant.domain(), name, lot, lots.replace(tenant.domain(), name, lot));
        LOG.info("tenant " + tenant.domain() + ": parking lot " + name + (replaced.name().equals(name) ? " changed, "
                : " renamed " + replaced.name() + ", ") + described(replaced));
        return json(replaced);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("domain") String domain, @PathParam("name") String name) {
        Tenant tenant = configured(domain);
        if (!lots.delete(tenant.domain(), name)) {
            throw noLot(tenant.domain(), name);
        }
        LOG.info("tenant " + tenant.domain() + ": parking lot " + name + " deleted");
        return Response.noContent().build();
    }

    /** The lot as the store wrote it, or the problem why it did not ({@code name}: the lot it replaces). */
    private static ParkingLot written(String tenant, String name, ParkingLot lot, LotStore.Result result) {
        return switch (result.outcome()) {
            case DONE -> result.lot().orElseThrow();
            case NOT_FOUND -> throw noLot(tenant, name);
            case NAME_TAKEN -> throw new ProblemException(Problem.of(Response.Status.CONFLICT, "name-taken",
                    "Name taken", "tenant " + tenant + " has a parking lot named " + lot.name() + " already"));
            case CLASH -> throw new ProblemException(Problem.of(Response.Status.CONFLICT, "lot-clash",
                    "Lots clash", result.conflict()));
            case TOO_MANY -> throw new ProblemException(Problem.of(Response.Status.CONFLICT, "too-many-lots",
                    "Too many lots", "tenant " + tenant + " has " + LotStore.MAX_LOTS + " parking lots"));
        };
    }

    private static ParkingLot valid(LotReader.Result read) {
        if (!read.valid()) {
            throw new ProblemException(Problem.invalid("the parking lot breaks " + read.violations().size()
                    + " rule(s); nothing was changed", read.violations()));
        }
        return read.lot();
    }

    /** A slot or code that is a user's extension would shadow it (Kamailio routes users first): refused. */
    private void requireNoExtensionIn(String tenant, ParkingLot lot) {
        List<String> numbers = new ArrayList<>(lot.slots());
        if (!lot.code().isEmpty()) {
            numbers.add(lot.code());
        }
        Set<String> users = kamailio.usersAmong(tenant, numbers).orElseThrow(() -> new ProblemException(Problem.of(
                Response.Status.SERVICE_UNAVAILABLE, "extensions-unknown", "Extensions unknown",
                "the SIP proxy did not say which numbers are users of " + tenant + "; nothing was changed")));
        if (!users.isEmpty()) {
            throw new ProblemException(Problem.of(Response.Status.CONFLICT, "extension-clash", "Extension clash",
                    "users of " + tenant + " have these numbers: " + String.join(", ", new TreeSet<>(users))));
        }
    }

    private ParkingLot existing(String tenant, String name) {
        return lots.find(tenant, name).orElseThrow(() -> noLot(tenant, name));
    }

    private static ProblemException noLot(String tenant, String name) {
        return ProblemException.notFound("tenant " + tenant + " has no parking lot '" + name + "'");
    }

    /** Lots belong to a configured tenant; another tenant's answers 404 as if it did not exist. */
    private Tenant configured(String domain) {
        return TenantScope.configured(current.get(), domain, tenants);
    }

    private static String described(ParkingLot lot) {
        return "slots " + lot.first() + "-" + lot.last()
                + (lot.code().isEmpty() ? ", no code" : ", code " + lot.code());
    }

    private static JsonObject json(ParkingLot lot) {
        return JSON.createObjectBuilder().add("name", lot.name()).add("first", lot.first()).add("last", lot.last())
                .add("code", lot.code()).add("slots", lot.last() - lot.first() + 1).build();
    }
}
