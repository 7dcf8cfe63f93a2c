package io.callpark.rest;

import jakarta.inject.Named;
import io.callpark.store.GroupStore;
import io.callpark.store.LotStore;
import io.callpark.store.MusicStore;
import io.callpark.store.WebhookStore;
import io.callpark.store.ApiKeyStore;
import io.callpark.store.TenantStore.Tenant;
import io.callpark.store.TenantStore;
import io.callpark.rest.SettingsReader;
import io.callpark.tenant.TenantSettings;
import io.callpark.rest.Violation;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
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
import java.util.logging.Logger;

/**
 * Tenants (SIP domains) and their park settings, and the tenants' API keys. The operator creates and deletes
 * tenants and issues keys; a tenant key reads and changes its own tenant's settings and sees no other tenant
 * (another tenant answers 404, as if it did not exist).
 */
@Path("/tenants")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

    /** Looked up once: {@code Json.createX} looks the provider up with a ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(TenantResource.class.getName());

    @Inject
    TenantStore tenants;

    @Inject
    ApiKeyStore apiKeys;

    @Inject
    WebhookStore webhooks;

    @Inject
    @Named("ring")
    GroupStore ringGroups;

    @Inject
    @Named("park")
    GroupStore parkGroups;

    @Inject
    LotStore lots;

    @Inject
    MusicStore uploads;

    @Inject
    RequestCaller current;

    @Context
    UriInfo uri;

    private Caller caller() {
        return current.get();
    }

    private TenantStore tenants() {
        return tenants;
    }

    private ApiKeyStore keys() {
        return apiKeys;
    }

    @GET
    public JsonObject list() {
        JsonArrayBuilder items = JSON.createArrayBuilder();
        tenants().all().stream().filter(t -> caller().sees(t.domain())).map(TenantJson::tenant).forEach(items::add);
        return JSON.createObjectBuilder().add("tenants", items).build();
    }

    @GET
    @Path("{domain}")
    public JsonObject get(@PathParam("domain") String domain) {
        return TenantJson.tenant(visible(domain));
    }

    /** Creates the tenant (operator) or replaces all its settings; fields left out take their defaults. */
    @PUT
    @Path("{domain}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("domain") String domain, String body) {
        String d = domain(domain);
        JsonObject json = JsonBody.object(body);
        Optional<Tenant> existing = caller().sees(d) ? tenants().find(d) : Optional.empty();
        if (existing.isEmpty() && !caller().isOperator()) {
            throw ProblemException.notFound("no tenant " + d);
        }
        TenantSettings settings = valid(d, SettingsReader.read(json, tenants().defaults()));
        if (existing.isEmpty()) {
            if (tenants().create(d, settings)) {
                LOG.info("tenant " + d + ": created");
                return Response.created(uri.getAbsolutePath()).entity(TenantJson.tenant(tenants().find(d).orElseThrow()))
                        .build();
            }
            existing = tenants().find(d); // created meanwhile by another request: replace like an update
        }
        return Response.ok(TenantJson.tenant(update(existing.orElseThrow(), settings))).build();
    }

    /** Changes the settings named in the body; the others keep their values. All or nothing. */
    @PATCH
    @Path("{domain}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public JsonObject patch(@PathParam("domain") String domain, String body) {
        Tenant tenant = visible(domain);
        JsonObject json = JsonBody.object(body);
        TenantSettings settings = valid(tenant.domain(), SettingsReader.read(json, tenant.settings()));
        return TenantJson.tenant(update(tenant, settings));
    }

    @DELETE
    @Path("{domain}")
    public Response delete(@PathParam("domain") String domain) {
        Tenant tenant = visible(domain);
        operatorOnly("delete a tenant");
        tenants().delete(tenant.domain());
        keys().revokeAll(tenant.domain());
        webhooks.removeAll(tenant.domain());
        ringGroups.deleteAll(tenant.domain());
        parkGroups.deleteAll(tenant.domain());
        lots.deleteAll(tenant.domain());
        uploads.delete(tenant.domain());
        LOG.info("tenant " + tenant.domain() + ": deleted with its API keys, webhooks, groups, parking lots and"
                + " hold music");
        return Response.noContent().build();
    }

    @POST
    @Path("{domain}/keys")
    public Response issueKey(@PathParam("domain") String domain) {
        Tenant tenant = visible(domain);
        operatorOnly("issue tenant keys");
        ApiKeyStore.IssuedKey issued = keys().issue(tenant.domain());
        LOG.info("tenant " + tenant.domain() + ": API key " + issued.id() + " issued");
        return Response.created(uri.getAbsolutePathBuilder().path(issued.id()).build())
                .entity(TenantJson.issued(issued)).build();
    }

    @GET
    @Path("{domain}/keys")
    public JsonObject listKeys(@PathParam("domain") String domain) {
        Tenant tenant = visible(domain);
        JsonArrayBuilder items = JSON.createArrayBuilder();
        keys().of(tenant.domain()).stream().map(TenantJson::key).forEach(items::add);
        return JSON.createObjectBuilder().add("keys", items).build();
    }

    @DELETE
    @Path("{domain}/keys/{id}")
    public Response revokeKey(@PathParam("domain") String domain, @PathParam("id") String id) {
        Tenant tenant = visible(domain);
        if (!keys().revoke(tenant.domain(), id)) {
            throw ProblemException.notFound("no key " + id + " in tenant " + tenant.domain());
        }
        LOG.info("tenant " + tenant.domain() + ": API key " + id + " revoked");
        return Response.noContent().build();
    }

    private Tenant visible(String domain) {
        return TenantScope.configured(caller(), domain, tenants());
    }

    private void operatorOnly(String what) {
        if (!caller().isOperator()) {
            throw ProblemException.forbidden("only the operator key may " + what);
        }
    }

    private Tenant update(Tenant expected, TenantSettings next) {
        String domain = expected.domain();
        Tenant current = expected;
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<Tenant> updated = tenants().update(current, next);
            if (updated.isPresent()) {
                LOG.info("tenant " + domain + ": settings changed");
                return updated.get();
            }
            current = tenants().find(domain).orElseThrow(() -> ProblemException.notFound("no tenant " + domain));
        }
        throw new ProblemException(Problem.of(Response.Status.CONFLICT, "concurrent-change", "Conflict",
                "the tenant kept changing; try again"));
    }

    private static String domain(String raw) {
        return TenantScope.domain(raw);
    }

    /** The settings read, if they break no rule and name a ring group the tenant has. */
    private TenantSettings valid(String domain, SettingsReader.Result result) {
        List<Violation> violations = new ArrayList<>(result.violations());
        if (result.valid() && !result.settings().ringGroup().isEmpty()
                && ringGroups.find(domain, result.settings().ringGroup()).isEmpty()) {
            violations.add(new Violation("ringGroup", "unknown-ring-group", "tenant " + domain
                    + " has no ring group '" + result.settings().ringGroup() + "' (create it under /tenants/"
                    + domain + "/ring-groups)"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.invalid("the settings break " + violations.size()
                    + " rule(s); nothing was changed", violations));
        }
        return result.settings();
    }
}
