package io.callpark.rest;

import io.callpark.rest.JsonFields;
import io.callpark.rest.Violation;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * An RFC 9457 problem detail: what went wrong, for a client to show or act on. {@code type} names the kind of
 * problem; validation problems list every broken rule in {@code errors} (field, rule, detail).
 */
public final class Problem {

    /** Looked up once: {@code Json.createX} looks the provider up with a ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPES = "https://callpark.dev/problems/";

    private Problem() {
    }

    public static Response of(Response.Status status, String type, String title, String detail) {
        return build(status.getStatusCode(), type, title, detail, List.of());
    }

    public static Response invalid(String detail, List<Violation> violations) {
        return build(422, "invalid-input", "Invalid input", detail, violations);
    }

    /** 422 naming every rule the fields broke; nothing when they broke none. */
    public static void requireValid(JsonFields fields) {
        List<Violation> violations = fields.violations();
        if (!violations.isEmpty()) {
            throw new ProblemException(invalid("the request breaks " + violations.size()
                    + " rule(s); nothing was changed", violations));
        }
    }

    static Response build(int status, String type, String title, String detail, List<Violation> violations) {
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("type", TYPES + type)
                .add("title", title)
                .add("status", status)
                .add("detail", detail);
        if (!violations.isEmpty()) {
            JsonArrayBuilder errors = JSON.createArrayBuilder();
            violations.forEach(v -> errors.add(JSON.createObjectBuilder()
                    .add("field", v.field()).add("rule", v.rule()).add("detail", v.detail())));
            body.add("errors", errors);
        }
        return Response.status(status).type(MEDIA_TYPE).entity(body.build().toString()).build();
    }
}
