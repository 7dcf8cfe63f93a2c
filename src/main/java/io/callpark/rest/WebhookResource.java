package io.callpark.rest;

import io.callpark.store.TenantStore;
import io.callpark.event.ParkEventType;
import io.callpark.event.WebhookDestinations;
import io.callpark.store.WebhookStore.Webhook;
import io.callpark.store.WebhookStore;
import io.callpark.rest.JsonFields;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A tenant's webhooks: URLs that get every park event (or the types asked for) as a signed POST. The signing
 * secret is shown once, when the webhook is created.
 */
@Path("/tenants/{domain}/webhooks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    /** Looked up once: {@code Json.createX} looks the provider up with a ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(WebhookResource.class.getName());
    private static final int MAX_URL = 2000;

    @Inject
    TenantStore tenants;

    @Inject
    WebhookStore webhooks;

    @Inject
    RequestCaller current;

    @Inject
    WebhookDestinations destinations;

    @Context
    UriInfo uri;

    @GET
    public JsonObject list(@PathParam("domain") String domain) {
        String tenant = TenantScope.configured(current.get(), domain, tenants).domain();
        JsonArrayBuilder hooks = JSON.createArrayBuilder();
        store().of(tenant).forEach(h -> hooks.add(json(h, false)));
        return JSON.createObjectBuilder().add("webhooks", hooks).build();
    }

    /** {@code {"url": "https://...", "events": ["parked", ...]}}; answers the webhook with its secret, once. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("domain") String domain, String body) {
        String tenant = TenantScope.configured(current.get(), domain, tenants).domain();
        JsonFields fields = new JsonFields(JsonBody.object(body), Set.of("url", "events"));
        String url = fields.string("url", true, "an absolute https URL").map(u -> checkedUrl(fields, u))
                .orElse("");
        if (!url.isEmpty()) {
            destinations.check(URI.create(url)).refusals().forEach(r -> fields.violation("url", r.rule(),
                    r.detail()));
        }
        String known = String.join(", ", Arrays.stream(ParkEventType.values()).map(ParkEventType::wireName).toList());
        List<String> events = fields.strings("events", "event types, some of " + known).orElse(List.of());
        events.stream().filter(e -> ParkEventType.fromWireName(e).isEmpty()).forEach(e ->
                fields.violation("events", "enum", "'" + e + "' is no event type; known: " + known));
        Problem.requireValid(fields);
        Webhook hook = store().add(tenant, url, events).orElseThrow(() -> new ProblemException(Problem.of(
                Response.Status.CONFLICT, "too-many-webhooks", "Too many webhooks", "tenant " + tenant
                        + " has " + WebhookStore.MAX_PER_TENANT + " webhooks; delete one first")));
        LOG.info("tenant " + tenant + ": webhook " + hook.id() + " to " + origin(url) + " created");
        return Response.created(uri.getAbsolutePathBuilder().path(hook.id()).build()).entity(json(hook, true)).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("domain") String domain, @PathParam("id") String id) {
        String tenant = TenantScope.configured(current.get(), domain, tenants).domain();
        if (!store().remove(tenant, id)) {
            throw ProblemException.notFound("no webhook " + id + " in tenant " + tenant);
        }
        LOG.info("tenant " + tenant + ": webhook " + id + " deleted");
        return Response.noContent().build();
    }

    private static String checkedUrl(JsonFields fields, String url) {
        try {
            URI parsed = new URI(url);
            if (url.length() <= MAX_URL && parsed.isAbsolute() && parsed.getHost() != null
                    && ("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        fields.violation("url", "url", "must be an absolute https (or, where the operator allows it, http) URL"
                + " with a host, at most " + MAX_URL + " characters");
        return "";
    }

    private static JsonObject json(Webhook hook, boolean withSecret) {
        JsonArrayBuilder events = JSON.createArrayBuilder();
        hook.events().forEach(events::add);
        JsonObjectBuilder json = JSON.createObjectBuilder().add("id", hook.id()).add("url", hook.url())
                .add("events", events).add("created", hook.created().toString());
        if (withSecret) {
            json.add("secret", hook.secret());
        }
        return json.build();
    }

    private WebhookStore store() {
        return webhooks;
    }

    /** Scheme, host and port of a webhook URL: what a log may show (its path, query and user info carry tokens). */
    static String origin(String url) {
        URI parsed = URI.create(url);
        return parsed.getScheme() + "://" + parsed.getHost() + (parsed.getPort() < 0 ? "" : ":" + parsed.getPort());
    }
}
