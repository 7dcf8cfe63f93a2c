package io.callpark.rest;

import io.callpark.store.OperatorKeyStore;
import io.callpark.store.OperatorKeyStore.OperatorKey;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The operator's keys, rotated while every node runs: {@code POST /operator-keys} with the SHA-256 of the next key
 * makes it valid beside the current one on every node; {@code POST /operator-keys/retire}, made with the next key,
 * retires every other. Keys are shown by fingerprint only (the first 8 hex digits of their SHA-256).
 */
@Path("/operator-keys")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class OperatorKeyResource {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Logger LOG = Logger.getLogger(OperatorKeyResource.class.getName());

    @Inject
    OperatorKeyStore keys;

    @Inject
    RequestCaller current;

    @GET
    public JsonObject list() {
        operatorOnly();
        return JSON.createObjectBuilder().add("keys", json(keys.accepted()))
                .add("presented", current.get().fingerprint()).add("retired", keys.retiredCount()).build();
    }

    /** {@code {"sha256": "<64 lowercase hex>"}}: the next key becomes valid on every node (201; 200 if it was). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(String body) {
        operatorOnly();
        JsonFields fields = new JsonFields(JsonBody.object(body), Set.of("sha256"));
        String hash = fields.string("sha256", true, "the SHA-256 of the new key, 64 lowercase hex digits")
                .orElse("");
        if (!hash.isEmpty() && !OperatorKeyStore.SHA256.matcher(hash).matches()) {
            fields.violation("sha256", "pattern", "must be 64 lowercase hex digits: the SHA-256 of the key, "
                    + "e.g. printf %s \"$KEY\" | sha256sum (the key itself is never sent)");
        }
        Problem.requireValid(fields);
        JsonObject answer = JSON.createObjectBuilder().add("id", OperatorKeyStore.fingerprint(hash)).build();
        return switch (keys.add(hash)) {
            case ADDED -> {
                LOG.info("operator key " + OperatorKeyStore.fingerprint(hash) + " added by "
                        + current.get().fingerprint());
                yield Response.status(Response.Status.CREATED).entity(answer).build();
            }
            case ALREADY_VALID -> Response.ok(answer).build();
            case TOO_MANY -> throw new ProblemException(Problem.of(Response.Status.CONFLICT,
                    "too-many-operator-keys", "Too many operator keys", OperatorKeyStore.MAX_ACCEPTED
                            + " operator keys are valid already; retire the old ones first"
                            + " (POST /operator-keys/retire with the key to keep)"));
        };
    }

    /** Retires every operator key but the one this request is made with. */
    @POST
    @Path("retire")
    public JsonObject retire() {
        operatorOnly();
        String kept = current.get().keyHash().orElseThrow();
        List<OperatorKey> retired = keys.retireAllBut(kept);
        LOG.info("operator keys " + retired.stream().map(OperatorKey::fingerprint).toList() + " retired, "
                + OperatorKeyStore.fingerprint(kept) + " kept");
        return JSON.createObjectBuilder().add("kept", OperatorKeyStore.fingerprint(kept))
                .add("retired", json(retired)).build();
    }

    private void operatorOnly() {
        if (!current.get().isOperator()) {
            throw ProblemException.forbidden("only an operator key may see or change the operator keys");
        }
    }

    private static JsonArrayBuilder json(List<OperatorKey> list) {
        JsonArrayBuilder items = JSON.createArrayBuilder();
        list.forEach(k -> items.add(JSON.createObjectBuilder().add("id", k.fingerprint())
                .add("created", Instant.ofEpochMilli(k.createdMs()).toString())));
        return items;
    }
}
