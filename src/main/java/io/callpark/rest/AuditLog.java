package io.callpark.rest;

import io.callpark.store.ApiKeyStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One line in the audit log ({@code io.callpark.audit}, WildFly's {@code audit.log}) for every request made with
 * an operator key, every write (POST, PUT, PATCH, DELETE) made with a tenant key, and every request refused for
 * its key: who (operator, a tenant, or unknown), the key's fingerprint (the first 8 hex digits of its SHA-256, as
 * {@code GET /operator-keys} and the tenant key ids show it; never the key, never its whole hash), the peer
 * address, method, path and status. Tenant keys' reads are not written: event streams and polling would drown
 * the lines that matter.
 */
@Provider
public class AuditLog implements ContainerResponseFilter {

    static final String CATEGORY = "io.callpark.audit";
    private static final Logger AUDIT = Logger.getLogger(CATEGORY);
    private static final String WHO = AuditLog.class.getName() + ".who";
    private static final String KEY = AuditLog.class.getName() + ".key";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    @Context
    HttpServletRequest servlet;

    /** Called by {@link ApiAccess}: who the presented key made the request (empty: no or an unknown key). */
    static void presented(ContainerRequestContext request, Optional<String> key, Optional<Caller> caller) {
        request.setProperty(KEY, caller.map(Caller::fingerprint)
                .or(() -> key.map(k -> ApiKeyStore.sha256(k).substring(0, 8))).orElse("none"));
        request.setProperty(WHO, caller.map(c -> c.isOperator() ? "operator" : "tenant:" + c.tenant().get())
                .orElse("unknown"));
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(WHO) instanceof String who)) {
            return; // no key was asked for: the status and the API description
        }
        if (who.startsWith("tenant:") && READS.contains(request.getMethod()) && response.getStatus() != 401) {
            return;
        }
        AUDIT.info(line(who, (String) request.getProperty(KEY), servlet.getRemoteAddr(), request.getMethod(),
                request.getUriInfo().getRequestUri().getRawPath(), response.getStatus()));
    }

    /** The raw (still percent-encoded) path: it carries no line break or space into the log. */
    static String line(String who, String key, String peer, String method, String path, int status) {
        return "who=" + who + " key=" + key + " peer=" + peer + " method=" + method + " path=" + path
                + " status=" + status;
    }
}
