package io.callpark.rest;

import io.callpark.store.ApiKeyStore;
import io.callpark.store.OperatorKeyStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.util.Optional;

/**
 * Every API request but the node status and the OpenAPI document needs {@code Authorization: Bearer <key>}: an
 * operator key (the cluster's, {@link OperatorKeyStore}) or a tenant key issued through the API. No or an unknown
 * key: 401. Who it was is left on the request for the {@link AuditLog}.
 */
@Provider
public class ApiAccess implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";
    private static final java.util.Set<String> OPEN = java.util.Set.of("status", "openapi.yaml");

    @Inject
    ApiKeyStore apiKeys;

    @Inject
    OperatorKeyStore operatorKeys;

    @Inject
    RequestCaller current;

    @Override
    public void filter(ContainerRequestContext request) {
        if (OPEN.contains(request.getUriInfo().getPath().replaceFirst("^/", ""))) {
            return; // the health check and the API's description: no tenant data
        }
        Optional<String> presented = presentedKey(request);
        Optional<Caller> caller = presented.flatMap(this::callerOf);
        AuditLog.presented(request, presented, caller);
        if (caller.isEmpty()) {
            Response problem = Problem.of(Response.Status.UNAUTHORIZED, "unauthorized", "API key needed",
                    "send an operator or tenant key as 'Authorization: Bearer <key>'");
            request.abortWith(Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer realm=\"callpark\"").build());
            return;
        }
        current.set(caller.get());
    }

    private static Optional<String> presentedKey(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String key = header.substring(BEARER.length()).trim();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    /** Looked up by its SHA-256 (a map lookup: no comparison of secrets whose time could leak them). */
    private Optional<Caller> callerOf(String key) {
        Optional<Caller> operator = operatorKeys.accepts(key).map(Caller::operator);
        if (operator.isPresent()) {
            return operator;
        }
        return apiKeys.resolve(key).map(k -> Caller.of(k.tenant(), ApiKeyStore.sha256(key)));
    }
}
