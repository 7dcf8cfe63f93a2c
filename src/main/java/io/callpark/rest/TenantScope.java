package io.callpark.rest;

import io.callpark.store.TenantStore.Tenant;
import io.callpark.store.TenantStore;
import io.callpark.rest.Violation;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The tenant a request names: a valid SIP domain, and one the caller may see (else 404, as if it did not exist). */
final class TenantScope {

    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private TenantScope() {
    }

    /** The domain in lower case; 422 when it is not a domain name. */
    static String domain(String raw) {
        String d = raw.toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(d).matches()) {
            throw new ProblemException(Problem.invalid("the tenant must be a SIP domain name",
                    List.of(new Violation("domain", "pattern", "must be a domain name like acme.example (got '"
                            + raw + "')"))));
        }
        return d;
    }

    /** A tenant the operator created (settings, keys, groups and webhooks belong to one); else 404. */
    static Tenant configured(Caller caller, String raw, TenantStore tenants) {
        String d = reachable(caller, raw);
        return tenants.find(d).orElseThrow(() -> ProblemException.notFound("no tenant " + d
                + " (the operator creates it with PUT /tenants/" + d + ")"));
    }

    /**
     * A tenant whose calls the caller may see and steer: any domain for the operator (calls park in a domain
     * nobody configured, with the defaults), its own for a tenant key.
     */
    static String reachable(Caller caller, String raw) {
        String d = domain(raw);
        if (!caller.sees(d)) {
            throw ProblemException.notFound("no tenant " + d);
        }
        return d;
    }
}
