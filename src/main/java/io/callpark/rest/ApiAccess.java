package io.callpark.rest;

import io.callpark.config.CallparkConfig;
import io.callpark.store.ApiKeyStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Every API request but the node status and the OpenAPI document needs {@code Authorization: Bearer <key>}: the operator's key (from the
 * node's configuration) or a tenant key issued through the API. No or an unknown key: 401.
 */
@Provider
public class ApiAccess implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";
    private static final java.util.Set<String> OPEN = java.util.Set.of("status", "openapi.yaml");

    @Inject
    ApiKeyStore apiKeys;

    @Inject
    CallparkConfig config;

    @Inject
    RequestCaller current;

    @Override
    public void filter(ContainerRequestContext request) {
        if (OPEN.contains(request.getUriInfo().getPath().replaceFirst("^/", ""))) {
            return; // the health check and the API's description: no tenant data
        }
        Optional<Caller> caller = presentedKey(request).flatMap(this::callerOf);
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

    private Optional<Caller> callerOf(String key) {
        byte[] operator = config.apiKey().getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(operator, key.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(Caller.operator());
        }
        return apiKeys.resolve(key).map(k -> Caller.of(k.tenant(), ApiKeyStore.sha256(key)));
    }
}
