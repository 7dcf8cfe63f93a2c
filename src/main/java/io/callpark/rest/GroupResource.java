package io.callpark.rest;

import jakarta.inject.Named;
import io.callpark.store.TenantStore;
import io.callpark.store.GroupStore;
import io.callpark.store.TenantStore.Tenant;
import io.callpark.tenant.Group;
import io.callpark.rest.GroupReader;
import io.callpark.tenant.GroupRecall;
import io.callpark.rest.JsonFields;
import io.callpark.rest.Violation;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Ring groups and park groups of a configured tenant: create, read, replace, change, delete; add, remove and
 * reorder members. The two kinds differ in that a park group's members belong to no other park group and that a
 * park group may have its own recall settings.
 */
@Produces(MediaType.APPLICATION_JSON)
public abstract class GroupResource {

    /** Looked up once: {@code Json.createX} looks the provider up with a ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(GroupResource.class.getName());

    @Inject
    TenantStore tenants;

    @Inject
    @Named("ring")
    GroupStore ringGroups;

    @Inject
    @Named("park")
    GroupStore parkGroups;

    @Inject
    RequestCaller current;

    @Context
    UriInfo uri;

    /** "park group" or "ring group", for messages. */
    abstract String kindName();

    abstract GroupStore store();

    abstract boolean isParkGroup();

    /** 409 when the group may not go (a ring group still named by settings). */
    abstract void checkDeletable(String tenant, String name);

    @GET
    public JsonObject list(@PathParam("domain") String domain) {
        Tenant tenant = configured(domain);
        JsonArrayBuilder groups = JSON.createArrayBuilder();
        store().all(tenant.domain()).forEach(g -> groups.add(json(g)));
        return JSON.createObjectBuilder().add("groups", groups).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("domain") String domain, String body) {
        Tenant tenant = configured(domain);
        Group group = valid(tenant, GroupReader.read(JsonBody.object(body), Optional.empty(), isParkGroup(),
                tenant.settings()));
        Group created = written(tenant.domain(), group.name(), store().create(tenant.domain(), group));
        LOG.info("tenant " + tenant.domain() + ": " + kindName() + " " + created.name() + " created, members "
                + created.members());
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build()).entity(json(created))
                .build();
    }

    @GET
    @Path("{name}")
    public JsonObject get(@PathParam("domain") String domain, @PathParam("name") String name) {
        Tenant tenant = configured(domain);
        return json(existing(tenant.domain(), name));
    }

    /** Replaces the group: fields left out are empty (no members, the tenant's recall settings). */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject replace(@PathParam("domain") String domain, @PathParam("name") String name, String body) {
        Tenant tenant = configured(domain);
        existing(tenant.domain(), name);
        Group group = valid(tenant, GroupReader.read(JsonBody.object(body),
                Optional.of(new Group(name, List.of(), GroupRecall.NONE)), isParkGroup(), tenant.settings()));
        return json(change(tenant.domain(), name, g -> group));
    }

    /** Changes the fields sent; the others keep their values. */
    @PATCH
    @Path("{name}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public JsonObject patch(@PathParam("domain") String domain, @PathParam("name") String name, String body) {
        Tenant tenant = configured(domain);
        Group group = valid(tenant, GroupReader.read(JsonBody.object(body), Optional.of(existing(tenant.domain(),
                name)), isParkGroup(), tenant.settings()));
        return json(change(tenant.domain(), name, g -> group));
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("domain") String domain, @PathParam("name") String name) {
        Tenant tenant = configured(domain);
        existing(tenant.domain(), name);
        checkDeletable(tenant.domain(), name);
        if (!store().delete(tenant.domain(), name)) {
            throw noGroup(tenant.domain(), name);
        }
        LOG.info("tenant " + tenant.domain() + ": " + kindName() + " " + name + " deleted");
        return Response.noContent().build();
    }

    /** Adds {@code {"extension": "105", "position": 0}} (position: index in the order; the end when left out). */
    @POST
    @Path("{name}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject addMember(@PathParam("domain") String domain, @PathParam("name") String name, String body) {
        Tenant tenant = configured(domain);
        JsonFields fields = new JsonFields(JsonBody.object(body), Set.of("extension", "position"));
        String extension = fields.extension("extension");
        int position = fields.integer("position", Group.MAX_MEMBERS, 0, Group.MAX_MEMBERS);
        Problem.requireValid(fields);
        return json(change(tenant.domain(), name, g -> {
            if (g.members().contains(extension)) {
                throw new ProblemException(Problem.of(Response.Status.CONFLICT, "already-member", "Already a member",
                        extension + " is a member of " + kindName() + " " + name + " already"));
            }
            if (g.members().size() >= Group.MAX_MEMBERS) {
                throw new ProblemException(Problem.of(Response.Status.CONFLICT, "group-full", "Group full",
                        kindName() + " " + name + " has " + Group.MAX_MEMBERS + " members"));
            }
            List<String> members = new ArrayList<>(g.members());
            members.add(Math.min(position, members.size()), extension);
            return g.withMembers(members);
        }));
    }

    @DELETE
    @Path("{name}/members/{extension}")
    public JsonObject removeMember(@PathParam("domain") String domain, @PathParam("name") String name,
                                   @PathParam("extension") String extension) {
        Tenant tenant = configured(domain);
        return json(change(tenant.domain(), name, g -> {
            if (!g.members().contains(extension)) {
                throw ProblemException.notFound(extension + " is no member of " + kindName() + " " + name);
            }
            return g.withMembers(g.members().stream().filter(m -> !m.equals(extension)).toList());
        }));
    }

    /** Sets the members and their order: {@code {"members": ["103", "101"]}}. */
    @PUT
    @Path("{name}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject setMembers(@PathParam("domain") String domain, @PathParam("name") String name, String body) {
        Tenant tenant = configured(domain);
        JsonFields fields = new JsonFields(JsonBody.object(body), Set.of("members"));
        if (!fields.has("members")) {
            fields.violation("members", "required", "must be given: the extensions in their new order");
        }
        List<String> members = GroupReader.members(fields).orElse(List.of());
        Problem.requireValid(fields);
        return json(change(tenant.domain(), name, g -> g.withMembers(members)));
    }

    private Group change(String tenant, String name, UnaryOperator<Group> change) {
        Group changed = written(tenant, name, store().update(tenant, name, change));
        LOG.info("tenant " + tenant + ": " + kindName() + " " + name + " changed, members " + changed.members());
        return changed;
    }

    private Group written(String tenant, String name, GroupStore.Result result) {
        return switch (result.outcome()) {
            case DONE -> result.group().orElseThrow();
            case NOT_FOUND -> throw noGroup(tenant, name);
            case NAME_TAKEN -> throw new ProblemException(Problem.of(Response.Status.CONFLICT, "name-taken",
                    "Name taken", "tenant " + tenant + " has a " + kindName() + " named " + name + " already"));
            case MEMBER_ELSEWHERE -> throw new ProblemException(Problem.build(409, "member-in-another-group",
                    "Member of another group", "an extension is in at most one park group; nothing was changed",
                    List.of(new Violation("members", "in-another-group", result.conflict()))));
            case TOO_MANY -> throw new ProblemException(Problem.of(Response.Status.CONFLICT, "too-many-groups",
                    "Too many groups", "tenant " + tenant + " has " + GroupStore.MAX_GROUPS + " " + kindName()
                            + "s"));
        };
    }

    private Group valid(Tenant tenant, GroupReader.Result read) {
        List<Violation> violations = new ArrayList<>(read.violations());
        if (read.valid() && read.group().recall().ringGroup() != null && !read.group().recall().ringGroup().isEmpty()
                && ringGroups.find(tenant.domain(), read.group().recall().ringGroup()).isEmpty()) {
            violations.add(new Violation("recall.ringGroup", "unknown-ring-group", "tenant " + tenant.domain()
                    + " has no ring group '" + read.group().recall().ringGroup() + "'"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.invalid("the " + kindName() + " breaks " + violations.size()
                    + " rule(s); nothing was changed", violations));
        }
        return read.group();
    }

    private Group existing(String tenant, String name) {
        return store().find(tenant, name).orElseThrow(() -> noGroup(tenant, name));
    }

    private ProblemException noGroup(String tenant, String name) {
        return ProblemException.notFound("tenant " + tenant + " has no " + kindName() + " '" + name + "'");
    }

    /** Groups belong to a configured tenant; another tenant's answers 404 as if it did not exist. */
    private Tenant configured(String domain) {
        return TenantScope.configured(current.get(), domain, tenants);
    }

    private JsonObject json(Group group) {
        JsonArrayBuilder members = JSON.createArrayBuilder();
        group.members().forEach(members::add);
        JsonObjectBuilder json = JSON.createObjectBuilder().add("name", group.name()).add("members", members);
        if (isParkGroup()) {
            GroupRecall r = group.recall();
            JsonObjectBuilder recall = JSON.createObjectBuilder();
            Optional.ofNullable(r.recallTime()).ifPresent(v -> recall.add("recallTime", v));
            Optional.ofNullable(r.recallDestination()).ifPresent(v -> recall.add("recallDestination", v));
            Optional.ofNullable(r.ringGroup()).ifPresent(v -> recall.add("ringGroup", v));
            Optional.ofNullable(r.ringGroupWait()).ifPresent(v -> recall.add("ringGroupWait", v));
            Optional.ofNullable(r.retryInterval()).ifPresent(v -> recall.add("retryInterval", v));
            Optional.ofNullable(r.recallRingTime()).ifPresent(v -> recall.add("recallRingTime", v));
            Optional.ofNullable(r.recallAttempts()).ifPresent(v -> recall.add("recallAttempts", v));
            Optional.ofNullable(r.recallFinal()).ifPresent(v -> recall.add("recallFinal", v));
            json.add("recall", recall);
        }
        return json.build();
    }
}
